import { readdir } from "node:fs/promises";
import { extname, join } from "node:path";
import ndarray from "ndarray";
import { DatasetError, InvalidArgumentError } from "../../core/errors";
import { Rng } from "../../core/rng";
import type { Dataset } from "../../data";
import { CocoDataset, MaskFolderDataset, loadImage } from "../../data";
import type { EvaluationSample } from "../../segmenters";

const IMAGE_EXTENSIONS = new Set([".jpg", ".jpeg", ".png"]);

/** Image files (jpg/png) of a folder, sorted by name. */
export async function listImages(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new DatasetError(`cannot read image folder ${dir}: ${(err as Error).message}`, { cause: err });
  }
  return names.filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase())).sort().map((n) => join(dir, n));
}

/**
 * The GrabCut benchmark layout: `images/NAME.(jpg|png)` and `masks/NAME.png` with 0 background,
 * 255 object and 128 the ignored boundary band. Yields one sample per image, in name order.
 */
export async function* grabCutSamples(dir: string, limit = Infinity): AsyncGenerator<EvaluationSample> {
  const images = (await listImages(join(dir, "images"))).slice(0, limit);
  if (images.length === 0) throw new DatasetError(`no images in ${join(dir, "images")}`);
  for (const path of images) {
    const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.[^.]+$/, "");
    const image = await loadImage(path);
    const mask = await loadImage(join(dir, "masks", `${name}.png`));
    const [h, w] = image.shape;
    if (mask.shape[0] !== h || mask.shape[1] !== w) {
      throw new DatasetError(`mask of ${name} is ${mask.shape[0]}x${mask.shape[1]}, its image ${h}x${w}`);
    }
    const gt = new Uint8Array(h * w), ignore = new Uint8Array(h * w);
    for (let i = 0; i < h * w; i++) {
      const v = mask.data[i * 3];
      gt[i] = v > 191 ? 1 : 0;
      ignore[i] = v > 63 && v <= 191 ? 1 : 0;
    }
    yield { name, image, gt: ndarray(gt, [h, w]), ignore: ndarray(ignore, [h, w]) };
  }
}

/**
 * `count` samples from any {@link Dataset}: sample i draws category i mod #categories with a
 * stream seeded by `seed`; the object is the sample's first (largest) instance mask.
 */
export async function* datasetSamples(dataset: Dataset, count: number, seed: number): AsyncGenerator<EvaluationSample> {
  const cats = dataset.categories;
  if (cats.length === 0) throw new DatasetError("the dataset has no categories");
  const rng = new Rng(seed);
  for (let i = 0; i < count; i++) {
    const cat = cats[i % cats.length];
    const { image, masks, source } = await dataset.sample(cat, rng);
    yield { name: `${source ?? "sample"}#${cat}`, image, gt: masks.pick(null, null, 0) };
  }
}

/** Options naming an evaluation dataset on the command line. */
export interface DatasetCliOptions {
  dataset: string;
  path: string;
  split?: string;
  limit?: number;
  seed?: number;
}

/**
 * Samples of `--dataset grabcut|coco|maskfolder --path ...`: grabcut yields every image; coco
 * and maskfolder draw `--limit` samples (default 100) through their Dataset.sample.
 */
export async function openSamples(o: DatasetCliOptions): Promise<{ samples: AsyncIterable<EvaluationSample>; total: number }> {
  if (o.dataset === "grabcut") {
    const total = Math.min((await listImages(join(o.path, "images"))).length, o.limit ?? Infinity);
    return { samples: grabCutSamples(o.path, o.limit), total };
  }
  if (o.dataset === "coco") {
    const ds = await new CocoDataset({ dataDir: o.path, split: o.split ?? "val2017" }).load();
    const total = o.limit ?? 100;
    return { samples: datasetSamples(ds, total, o.seed ?? 0), total };
  }
  if (o.dataset === "maskfolder") {
    const ds = await new MaskFolderDataset({ root: o.path }).load();
    const total = o.limit ?? 100;
    return { samples: datasetSamples(ds, total, o.seed ?? 0), total };
  }
  throw new InvalidArgumentError(`--dataset must be "grabcut", "coco" or "maskfolder", got "${o.dataset}"`);
}

/** Folder holding the images of `--dataset ... --path ...` (what `embed` precomputes). */
export function imageFolder(o: Pick<DatasetCliOptions, "dataset" | "path" | "split">): string {
  if (o.dataset === "grabcut") return join(o.path, "images");
  if (o.dataset === "coco") return join(o.path, "images", o.split ?? "val2017");
  if (o.dataset === "maskfolder") return join(o.path, "images");
  throw new InvalidArgumentError(`--dataset must be "grabcut", "coco" or "maskfolder", got "${o.dataset}"`);
}
