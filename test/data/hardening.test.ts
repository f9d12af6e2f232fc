// Issue 14, items 4-8: image bombs refused from their header, polygons clipped before
// rasterising, dataset paths contained, RLE sizes capped, embedding cache entries bounded.
// (Peak memory of the bombs is measured in child processes by test/fuzz.)
import t from "tap";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { DatasetError, ImageDecodeError, InvalidArgumentError, Rng } from "../../src/core";
import {
  CocoDataset,
  DEFAULT_MAX_MEGAPIXELS,
  MaskFolderDataset,
  clipPolygonToBox,
  decodeImage,
  decodeLabelPng,
  encodePng,
  loadImage,
  polygonsToMask,
  polygonsToRuns,
  readImageHeader,
  rleDecode,
} from "../../src/data";
import { readEmbeddingFile } from "../../src/segmenters/cache/embedding-file";
import { jpegWithHeader, pngWithHeader } from "../fuzz/crafted";

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "asg-harden-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test("item 4: a PNG claiming 30000x30000 is refused from its IHDR, even with maxMegapixels: 1", async (t) => {
  const bomb = pngWithHeader(30000, 30000);
  t.same(readImageHeader(bomb, "png", "x"), { format: "png", width: 30000, height: 30000, components: 3, bitDepth: 8 });
  t.throws(() => decodeImage(bomb, { name: "bomb.png", maxMegapixels: 1 }), ImageDecodeError);
  t.throws(
    () => decodeImage(bomb, { name: "bomb.png", maxMegapixels: 1 }),
    /"bomb.png" \(png\): its header says 30000x30000 \(900\.0 megapixels\), above the limit of 1/,
  );
  t.throws(() => decodeImage(bomb), new RegExp(`above the limit of ${DEFAULT_MAX_MEGAPIXELS}`), "default cap");
  t.throws(() => decodeLabelPng(bomb, "m.png"), ImageDecodeError, "label PNGs too");
  t.throws(() => decodeImage(pngWithHeader(2000, 2000), { maxMegapixels: 3 }), /above the limit of 3/);
  t.throws(() => decodeImage(new Uint8Array([1, 2])), ImageDecodeError);
  t.throws(() => decodeImage(pngWithHeader(4, 4), { maxMegapixels: -1 }), InvalidArgumentError);
});

t.test("item 4: JPEG frame headers claiming 10000x10000 (RGB and CMYK) are refused before decoding", async (t) => {
  const rgb = jpegWithHeader(10000, 10000, 3);
  t.ok(rgb.length < 200, `a ${rgb.length}-byte file`);
  t.same(readImageHeader(rgb, "jpeg", "x"), {
    format: "jpeg",
    width: 10000,
    height: 10000,
    components: 3,
    bitDepth: 8,
  });
  t.throws(() => decodeImage(rgb, { name: "bomb.jpg" }), /its header says 10000x10000 \(100\.0 megapixels\)/);
  t.throws(() => decodeImage(jpegWithHeader(9999, 9999, 4), { name: "cmyk.jpg" }), /9999x9999/);
  t.throws(() => decodeImage(Buffer.from([0xff, 0xd8, 0xff, 0xd9])), /no frame header/);
  // Within the limit, a header with no scan data is still a typed decode error.
  t.throws(() => decodeImage(jpegWithHeader(16, 16, 3)), ImageDecodeError);
});

t.test("item 4: ordinary images still decode", async (t) => {
  const img = ndarray(
    Uint8Array.from({ length: 5 * 7 * 3 }, (_, i) => i & 255),
    [5, 7, 3],
  );
  const back = decodeImage(encodePng(img));
  t.same(back.shape, [5, 7, 3]);
  t.same(Array.from(back.data), Array.from(img.data));
});

t.test("item 5: huge polygon coordinates are clipped: the mask is the image's, computed at once", async (t) => {
  const a = polygonsToMask([[-1e308, 0, 1e9, 1e9, 0, 1e9]], 20, 30);
  t.same(a.shape, [20, 30]);
  const b = polygonsToMask([[0, 0, 1e7, 0, 1e7, 1e7, 0, 1e7]], 20, 30);
  // The square covers the whole image: every pixel but pycocotools' open right/bottom edge rule.
  const full = polygonsToMask([[0, 0, 31, 0, 31, 21, 0, 21]], 20, 30);
  t.same(Array.from(b.data), Array.from(full.data));
  t.equal(
    Array.from(b.data).reduce((s, v) => s + v, 0),
    600,
  );
  // A polygon inside the image is unchanged by the clip box (pycocotools' exact pixels).
  const inside = [[1, 1, 4, 1, 4, 3, 1, 3]];
  t.same(
    Array.from(polygonsToMask(inside, 5, 6).data),
    [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  );
  // A triangle far outside the image leaves it empty.
  t.equal(
    Array.from(polygonsToMask([[1e6, 1e6, 2e6, 1e6, 2e6, 2e6]], 8, 8).data).reduce((s, v) => s + v, 0),
    0,
  );
  // The triangle (-10,0) (10,0) (10,10) covers the whole box [0,5]^2: the clip is that square.
  const clipped = clipPolygonToBox([-10, 0, 10, 0, 10, 10], 0, 0, 5, 5);
  let area2 = 0;
  for (let k = 0; k < clipped.length; k += 2) {
    const n = (k + 2) % clipped.length;
    area2 += clipped[k]! * clipped[n + 1]! - clipped[n]! * clipped[k + 1]!;
  }
  t.equal(Math.abs(area2) / 2, 25);
  t.ok(clipped.every((v) => v >= 0 && v <= 5));
});

t.test("item 5: odd-length and non-finite polygons are typed errors naming the polygon", async (t) => {
  t.throws(() => polygonsToRuns([[0, 0, 4, 0, 4, 4, 1]], 8, 8), {
    name: "InvalidArgumentError",
    message: /polygon 0: polygon has an odd number of coordinates \(7\)/,
  });
  t.throws(
    () =>
      polygonsToRuns(
        [
          [0, 0, 4, 0, 4, 4],
          [0, 0, NaN, 1, 2, 2],
        ],
        8,
        8,
      ),
    /polygon 1: polygon vertex 1 is not a pair of finite numbers/,
  );
  t.throws(() => polygonsToRuns([[0, 0, Infinity, 0, 4, 4]], 8, 8), InvalidArgumentError);
  t.throws(() => polygonsToRuns([[0, 0, "4", 0, 4, 4] as unknown as number[]], 8, 8), InvalidArgumentError);
  t.throws(() => polygonsToRuns([[0, 0, 4, 0, 4, 4]], 1e6, 1e6), /above the limit/);
});

t.test("item 7: rleDecode refuses a 60000x60000 mask before allocating", async (t) => {
  t.throws(() => rleDecode({ size: [60000, 60000], counts: [0, 3600000000] }), {
    name: "InvalidArgumentError",
    message: /above the limit of 100000000 pixels/,
  });
  t.throws(() => rleDecode({ size: [10, 10], counts: [0, 100] }, 50), /above the limit of 50/);
  t.same(rleDecode({ size: [2, 2], counts: [1, 2, 1] }).shape, [2, 2]);
});

/** A COCO dataset whose single image has `fileName`. */
function cocoWith(root: string, fileName: string, segmentation: unknown = [[1, 1, 5, 1, 5, 5, 1, 5]]): CocoDataset {
  mkdirSync(join(root, "images"), { recursive: true });
  const json = {
    images: [{ id: 1, file_name: fileName, height: 10, width: 10 }],
    categories: [{ id: 1, name: "cat" }],
    annotations: [{ id: 7, image_id: 1, category_id: 1, iscrowd: 0, area: 16, bbox: [1, 1, 4, 4], segmentation }],
  };
  const ann = join(root, `ann-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(ann, JSON.stringify(json));
  return new CocoDataset({ annotationFile: ann, imagesDir: join(root, "images"), maxResampleAttempts: 1 });
}

t.test("item 6: COCO file_name must stay inside imagesDir; regular files only; nothing leaks", async (t) => {
  const root = tempDir(t);
  for (const bad of ["../../../../etc/passwd", "/etc/passwd", "/dev/zero", "..", "../images-other/x.png"]) {
    const err = await cocoWith(root, bad)
      .sample("cat", new Rng(0))
      .then(
        () => null,
        (e: Error) => e,
      );
    t.ok(err instanceof DatasetError, `${bad}: DatasetError`);
    t.match(err?.message, /points outside its folder/, bad);
    t.match(err?.message, /allowOutsideImagesDir/);
    t.notMatch(err?.message, /root:|bytes/, "no contents or size of the outside file");
  }
  // A symlink inside the folder to a device is refused as not a regular file (not read forever).
  symlinkSync("/dev/zero", join(root, "images", "zero.png"));
  await t.rejects(cocoWith(root, "zero.png").sample("cat", new Rng(0)), {
    name: "DatasetError",
    message: /not a regular file/,
  });
  // A directory is not an image either.
  mkdirSync(join(root, "images", "dir.png"));
  await t.rejects(cocoWith(root, "dir.png").sample("cat", new Rng(0)), DatasetError);
  // The opt-in reads outside the folder; a file inside still works normally.
  writeFileSync(join(root, "ok.png"), encodePng(ndarray(new Uint8Array(300).fill(9), [10, 10, 3])));
  const out = new CocoDataset({
    annotationFile: (cocoWith(root, "../ok.png") as unknown as { annotationFile: string }).annotationFile,
    imagesDir: join(root, "images"),
    allowOutsideImagesDir: true,
  });
  t.same((await out.sample("cat", new Rng(0))).image.shape, [10, 10, 3]);
  writeFileSync(join(root, "images", "in.png"), encodePng(ndarray(new Uint8Array(300).fill(9), [10, 10, 3])));
  t.same((await cocoWith(root, "in.png").sample("cat", new Rng(0))).masks.shape, [10, 10, 1]);
});

t.test("item 5: through CocoDataset the error names the annotation", async (t) => {
  const root = tempDir(t);
  mkdirSync(join(root, "images"), { recursive: true });
  writeFileSync(join(root, "images", "in.png"), encodePng(ndarray(new Uint8Array(300).fill(9), [10, 10, 3])));
  await t.rejects(cocoWith(root, "in.png", [[1, 1, 5, 1, 5, 5, 1]]).sample("cat", new Rng(0)), {
    name: "DatasetError",
    message: /Annotation 7 in ".*": polygon 0: polygon has an odd number of coordinates \(7\)/,
  });
  await t.rejects(
    cocoWith(root, "in.png", [[1, 1, 5, 1, 5, null, 1, 5]]).sample("cat", new Rng(0)),
    /Annotation 7 .*polygon 0: polygon vertex 2 is not a pair of finite numbers/,
  );
  // A huge polygon is clipped: the whole 10x10 image, computed at once.
  const s = await cocoWith(root, "in.png", [[-1e308, -1e308, 1e9, -1e9, 1e9, 1e9, -1e9, 1e9]]).sample(
    "cat",
    new Rng(0),
  );
  t.equal(
    Array.from(s.masks.data).reduce((a, v) => a + v, 0),
    100,
  );
});

t.test("item 6: loadImage reads regular files only, up to maxFileBytes", async (t) => {
  const root = tempDir(t);
  await t.rejects(loadImage("/dev/zero"), { name: "ImageDecodeError", message: /not a regular file/ });
  const p = join(root, "a.png");
  writeFileSync(p, encodePng(ndarray(new Uint8Array(300).fill(9), [10, 10, 3])));
  await t.rejects(loadImage(p, { maxFileBytes: 10 }), /above the limit of 10 bytes/);
  t.same((await loadImage(p)).shape, [10, 10, 3]);
});

t.test("item 6: MaskFolderDataset refuses a mask or image that links to a device", async (t) => {
  const root = tempDir(t);
  mkdirSync(join(root, "images"));
  mkdirSync(join(root, "masks"));
  writeFileSync(join(root, "images", "a.png"), encodePng(ndarray(new Uint8Array(300).fill(9), [10, 10, 3])));
  symlinkSync("/dev/zero", join(root, "masks", "a.png"));
  await t.rejects(new MaskFolderDataset({ root }).sample("object", new Rng(0)), /not a regular file|has no mask/);
  symlinkSync("/dev/zero", join(root, "categories.json"));
  await t.rejects(new MaskFolderDataset({ root }).load(), {
    name: "DatasetError",
    message: /Bad categories file.*not a regular file/,
  });
});

t.test("item 8: an embedding cache entry linking to /dev/zero is corrupt, not read", async (t) => {
  const root = tempDir(t);
  const link = join(root, "entry.emb");
  symlinkSync("/dev/zero", link);
  t.equal(await readEmbeddingFile(link), "corrupt");
  // A file longer than its header declares is corrupt too (never read past the declared size).
  const bogus = Buffer.concat([
    Buffer.from("ASGEMB\x00\x01", "latin1"),
    Buffer.from([1, 0, 0, 0, 4, 0, 0, 0, 16, 0, 0, 0]),
    Buffer.alloc(16 + 16 + 1000),
  ]);
  writeFileSync(join(root, "long.emb"), bogus);
  t.equal(await readEmbeddingFile(join(root, "long.emb")), "corrupt");
  t.equal(await readEmbeddingFile(join(root, "absent.emb")), "missing");
});

t.test("item 5: a polygon partly outside the image (within one image size) keeps pycocotools' pixels", async (t) => {
  // Rasterising on a larger canvas that holds the whole polygon, then cropping to the image, gives
  // pycocotools' pixels for the image (its columns are filled between crossings, y clamped to
  // the image); a clip box hugging the image (1 px around it) moved vertices and changed edge pixels.
  const rng = new Rng(5);
  const h = 40,
    w = 50;
  let compared = 0;
  for (let k = 0; k < 200; k++) {
    const poly: number[] = [];
    for (let i = 0; i < 3 + rng.integers(0, 6); i++) poly.push(rng.random() * (w + 30), rng.random() * (h + 30));
    const small = polygonsToMask([poly], h, w).data;
    const big = polygonsToMask([poly], h + 40, w + 40).data;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (small[y * w + x] !== big[y * (w + 40) + x]) {
          t.fail(`polygon ${k}: pixel (${x}, ${y}) differs from the uncropped raster`);
          return;
        }
      }
    }
    compared++;
  }
  t.equal(compared, 200, "200 polygons reaching past the right and bottom edges");
});
