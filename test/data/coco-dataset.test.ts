import t from "tap";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { Rng } from "../../src/core/rng";
import { DatasetError, InvalidArgumentError } from "../../src/core/errors";
import { CocoDataset } from "../../src/data/coco-dataset";
import { CocoIndex } from "../../src/data/coco-index";
import { CocoScanner, type CocoElement } from "../../src/data/coco-json-scanner";
import { encodePng } from "../../src/data/image-io";
import { rleEncode } from "../../src/data/rle";

/** Axis-aligned box polygon covering pixel columns x0..x1-1 and rows y0..y1-1 (pycocotools pixels). */
const box = (x0: number, y0: number, x1: number, y1: number): number[][] => [[x0, y0, x1, y0, x1, y1, x0, y1]];

function boxMask(h: number, w: number, x0: number, y0: number, x1: number, y1: number): ndarray.NdArray<Uint8Array> {
  const m = ndarray(new Uint8Array(h * w), [h, w]);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m.set(y, x, 1);
  return m;
}

/**
 * A hand-made COCO file. 10x10 images (100 px; 1% = 1 px).
 * img 1 (a.png): cat A box 30 px, cat B box 50 px (RLE string), cat C crowd 60 px, dog D 10 px (RLE counts)
 * img 2 (b.png): cat E 40 px, cat F 0.5 px (area field) -> below 1%
 * img 3 (c.png): fish crowd 80 px, fish 0.9 px
 * img 4 (missing.png, no file): cow 10 px
 */
function makeDataset(root: string): void {
  mkdirSync(join(root, "annotations"), { recursive: true });
  mkdirSync(join(root, "images", "val"), { recursive: true });
  for (const [name, v] of [
    ["a.png", 10],
    ["b.png", 20],
    ["c.png", 30],
  ] as const) {
    writeFileSync(join(root, "images", "val", name), encodePng(ndarray(new Uint8Array(300).fill(v), [10, 10, 3])));
  }
  const json = {
    info: { description: 'tiny {with braces} and "quotes"', segmentation: [1, 2] },
    licenses: [],
    images: [
      { id: 101, file_name: "a.png", width: 10, height: 10 },
      { id: 102, file_name: "b.png", width: 10, height: 10 },
      { id: 103, file_name: "c.png", width: 10, height: 10 },
      { id: 104, file_name: "missing.png", width: 10, height: 10 },
    ],
    annotations: [
      { id: 1, image_id: 101, category_id: 1, area: 30, iscrowd: 0, bbox: [0, 0, 5, 6], segmentation: box(0, 0, 5, 6) },
      {
        segmentation: rleEncode(boxMask(10, 10, 5, 0, 10, 10)),
        id: 2,
        image_id: 101,
        category_id: 1,
        area: 50,
        iscrowd: 0,
      },
      { id: 3, image_id: 101, category_id: 1, area: 60, iscrowd: 1, segmentation: box(0, 0, 6, 10) },
      {
        id: 4,
        image_id: 101,
        category_id: 2,
        area: 10,
        iscrowd: 0,
        segmentation: { size: [10, 10], counts: [0, 10, 90] },
      },
      { id: 5, image_id: 102, category_id: 1, area: 40, iscrowd: 0, segmentation: box(0, 0, 4, 10) },
      { id: 6, image_id: 102, category_id: 1, area: 0.5, iscrowd: 0, segmentation: box(9, 9, 10, 10) },
      { id: 7, image_id: 103, category_id: 4, area: 80, iscrowd: 1, segmentation: box(0, 0, 8, 10) },
      { id: 8, image_id: 103, category_id: 4, area: 0.9, iscrowd: 0, segmentation: box(0, 0, 1, 1) },
      { id: 9, image_id: 104, category_id: 5, area: 10, iscrowd: 0, segmentation: box(0, 0, 1, 10) },
      { id: 10, image_id: 999, category_id: 1, area: 10, iscrowd: 0, segmentation: box(0, 0, 1, 10) },
    ],
    categories: [
      { id: 1, name: "cat" },
      { id: 2, name: "dog" },
      { id: 3, name: "bird" },
      { id: 4, name: "fish" },
      { id: 5, name: "cow" },
    ],
  };
  writeFileSync(join(root, "annotations", "instances_val.json"), JSON.stringify(json, null, 1));
}

const root = mkdtempSync(join(tmpdir(), "alignsam-coco-"));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
makeDataset(root);
const annFile = join(root, "annotations", "instances_val.json");

/** Masks [h, w, K] as K lists of set-pixel counts, and which column ranges they cover. */
function maskAreas(m: ndarray.NdArray): number[] {
  const [h, w, k] = m.shape as [number, number, number];
  return Array.from({ length: k }, (_, j) => {
    let s = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) s += m.get(y, x, j);
    return s;
  });
}

t.test("index: typed arrays, groups by (category, image), unknown image skipped", async (t) => {
  const idx = await CocoIndex.fromFile(annFile);
  t.equal(idx.numImages, 4);
  t.equal(idx.numAnnotations, 10);
  t.equal(idx.skipped, 1);
  t.same(idx.categoryNames, ["cat", "dog", "bird", "fish", "cow"]);
  const cat = idx.categoryIndex("cat");
  t.equal(idx.categoryIndex(1), cat);
  const groups = [idx.catGroupStart[cat]!, idx.catGroupStart[cat + 1]!];
  t.same(Array.from(idx.groupImage.subarray(groups[0], groups[1])), [0, 1], "cat is in images 101 and 102");
  t.equal(idx.catGroupStart[2]! - idx.catGroupStart[2 + 1]!, 0, "bird has no image");
  t.same(idx.segmentation(3), { size: [10, 10], counts: [0, 10, 90] }, "segmentation kept raw, parsed on demand");
});

t.test("scanner: identical elements whatever the chunking (escapes, braces in strings, nested objects)", async (t) => {
  const text = JSON.stringify({
    info: { 'x"}': "]{", segmentation: "not an annotation" },
    images: [{ id: 1, file_name: 'we\\ird "name" {1}.png', width: 2, height: 2 }],
    annotations: [
      { id: 7, segmentation: { size: [2, 2], counts: "04" }, image_id: 1, category_id: 3, area: 4 },
      { id: 8, image_id: 1, category_id: 3, segmentation: [[0, 0, 2, 0, 2, 2]] },
    ],
    categories: [{ id: 3, name: "z" }],
  });
  const collect = (chunk: number): CocoElement[] => {
    const out: CocoElement[] = [];
    const s = new CocoScanner("mem", (e) => out.push({ ...e, segmentation: Uint8Array.from(e.segmentation) }));
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk));
    s.end();
    return out;
  };
  const whole = collect(1 << 20);
  t.equal(whole.length, 4);
  t.same(JSON.parse(whole[0]!.json).file_name, 'we\\ird "name" {1}.png');
  t.same(Buffer.from(whole[1]!.segmentation).toString(), '{"size":[2,2],"counts":"04"}');
  t.same(JSON.parse(whole[1]!.json), { id: 7, segmentation: null, image_id: 1, category_id: 3, area: 4 });
  for (const chunk of [1, 2, 3, 7, 64]) t.same(collect(chunk), whole, `chunk size ${chunk}`);
  t.throws(() => CocoIndex.fromJson(text.slice(0, text.length - 30)), { name: "DatasetError", message: /truncated/ });
  t.throws(() => CocoIndex.fromJson("[1, 2]"), /top level must be one JSON object/);
  t.throws(() => CocoIndex.fromJson('{"images": [{"id": 1}]}'), /no numeric "width"/);
});

t.test("sampling: sorted by area, crowd skipped but counted, 1% stop, maxInstances", async (t) => {
  const ds = new CocoDataset({ dataDir: root, split: "val", categories: ["cat"], maxInstances: 5 });
  t.same(ds.categories, ["cat"], "names known before loading");
  const seen = new Map<string, number[]>();
  const rng = new Rng(3);
  for (let i = 0; i < 40; i++) {
    const s = await ds.sample("cat", rng);
    t.same(s.image.shape, [10, 10, 3]);
    seen.set(s.source!.split(/[\\/]/).pop()!, maskAreas(s.masks));
  }
  // a.png: sorted C(60, crowd) B(50) A(30) -> [B, A]; b.png: E(40), F(0.5 < 1) stops -> [E]
  t.same(seen.get("a.png"), [50, 30]);
  t.same(seen.get("b.png"), [40]);
  const two = new CocoDataset({ dataDir: root, split: "val", maxInstances: 2 });
  await two.load();
  for (let i = 0; i < 20; i++) {
    const s = await two.sample("cat", new Rng(i));
    if (s.source!.endsWith("a.png")) t.same(maskAreas(s.masks), [50], "first 2 are C (crowd, skipped) and B");
  }
  const all = new CocoDataset({ dataDir: root, split: "val", maxInstances: 0 });
  await all.load();
  t.equal(all.maxInstances, 100, "<= 0 means 100");
  const dog = await all.sample("dog", new Rng(0));
  t.same(maskAreas(dog.masks), [10], "uncompressed RLE counts");
  t.same(
    [dog.masks.get(0, 0, 0), dog.masks.get(9, 0, 0), dog.masks.get(0, 1, 0)],
    [1, 1, 0],
    "RLE is column-major: first column set",
  );
});

t.test("sampling is driven by the caller's Rng only", async (t) => {
  const ds = new CocoDataset({ dataDir: root, split: "val", categories: [1] });
  const run = async (seed: number) => {
    const rng = new Rng(seed);
    const out: string[] = [];
    for (let i = 0; i < 12; i++) out.push((await ds.sample("cat", rng)).source!);
    return out;
  };
  const a = await run(11);
  t.same(await run(11), a);
  t.ok(new Set(a).size === 2, "both candidate images are drawn");
});

t.test("errors: bounded resampling, missing image, unknown category, categories before load", async (t) => {
  const ds = new CocoDataset({ dataDir: root, split: "val", maxResampleAttempts: 7 });
  // fish (only crowd or < 1%) and bird (no annotation) have no usable instance: not sampling targets.
  await t.rejects(ds.sample("fish", new Rng(0)), {
    name: "DatasetError",
    message: /Unknown category "fish"; this dataset has: cat, dog, cow/,
  });
  await t.rejects(ds.sample("bird", new Rng(0)), { name: "DatasetError", message: /Unknown category "bird"/ });
  t.same(ds.allCategories, ["cat", "dog", "bird", "fish", "cow"]);
  await t.rejects(new CocoDataset({ dataDir: root, split: "val", categories: ["fish"] }).load(), {
    name: "DatasetError",
    message:
      /Category "fish" of ".*instances_val\.json" has no usable instance \(a usable instance is an annotation with a segmentation, not iscrowd/,
  });
  // With maxInstances 1, a.png's only cat slot is taken by the crowd C: only b.png yields a mask, so a
  // draw of a.png with one attempt allowed ends in the bounded-resampling error.
  const one = new CocoDataset({
    dataDir: root,
    split: "val",
    categories: ["cat"],
    maxInstances: 1,
    maxResampleAttempts: 1,
  });
  const outcomes = await Promise.all(
    [0, 1, 2, 3, 4, 5].map((seed) =>
      one.sample("cat", new Rng(seed)).then(
        () => "ok",
        (e: Error) => e.message,
      ),
    ),
  );
  t.ok(outcomes.includes("ok"), "b.png yields a mask");
  t.ok(
    outcomes.some((o) => /"cat" after 1 images/.test(o)),
    "a.png (crowd first) yields none: bounded resampling error",
  );
  await t.rejects(ds.sample("cow", new Rng(0)), { name: "DatasetError", message: /missing\.png/ });
  await t.rejects(ds.sample("unicorn", new Rng(0)), { name: "DatasetError", message: /Unknown category "unicorn"/ });
  const byId = new CocoDataset({ dataDir: root, split: "val", categories: [2] });
  t.throws(() => byId.categories, DatasetError);
  await byId.load();
  t.same(byId.categories, ["dog"]);
  await t.rejects(
    new CocoDataset({ dataDir: root, split: "val", categories: ["horse"] }).load(),
    /Unknown category "horse"/,
  );
  await t.rejects(new CocoDataset({ dataDir: root, split: "nope" }).sample("cat", new Rng(0)), {
    name: "DatasetError",
    message: /instances_nope\.json/,
  });
  t.throws(() => new CocoDataset({ dataDir: root } as never), InvalidArgumentError);
  t.throws(() => new CocoDataset({ dataDir: root, split: "val", maxResampleAttempts: 0 }), InvalidArgumentError);
});

t.test("a shared index: CocoIndex.load caches by path; datasets built on one index", async (t) => {
  const a = await CocoIndex.load(annFile);
  const b = await CocoIndex.load(join(root, "annotations", "..", "annotations", "instances_val.json"));
  t.equal(a, b, "same object for the same file");
  const d1 = new CocoDataset({ dataDir: root, split: "val", index: a });
  const d2 = new CocoDataset({ dataDir: root, split: "val", index: a, categories: ["dog"] });
  t.same(d1.categories, ["cat", "dog", "cow"], "only categories with a usable instance");
  t.same(d1.allCategories, ["cat", "dog", "bird", "fish", "cow"]);
  t.same(d2.categories, ["dog"]);
  t.equal(d1.loadedIndex, d2.loadedIndex);
  const [s1, s2] = await Promise.all([d1.sample("cat", new Rng(1)), d2.sample("dog", new Rng(1))]);
  t.ok(s1.masks.shape[2]! >= 1 && s2.masks.shape[2] === 1);
});

t.test("imageCacheBytes: the same samples without re-reading files; copies out; bounded; checked", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "alignsam-coco-cache-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  makeDataset(dir);
  const plain = new CocoDataset({ dataDir: dir, split: "val", categories: ["cat"] });
  const cached = new CocoDataset({ dataDir: dir, split: "val", categories: ["cat"], imageCacheBytes: 600 });
  const draws = async (ds: CocoDataset, seed: number) => {
    const rng = new Rng(seed);
    const out = [];
    for (let i = 0; i < 8; i++) out.push(await ds.sample("cat", rng));
    return out;
  };
  const want = await draws(plain, 3);
  const got = await draws(cached, 3);
  t.same(
    got.map((s) => [s.source, [...s.image.data], [...s.masks.data]]),
    want.map((s) => [s.source, [...s.image.data], [...s.masks.data]]),
  );
  // Both images (300 bytes each) are held: deleting the files changes nothing for the cached dataset.
  rmSync(join(dir, "images", "val", "a.png"));
  rmSync(join(dir, "images", "val", "b.png"));
  const again = await draws(cached, 3);
  t.same(
    again.map((s) => [...s.image.data]),
    want.map((s) => [...s.image.data]),
  );
  again[0]!.image.data.fill(255); // a caller's change does not reach the cache
  t.same([...(await draws(cached, 3))[0]!.image.data], [...want[0]!.image.data]);
  await t.rejects(draws(plain, 3), { name: "DatasetError", message: /missing or unreadable/ });
  for (const bad of [-1, Infinity, "1" as unknown as number]) {
    t.throws(() => new CocoDataset({ dataDir: dir, split: "val", imageCacheBytes: bad }), InvalidArgumentError);
  }
});
