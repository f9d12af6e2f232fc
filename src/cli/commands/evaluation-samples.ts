import { readdir, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import ndarray from "ndarray";
import { DatasetError, InvalidArgumentError } from "../../core/errors";
import { Rng } from "../../core/rng";
import type { Dataset } from "../../data";
import { CocoDataset, loadImage, loadLabelPng } from "../../data";
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
 * The standard protocol on a mask folder (`images/NAME.jpg|png` with `masks/NAME.png`, each
 * non-zero value one object, or `masks/NAME/*.png`, one binary mask per object): every object
 * of every image once, in name order, whatever its area; at most `limit` samples.
 */
export async function* maskFolderSamples(dir: string, limit = Infinity): AsyncGenerator<EvaluationSample> {
  const images = await listImages(join(dir, "images"));
  if (images.length === 0) throw new DatasetError(`no images in ${join(dir, "images")}`);
  let count = 0;
  for (const path of images) {
    const name = basename(path).replace(/\.[^.]+$/, "");
    const image = await loadImage(path);
    const [h, w] = image.shape;
    const objects: Array<{ suffix: string; gt: Uint8Array }> = [];
    const folder = join(dir, "masks", name);
    const isFolder = await stat(folder).then((st) => st.isDirectory(), () => false);
    for (const file of isFolder ? await listImages(folder) : [join(dir, "masks", `${name}.png`)]) {
      const m = await loadLabelPng(file).catch((err: Error) => {
        throw new DatasetError(`mask ${file} of image ${name} could not be read: ${err.message}`, { cause: err });
      });
      if (m.shape[0] !== h || m.shape[1] !== w) throw new DatasetError(`mask ${file} is ${m.shape[0]}x${m.shape[1]}, its image ${h}x${w}`);
      const values = isFolder ? [-1] : [...new Set(m.data)].filter((v) => v !== 0).sort((a, b) => a - b);
      for (const v of values) {
        const gt = new Uint8Array(h * w);
        for (let i = 0; i < h * w; i++) gt[i] = (v < 0 ? m.data[i] !== 0 : m.data[i] === v) ? 1 : 0;
        objects.push({ suffix: isFolder ? `/${basename(file).replace(/\.[^.]+$/, "")}` : values.length > 1 ? `#${v}` : "", gt });
      }
    }
    for (const o of objects) {
      if (count++ >= limit) return;
      yield { name: name + o.suffix, image, gt: ndarray(o.gt, [h, w]) };
    }
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
 * Samples of `--dataset grabcut|coco|maskfolder --path ...`: grabcut yields every image and
 * maskfolder every object (the standard protocol, see {@link maskFolderSamples}); coco draws
 * `--limit` samples (default 100) through its Dataset.sample.
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
    // The standard protocol: every object once (the total is the image count when masks hold several objects).
    const total = Math.min((await listImages(join(o.path, "images"))).length, o.limit ?? Infinity);
    return { samples: maskFolderSamples(o.path, o.limit), total };
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
