import t from "tap";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { Rng } from "../../src/core/rng";
import { InvalidArgumentError } from "../../src/core/errors";
import { generateSyntheticCoco } from "../../src/data/synthetic/generate-synthetic-coco";
import { ensureSyntheticCoco, SyntheticCocoDataset } from "../../src/data/synthetic/ensure-synthetic-coco";
import { SYNTHETIC_SHAPES } from "../../src/data/synthetic/shapes";
import { CocoDataset } from "../../src/data/coco-dataset";
import { segmentationToRuns } from "../../src/data/polygon";
import { rleArea, rleDecode } from "../../src/data/rle";
import { encodeJpeg } from "../../src/data/jpeg-encoder";
import { decodeImage, loadImage } from "../../src/data/image-io";

const tmp = mkdtempSync(join(tmpdir(), "alignsam-syn-"));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const files = (dir: string): string[] => readdirSync(dir).sort();

t.test("same seed -> byte-identical JSON and JPEGs; another seed differs", async (t) => {
  const opts = { images: 5, seed: 7, size: [96, 128] as [number, number] };
  const a = await generateSyntheticCoco({ ...opts, outDir: join(tmp, "a") });
  const b = await generateSyntheticCoco({ ...opts, outDir: join(tmp, "b") });
  const c = await generateSyntheticCoco({ ...opts, seed: 8, outDir: join(tmp, "c") });
  t.ok(readFileSync(a.annotationFile).equals(readFileSync(b.annotationFile)), "identical annotation JSON");
  t.same(files(a.imagesDir), files(b.imagesDir));
  for (const f of files(a.imagesDir))
    t.ok(readFileSync(join(a.imagesDir, f)).equals(readFileSync(join(b.imagesDir, f))), `identical ${f}`);
  t.notOk(readFileSync(a.annotationFile).equals(readFileSync(c.annotationFile)), "seed 8 differs");
  // image i does not depend on the number of images generated
  const d = await generateSyntheticCoco({ ...opts, images: 2, outDir: join(tmp, "d") });
  t.ok(
    readFileSync(join(d.imagesDir, files(d.imagesDir)[1]!)).equals(
      readFileSync(join(a.imagesDir, files(a.imagesDir)[1]!)),
    ),
  );
});

t.test("a real COCO file: segmentations decode to the stated areas and boxes", async (t) => {
  const res = await generateSyntheticCoco({ outDir: join(tmp, "big"), images: 40, seed: 3, size: [80, 100] });
  const json = JSON.parse(readFileSync(res.annotationFile, "utf8"));
  t.same(
    json.categories.map((c: { name: string }) => c.name),
    [...SYNTHETIC_SHAPES],
  );
  t.equal(json.images.length, 40);
  t.equal(res.annotations, json.annotations.length);
  const kinds = new Set<string>();
  let bad = 0;
  for (const a of json.annotations) {
    const kind = Array.isArray(a.segmentation)
      ? "polygon"
      : typeof a.segmentation.counts === "string"
        ? "rle"
        : "uncompressed";
    kinds.add(kind);
    const runs = segmentationToRuns(a.segmentation, 80, 100);
    const m = rleDecode(runs);
    let x0 = 100,
      y0 = 80,
      x1 = -1,
      y1 = -1;
    for (let y = 0; y < 80; y++)
      for (let x = 0; x < 100; x++)
        if (m.get(y, x)) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
    if (rleArea(runs) !== a.area || JSON.stringify([x0, y0, x1 - x0 + 1, y1 - y0 + 1]) !== JSON.stringify(a.bbox))
      bad++;
    if (kind === "uncompressed" && a.iscrowd !== 1) bad++;
  }
  t.equal(bad, 0, "area = pixel count and bbox = mask box for every annotation");
  t.same(
    [...kinds].sort(),
    ["polygon", "rle", "uncompressed"],
    "polygons, compressed RLE and crowd (uncompressed) RLE all occur",
  );
  const img = await loadImage(join(res.imagesDir, json.images[0].file_name));
  t.same(img.shape, [80, 100, 3]);
  // read back through CocoDataset, the real-COCO code path
  const ds = new CocoDataset({ dataDir: res.dataDir, split: res.split });
  await ds.load();
  const s = await ds.sample("disc", new Rng(0));
  t.same(s.image.shape.slice(0, 2), [80, 100]);
  t.ok(s.masks.shape[2]! >= 1);
});

t.test("ensureSyntheticCoco generates once, atomically, then reuses", async (t) => {
  const cacheDir = join(tmp, "cache");
  const said: string[] = [];
  const opts = {
    cacheDir,
    images: 3,
    seed: 1,
    size: [64, 64] as [number, number],
    onStatus: (l: string) => void said.push(l),
  };
  const first = await ensureSyntheticCoco(opts);
  t.equal(said.length, 2, "says what it generates and how long it took");
  t.match(said[0], /generating the synthetic dataset \(3 images of 64x64, seed 1, split train\) into .*first use only/);
  t.match(said[1], /generated 3 images in [\d.]+ s/);
  const mtime = statSync(first.annotationFile).mtimeMs;
  const again = await ensureSyntheticCoco(opts);
  t.equal(said.length, 2, "silent when the cache has it");
  t.equal(again.dataDir, first.dataDir);
  t.equal(statSync(again.annotationFile).mtimeMs, mtime, "not regenerated");
  t.same(
    readdirSync(cacheDir).filter((f) => f.includes(".tmp-")),
    [],
    "no temporary folder left",
  );
  const other = await ensureSyntheticCoco({ ...opts, seed: 2 });
  t.not(other.dataDir, first.dataDir, "other options -> other folder");
  const [p, q] = await Promise.all([
    ensureSyntheticCoco({ ...opts, seed: 9 }),
    ensureSyntheticCoco({ ...opts, seed: 9 }),
  ]);
  t.equal(p.dataDir, q.dataDir, "concurrent callers agree");
  const ds = new SyntheticCocoDataset({ cacheDir, images: 12, seed: 4, size: [64, 80] });
  t.same(ds.categories, [...SYNTHETIC_SHAPES], "categories known synchronously");
  const s = await ds.sample("box", new Rng(2));
  t.same(s.image.shape, [64, 80, 3]);
  // Equal options share one loaded set (and its decoded images); other options do not.
  const twin = new SyntheticCocoDataset({ cacheDir, images: 12, seed: 4, size: [64, 80] });
  t.equal(await twin.load(), await ds.load(), "one loaded set per options in a process");
  const s2 = await twin.sample("box", new Rng(2));
  t.same(Buffer.from(s2.image.data), Buffer.from(s.image.data), "the same sample");
  t.not(s2.image.data, s.image.data, "each sample has its own arrays");
  const uncached = new SyntheticCocoDataset({ cacheDir, images: 12, seed: 4, size: [64, 80], imageCacheBytes: 0 });
  t.not(await uncached.load(), await ds.load());
  t.same(Buffer.from((await uncached.sample("box", new Rng(2))).image.data), Buffer.from(s.image.data));
});

t.test("encodeJpeg: decodable by jpeg-js, close to the input, deterministic", async (t) => {
  const h = 21,
    w = 30;
  const d = Uint8Array.from({ length: h * w * 3 }, (_, i) => Math.round(128 + 100 * Math.sin(i / 17)));
  const img = ndarray(d, [h, w, 3]);
  const bytes = encodeJpeg(img, 95);
  t.ok(Buffer.from(bytes).equals(Buffer.from(encodeJpeg(img, 95))));
  const back = decodeImage(bytes);
  let err = 0;
  for (let i = 0; i < d.length; i++) err += Math.abs(back.data[i]! - d[i]!);
  t.ok(err / d.length < 3, `mean abs error ${err / d.length}`);
  t.ok(encodeJpeg(img, 20).length < bytes.length, "lower quality, smaller file");
  t.throws(() => encodeJpeg(img, 0), InvalidArgumentError);
  await t.rejects(
    generateSyntheticCoco({ outDir: join(tmp, "x"), categories: ["cube" as never] }),
    InvalidArgumentError,
  );
});
