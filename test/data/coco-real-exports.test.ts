// Real third-party COCO exports (labelme2coco, CVAT): unused categories, bbox-only annotations,
// crowd brush masks, file names relative to the export root, missing files.
import t from "tap";
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "../../src/core/rng";
import { CocoDataset } from "../../src/data/coco-dataset";
import { CocoIndex } from "../../src/data/coco-index";
import { polygonsToMask } from "../../src/data/polygon";
import { make } from "../../src/registry";
import type { Env } from "../../src/core/env";
import { writeCocoExports } from "./coco-export-fixture";

const root = mkdtempSync(join(tmpdir(), "asg-export-"));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const fx = writeCocoExports(root);

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((x, y) => x + y, 0);

t.test(
  "SamSegEnv-v0 on a labelme2coco export with unused categories resets and steps (the reported crash)",
  async (t) => {
    const dataset = new CocoDataset({ annotationFile: fx.labelmeAnnotations, imagesDir: fx.root });
    const env = make("SamSegEnv-v0", { dataset, imgShape: [48, 64, 3], numPatches: 8, renderMode: null }) as Env<
      { targetCategory: string },
      number
    >;
    const seen = new Set<string>();
    for (let seed = 0; seed < 12; seed++) {
      const [obs] = await env.reset({ seed });
      seen.add(obs.targetCategory);
      await env.step(0);
    }
    t.same([...seen].sort(), ["cat", "dog"], "targets are the categories with a usable instance only");
    t.same(dataset.categories, ["cat", "dog"]);
    t.same(dataset.allCategories, ["_background_", "cat", "dog", "bird"]);
    await env.close();
  },
);

t.test("CVAT export: bbox-only annotations skipped and counted, crowd brush masks never targets", async (t) => {
  const index = CocoIndex.fromJson(require("node:fs").readFileSync(fx.cvatAnnotations, "utf8") as string, "cvat");
  t.same(index.stats, {
    images: 4,
    categories: 4,
    annotations: 20,
    grouped: 16,
    unknownReference: 0,
    noSegmentation: 4,
    crowd: 4,
  });
  const ds = new CocoDataset({ annotationFile: fx.cvatAnnotations, imagesDir: join(fx.root, "images") });
  await ds.load();
  t.same(ds.categories, ["cat", "dog"], "person (bbox-only) and car (crowd + below 1%) are not targets");
  const rng = new Rng(5);
  for (let i = 0; i < 16; i++) {
    const cat = i % 2 === 1;
    const s = await ds.sample(cat ? "cat" : "dog", rng);
    t.equal(s.masks.shape[2], 1);
    const k = Number(/2007_00(\d)/.exec(s.source!)![1]);
    t.equal(sum(s.masks.data), cat ? 22 * 24 : 22 * (30 - k), "the box polygon's pixels");
  }
  await t.rejects(
    new CocoDataset({
      annotationFile: fx.cvatAnnotations,
      imagesDir: join(fx.root, "images"),
      categories: ["person"],
    }).load(),
    {
      name: "DatasetError",
      message:
        /Category "person" of ".*instances_default\.json" has no usable instance \(a usable instance is an annotation with a segmentation, not iscrowd, whose area is at least minAreaFraction = 0\.01/,
    },
  );
});

t.test("an export with no usable instance at all is an error on load naming the file and the rule", async (t) => {
  const file = join(root, "only-boxes.json");
  writeFileSync(
    file,
    JSON.stringify({
      images: [{ id: 1, file_name: "a.jpg", width: 10, height: 10 }],
      annotations: [
        { id: 1, image_id: 1, category_id: 1, segmentation: [], bbox: [0, 0, 5, 5], area: 25, iscrowd: 0 },
        { id: 2, image_id: 1, category_id: 2, segmentation: [[0, 0, 9, 0, 9, 9]], area: 40, iscrowd: 1 },
      ],
      categories: [
        { id: 1, name: "box" },
        { id: 2, name: "crowd" },
      ],
    }),
  );
  const ds = new CocoDataset({ annotationFile: file, imagesDir: root });
  await t.rejects(ds.load(), {
    name: "DatasetError",
    message:
      /No category of ".*only-boxes\.json" has a usable instance: a usable instance is an annotation with a segmentation, not iscrowd.*2 annotations \(1 without segmentation, 1 crowd/,
  });
  // With the index given, the error comes at construction.
  t.throws(
    () =>
      new CocoDataset({
        annotationFile: file,
        imagesDir: root,
        index: CocoIndex.fromJson(require("node:fs").readFileSync(file, "utf8") as string, file),
      }),
    /No category of/,
  );
  const env = make("SamSegEnv-v0", { dataset: ds, imgShape: [10, 10, 3], numPatches: 2 });
  await t.rejects(env.reset({ seed: 0 }), /No category of .* has a usable instance/);
  await env.close();
});

t.test("pycocotools quirk: a 4-number polygon part after a first valid part rasterises to nothing", async (t) => {
  const first = [4, 6, 26, 6, 26, 30, 4, 30];
  t.same(polygonsToMask([first, [30, 40, 31, 41]], 48, 64).data, polygonsToMask([first], 48, 64).data);
  t.equal(
    sum(polygonsToMask([first, [30, 40, 31, 41], [10, 10]], 48, 64).data),
    22 * 24,
    "any short later part: zero area, no error",
  );
  t.throws(() => polygonsToMask([[1, 2, 3, 4, 5]], 5, 6), /at least 6/, "a short FIRST part is still an error");
  // image 0 of the labelme export has such a part: its cat mask is the box alone
  const ds = new CocoDataset({ annotationFile: fx.labelmeAnnotations, imagesDir: fx.root, categories: ["cat"] });
  for (let seed = 0; seed < 8; seed++) t.equal(sum((await ds.sample("cat", new Rng(seed))).masks.data), 22 * 24);
});

t.test(
  "file_name relative to the export root: a wrong images folder says what was tried and which folder to pass",
  async (t) => {
    const wrong = new CocoDataset({ annotationFile: fx.labelmeAnnotations, imagesDir: join(fx.root, "JPEGImages") });
    const err = await wrong.sample("cat", new Rng(0)).then(
      () => null,
      (e: Error) => e,
    );
    t.ok(err, "fails");
    t.match(err!.message, /JPEGImages\/JPEGImages\/2007_00\d\.jpg/, "names the path tried");
    t.match(
      err!.message,
      new RegExp(
        `file_name "JPEGImages/2007_00\\d\\.jpg" is read relative to the images folder .*; it exists under "${fx.root}": pass that folder`,
      ),
    );
    const cvatWrong = new CocoDataset({ annotationFile: fx.cvatAnnotations, imagesDir: join(fx.root, "annotations") });
    await t.rejects(cvatWrong.sample("cat", new Rng(0)), {
      message: new RegExp(`it exists under "${join(fx.root, "images")}"`),
    });
    const lone = mkdtempSync(join(tmpdir(), "asg-export-lone-"));
    t.teardown(() => rmSync(lone, { recursive: true, force: true }));
    const annFile = join(lone, "ann.json");
    writeFileSync(
      annFile,
      JSON.stringify({
        images: [{ id: 1, file_name: "sub/x.jpg", width: 10, height: 10 }],
        annotations: [{ id: 1, image_id: 1, category_id: 1, segmentation: [[0, 0, 9, 0, 9, 9]], area: 40, iscrowd: 0 }],
        categories: [{ id: 1, name: "thing" }],
      }),
    );
    const nowhere = new CocoDataset({ annotationFile: annFile, imagesDir: join(lone, "nope") });
    await t.rejects(nowhere.sample("thing", new Rng(0)), {
      message:
        /is missing or unreadable: file_name "sub\/x\.jpg" .*; tried ".*nope\/sub\/x\.jpg", ".*lone-\w+\/sub\/x\.jpg"/,
    });
  },
);

t.test("validateFiles lists missing files up front; skipMissingImages resamples", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-export-missing-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const f = writeCocoExports(dir);
  unlinkSync(join(dir, "JPEGImages", "2007_001.jpg"));
  unlinkSync(join(dir, "JPEGImages", "2007_003.jpg"));
  await t.rejects(
    new CocoDataset({ annotationFile: f.labelmeAnnotations, imagesDir: dir, validateFiles: true }).load(),
    {
      name: "DatasetError",
      message:
        /2 of 4 image files of ".*annotations\.json" are missing or unreadable: ".*2007_001\.jpg", ".*2007_003\.jpg"/,
    },
  );
  const skip = new CocoDataset({
    annotationFile: f.labelmeAnnotations,
    imagesDir: dir,
    validateFiles: true,
    skipMissingImages: true,
  });
  await skip.load();
  t.same(
    skip.missingImages.map((m) => m.fileName),
    ["JPEGImages/2007_001.jpg", "JPEGImages/2007_003.jpg"],
  );
  const lazy = new CocoDataset({ annotationFile: f.labelmeAnnotations, imagesDir: dir, skipMissingImages: true });
  const rng = new Rng(2);
  for (let i = 0; i < 20; i++) {
    t.match((await skip.sample("dog", rng)).source, /2007_00[02]\.jpg$/);
    t.match((await lazy.sample("cat", rng)).source, /2007_00[02]\.jpg$/);
  }
  t.equal(skip.skippedImages, 0, "validated: missing images are never drawn");
  t.ok(lazy.skippedImages > 0, "lazy: missing images drawn, skipped and counted");
  await t.rejects(
    new CocoDataset({ annotationFile: f.labelmeAnnotations, imagesDir: dir })
      .sample("cat", new Rng(1))
      .then(async (s) => {
        for (let i = 2; i < 12; i++)
          await new CocoDataset({ annotationFile: f.labelmeAnnotations, imagesDir: dir }).sample("cat", new Rng(i));
        return s;
      }),
    /missing or unreadable/,
    "without skipMissingImages a missing file fails sample()",
  );
});

t.test("SamSegEnv: a target category without a usable instance is named as such", async (t) => {
  const dataset = new CocoDataset({ annotationFile: fx.labelmeAnnotations, imagesDir: fx.root });
  const env = make("SamSegEnv-v0", {
    dataset,
    targetCategories: ["cat", "bird"],
    imgShape: [48, 64, 3],
    numPatches: 8,
  });
  await t.rejects(
    env.reset({ seed: 0 }),
    /targetCategories \["bird"\] are not in the dataset; it has \["cat","dog"\] \(\["bird"\] have no usable instance/,
  );
  await env.close();
});
