import t from "tap";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resizeBicubicPil } from "../../src/data/resize-bicubic";
import { InvalidArgumentError } from "../../src/core/errors";

// Reference bytes from Pillow 9.4 (made by the script quoted in the file's "source").
const golden = JSON.parse(readFileSync(join(__dirname, "pil-bicubic-golden.json"), "utf8")) as {
  src: number[];
  shape: [number, number, number];
  cases: Array<{ size: [number, number]; out: number[] }>;
};

t.test("byte for byte as Pillow's BICUBIC resize (down, up, one axis, mixed)", async (t) => {
  const [h, w, c] = golden.shape;
  const src = Uint8Array.from(golden.src);
  for (const { size, out } of golden.cases) {
    const got = resizeBicubicPil(src, h, w, c, size[0], size[1]);
    t.same(Array.from(got), out, `${h}x${w} -> ${size[0]}x${size[1]}`);
  }
  t.same(Array.from(resizeBicubicPil(src, h, w, c, h, w)), golden.src, "equal size copies");
});

t.test("constant images stay constant; bad arguments throw", async (t) => {
  const src = new Uint8Array(10 * 6 * 3).fill(77);
  t.ok(resizeBicubicPil(src, 10, 6, 3, 224, 224).every((v) => v === 77));
  t.throws(() => resizeBicubicPil(src, 10, 6, 3, 0, 4), InvalidArgumentError);
  t.throws(() => resizeBicubicPil(src, 10, 7, 3, 4, 4), InvalidArgumentError);
});
