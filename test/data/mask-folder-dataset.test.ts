import t from "tap";
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { PNG } from "pngjs";
import { Rng } from "../../src/core/rng";
import { DatasetError } from "../../src/core/errors";
import { MaskFolderDataset } from "../../src/data/mask-folder-dataset";
import { decodeLabelPng } from "../../src/data/label-png";
import { encodePng } from "../../src/data/image-io";
import { palettePng } from "./image-fixtures";

const W = 10,
  H = 10;
/** A 10x10 grayscale id PNG from a function of (x, y). */
function idPng(f: (x: number, y: number) => number, depth: 8 | 16 = 8): Buffer {
  const png = new PNG({ width: W, height: H, bitDepth: depth, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  const vals = Array.from({ length: W * H }, (_, i) => f(i % W, Math.floor(i / W)));
  png.data = depth === 8 ? Buffer.from(vals) : Buffer.from(new Uint16Array(vals).buffer);
  return PNG.sync.write(png, { bitDepth: depth, colorType: 0, inputColorType: 0, inputHasAlpha: false });
}
const rgb = (v: number) => encodePng(ndarray(new Uint8Array(W * H * 3).fill(v), [H, W, 3]));
const areas = (m: ndarray.NdArray): number[] =>
  Array.from({ length: m.shape[2]! }, (_, k) => {
    let s = 0;
    for (let i = 0; i < H * W; i++) s += (m.data as Uint8Array)[i * m.shape[2]! + k]!;
    return s;
  });

const root = mkdtempSync(join(tmpdir(), "alignsam-maskfolder-"));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, "images"));
mkdirSync(join(root, "masks", "c"), { recursive: true });
// a: id PNG, instances 1 (30 px, columns 0-2), 2 (50 px, columns 5-9), 128 band (ignored), 3 (1 px)
writeFileSync(join(root, "images", "a.png"), rgb(10));
writeFileSync(
  join(root, "masks", "a.png"),
  idPng((x, y) => (x < 3 ? 1 : x >= 5 ? 2 : x === 4 && y === 0 ? 3 : x === 3 ? 128 : 0)),
);
// b: palette id PNG (indices are ids): instance 1 = 20 px dog
writeFileSync(join(root, "images", "b.png"), rgb(20));
writeFileSync(
  join(root, "masks", "b.png"),
  palettePng(
    W,
    H,
    Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0)),
    [
      [0, 0, 0],
      [200, 0, 0],
    ],
  ),
);
// c: one binary PNG per instance
writeFileSync(join(root, "images", "c.png"), rgb(30));
writeFileSync(
  join(root, "masks", "c", "left.png"),
  idPng((x) => (x < 4 ? 255 : 0)),
);
writeFileSync(
  join(root, "masks", "c", "right.png"),
  idPng((x) => (x >= 8 ? 1 : 0)),
);
writeFileSync(
  join(root, "categories.json"),
  JSON.stringify({
    categories: ["cat", "dog"],
    default: "cat",
    images: { b: "dog", c: { left: "cat", right: "dog" } },
    ignore: [128],
  }),
);

t.test("decodeLabelPng keeps raw ids: 16-bit gray and palette indices", async (t) => {
  const deep = decodeLabelPng(idPng((x) => (x === 0 ? 300 : 0), 16));
  t.same([deep.get(0, 0), deep.get(0, 1)], [300, 0]);
  const pal = decodeLabelPng(
    palettePng(
      2,
      1,
      [0, 2],
      [
        [0, 0, 0],
        [9, 9, 9],
        [7, 7, 7],
      ],
    ),
  );
  t.same(Array.from(pal.data), [0, 2]);
  t.throws(() => decodeLabelPng(Buffer.from("nope"), "bad.png"), /"bad\.png"/);
});

t.test("id PNGs, palette PNGs and per-instance PNGs; categories file; area order and 1% stop", async (t) => {
  const ds = new MaskFolderDataset({ root, minAreaFraction: 0.02 });
  t.throws(() => ds.categories, DatasetError);
  await ds.load();
  t.same(ds.categories, ["cat", "dog"]);
  const seen = new Map<string, number[]>();
  const rng = new Rng(0);
  for (let i = 0; i < 30; i++) {
    const s = await ds.sample("cat", rng);
    seen.set(s.source!.split(/[\\/]/).pop()!, areas(s.masks));
  }
  t.same(seen.get("a.png"), [50, 30], "ids 2 then 1 by area; 128 ignored; id 3 (1 px < 2%) stops");
  t.same(seen.get("c.png"), [40], "left.png (255 = inside) is a cat");
  const dogs = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const s = await ds.sample("dog", rng);
    dogs.add(`${s.source!.split(/[\\/]/).pop()}:${areas(s.masks)}`);
  }
  t.same([...dogs].sort(), ["b.png:20", "c.png:20"]);
  await t.rejects(ds.sample("horse", rng), /Unknown category "horse"/);
  const one = new MaskFolderDataset({ root, maxInstances: 1 });
  const s = await one.sample("cat", new Rng(1));
  t.equal(s.masks.shape[2], 1);
});

t.test("missing masks and folders are named", async (t) => {
  const bad = mkdtempSync(join(tmpdir(), "alignsam-maskfolder-bad-"));
  t.teardown(() => rmSync(bad, { recursive: true, force: true }));
  mkdirSync(join(bad, "images"));
  writeFileSync(join(bad, "images", "x.png"), rgb(1));
  await t.rejects(new MaskFolderDataset({ root: bad }).load(), {
    name: "DatasetError",
    message: /x\.png" has no mask/,
  });
  await t.rejects(new MaskFolderDataset({ root: join(bad, "nope") }).load(), /Cannot list the images folder/);
});

const grabcut = join(__dirname, "..", "..", "..", "shared", "datasets", "grabcut");
t.test(
  "the shared GrabCut folder (0/255 masks, 128 band ignored)",
  { skip: existsSync(grabcut) ? false : `no ${grabcut}` },
  async (t) => {
    const ds = new MaskFolderDataset({ root: grabcut, ignoreValues: [128] });
    await ds.load();
    t.same(ds.categories, ["object"]);
    const s = await ds.sample("object", new Rng(3));
    t.equal(s.masks.shape[2], 1, "one object per image");
    t.same(s.masks.shape.slice(0, 2), s.image.shape.slice(0, 2));
  },
);
