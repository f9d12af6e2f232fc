import t from "tap";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { ImageDecodeError, InvalidArgumentError } from "../../src/core/errors";
import { decodeImage, encodePng, loadImage, sniffImageFormat } from "../../src/data/image-io";
import { flatBlockJpeg, palettePng } from "./image-fixtures";

const px = (img: ndarray.NdArray, y: number, x: number): number[] => [0, 1, 2].map((c) => img.get(y, x, c) as number);
const near = (a: number[], b: number[], tol: number): boolean => a.every((v, i) => Math.abs(v - b[i]!) <= tol);

t.test("RGB JPEG (jpeg-js encoder) decodes to [H, W, 3]", async (t) => {
  const w = 16,
    h = 8;
  const rgba = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set(i % w < 8 ? [200, 30, 40, 255] : [20, 90, 220, 255], i * 4);
  const bytes = jpeg.encode({ data: rgba, width: w, height: h }, 100).data;
  const img = decodeImage(bytes, { name: "rgb.jpg" });
  t.same(img.shape, [8, 16, 3]);
  t.ok(img.data instanceof Uint8Array);
  t.ok(near(px(img, 4, 2), [200, 30, 40], 4), `left ${px(img, 4, 2)}`);
  t.ok(near(px(img, 4, 13), [20, 90, 220], 4), `right ${px(img, 4, 13)}`);
});

t.test("grayscale JPEG is replicated to RGB", async (t) => {
  const bytes = flatBlockJpeg({ width: 16, height: 8, components: 1, value: (_c, bx) => (bx === 0 ? 30 : 220) });
  const img = decodeImage(bytes);
  t.same(img.shape, [8, 16, 3]);
  t.ok(near(px(img, 3, 3), [30, 30, 30], 1), `${px(img, 3, 3)}`);
  t.ok(near(px(img, 3, 12), [220, 220, 220], 1), `${px(img, 3, 12)}`);
});

t.test("Adobe CMYK and YCCK JPEGs convert to RGB", async (t) => {
  // Adobe stores CMYK inverted (255 = no ink). Block 0: no C, full M, no Y, no K -> magenta.
  // Block 1: no CMY ink, K stored 128 (127 of 255 ink) -> grey 128.
  const cmyk = flatBlockJpeg({
    width: 16,
    height: 8,
    components: 4,
    adobeTransform: 0,
    value: (c, bx) => (bx === 0 ? [255, 0, 255, 255][c]! : [255, 255, 255, 128][c]!),
  });
  const a = decodeImage(cmyk, { name: "cmyk.jpg" });
  t.ok(near(px(a, 2, 2), [255, 0, 255], 2), `magenta ${px(a, 2, 2)}`);
  t.ok(near(px(a, 2, 10), [128, 128, 128], 2), `grey ${px(a, 2, 10)}`);
  // YCCK (transform 2): the YCC part encodes the CMY ink; Y = 0 is no ink (white), Y = 255 full ink (black).
  const ycck = flatBlockJpeg({
    width: 16,
    height: 8,
    components: 4,
    adobeTransform: 2,
    value: (c, bx) => (c === 3 ? 255 : c === 0 ? (bx === 0 ? 0 : 255) : 128),
  });
  const b = decodeImage(ycck, { name: "ycck.jpg" });
  t.ok(near(px(b, 2, 2), [255, 255, 255], 2), `white ${px(b, 2, 2)}`);
  t.ok(near(px(b, 2, 10), [0, 0, 0], 2), `black ${px(b, 2, 10)}`);
  // 4 components without an Adobe marker cannot be interpreted
  const bare = flatBlockJpeg({ width: 8, height: 8, components: 4, value: () => 100 });
  t.throws(() => decodeImage(bare, { name: "bare.jpg" }), {
    name: "ImageDecodeError",
    message: /"bare\.jpg".*4 components/,
  });
});

t.test("PNG: RGBA drops alpha, grayscale, 16-bit and palette", async (t) => {
  const w = 3,
    h = 2;
  const rgba = new PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) rgba.data.set([i * 10, 100, 200 - i, i % 2 ? 0 : 255], i * 4);
  const a = decodeImage(PNG.sync.write(rgba));
  t.same(a.shape, [2, 3, 3]);
  t.same(px(a, 1, 2), [50, 100, 195], "alpha dropped, colour kept even where transparent");

  const gray = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  gray.data = Buffer.from([0, 50, 100, 150, 200, 250]);
  const g = decodeImage(PNG.sync.write(gray, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
  t.same(px(g, 1, 1), [200, 200, 200]);

  const deep = new PNG({ width: 2, height: 1, bitDepth: 16, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  deep.data = Buffer.from(new Uint16Array([65535, 0, 32896, 257, 514, 1000]).buffer);
  const dbytes = PNG.sync.write(deep, { bitDepth: 16, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  t.equal(dbytes[24], 16, "the file really is 16-bit");
  const d = decodeImage(dbytes);
  // v * 255 / 65535 rounded: 65535 -> 255, 32896 -> 128, 257 -> 1, 514 -> 2, 1000 -> 4
  t.same(px(d, 0, 0), [255, 0, 128]);
  t.same(px(d, 0, 1), [1, 2, 4]);

  const pal = decodeImage(
    palettePng(
      2,
      2,
      [0, 1, 1, 2],
      [
        [0, 0, 0],
        [10, 20, 30],
        [250, 128, 1],
      ],
    ),
  );
  t.same(
    [px(pal, 0, 0), px(pal, 0, 1), px(pal, 1, 1)],
    [
      [0, 0, 0],
      [10, 20, 30],
      [250, 128, 1],
    ],
  );
});

t.test("encodePng round-trips RGB and grayscale", async (t) => {
  const rgb = ndarray(
    Uint8Array.from({ length: 4 * 5 * 3 }, (_, i) => (i * 37) % 256),
    [4, 5, 3],
  );
  const back = decodeImage(encodePng(rgb));
  t.same(Array.from(back.data), Array.from(rgb.data));
  const g = ndarray(
    Uint8Array.from({ length: 6 }, (_, i) => i * 40),
    [2, 3],
  );
  const gb = decodeImage(encodePng(g));
  t.same(px(gb, 1, 2), [200, 200, 200]);
  // a transposed view is encoded as seen, not as stored
  const tv = ndarray(Uint8Array.from([1, 2, 3, 4, 5, 6]), [2, 3]).transpose(1, 0);
  t.same(Array.from(decodeImage(encodePng(tv)).data.filter((_, i) => i % 3 === 0)), [1, 4, 2, 5, 3, 6]);
  t.throws(() => encodePng(ndarray(new Uint8Array(8), [2, 2, 2])), InvalidArgumentError);
});

t.test("corrupt, truncated and unsupported files raise ImageDecodeError naming the file", async (t) => {
  t.equal(sniffImageFormat(Uint8Array.from([0x47, 0x49, 0x46, 0x38])), null);
  t.throws(() => decodeImage(Buffer.from("GIF89a....."), { name: "x.gif" }), {
    name: "ImageDecodeError",
    message: /"x\.gif".*unsupported format/,
  });
  const good = flatBlockJpeg({
    width: 64,
    height: 64,
    components: 1,
    value: (_c, bx, by) => (bx * 37 + by * 11) % 256,
  });
  t.throws(() => decodeImage(good.subarray(0, good.length >> 1), { name: "half.jpg" }), {
    name: "ImageDecodeError",
    message: /"half\.jpg" \(jpeg\)/,
  });
  const png = encodePng(ndarray(new Uint8Array(30 * 30 * 3).fill(7), [30, 30, 3]));
  t.throws(() => decodeImage(png.subarray(0, 40), { name: "cut.png" }), {
    name: "ImageDecodeError",
    message: /"cut\.png" \(png\)/,
  });
  const flipped = Uint8Array.from(png);
  flipped[flipped.length - 20] ^= 0xff;
  t.throws(() => decodeImage(flipped, { name: "crc.png" }), ImageDecodeError);
  t.throws(() => decodeImage("nope" as never), InvalidArgumentError);
});

t.test("loadImage reads files and names a missing path", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "alignsam-img-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const p = join(dir, "a.png");
  writeFileSync(p, encodePng(ndarray(new Uint8Array(12).fill(9), [2, 2, 3])));
  const img = await loadImage(p);
  t.same(img.shape, [2, 2, 3]);
  const missing = join(dir, "missing.jpg");
  await t.rejects(loadImage(missing), {
    name: "ImageDecodeError",
    message: new RegExp(`Cannot read image "${missing.replace(/[.]/g, "\\.")}"`),
  });
});
