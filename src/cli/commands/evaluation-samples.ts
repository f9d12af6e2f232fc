import { readdir, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import ndarray from "ndarray";
import { DatasetError, InvalidArgumentError } from "../../core/errors";
import { Rng } from "../../core/rng";
import type { Dataset, DatasetSpec } from "../../data";
import { CocoIndex, createDataset, loadImage, loadLabelPng } from "../../data";
import { datasetEnvKwargs, datasetSpecFromOptions, type DatasetCliOptions } from "./dataset-options";
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
  return names
    .filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase()))
    .sort()
    .map((n) => join(dir, n));
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
    const gt = new Uint8Array(h * w),
      ignore = new Uint8Array(h * w);
    for (let i = 0; i < h * w; i++) {
      const v = mask.data[i * 3];
      gt[i] = v > 191 ? 1 : 0;
      ignore[i] = v > 63 && v <= 191 ? 1 : 0;
    }
    yield { name, image, gt: ndarray(gt, [h, w]), ignore: ndarray(ignore, [h, w]) };
  }
}

/**
 * The standard protocol on a mask folder (`imagesDir/NAME.jpg|png` with `masksDir/NAME.png`, each
 * non-zero value one object, or `masksDir/NAME/*.png`, one binary mask per object): every object
 * of every image once, in name order, whatever its area; at most `limit` samples.
 */
export async function* maskFolderSamples(
  imagesDir: string,
  masksDir: string,
  limit = Infinity,
): AsyncGenerator<EvaluationSample> {
  const images = await listImages(imagesDir);
  if (images.length === 0) throw new DatasetError(`no images in ${imagesDir}`);
  let count = 0;
  for (const path of images) {
    const name = basename(path).replace(/\.[^.]+$/, "");
    const image = await loadImage(path);
    const [h, w] = image.shape;
    const objects: Array<{ suffix: string; gt: Uint8Array }> = [];
    const folder = join(masksDir, name);
    const isFolder = await stat(folder).then(
      (st) => st.isDirectory(),
      () => false,
    );
    for (const file of isFolder ? await listImages(folder) : [join(masksDir, `${name}.png`)]) {
      const m = await loadLabelPng(file).catch((err: Error) => {
        throw new DatasetError(`mask ${file} of image ${name} could not be read: ${err.message}`, { cause: err });
      });
      if (m.shape[0] !== h || m.shape[1] !== w)
        throw new DatasetError(`mask ${file} is ${m.shape[0]}x${m.shape[1]}, its image ${h}x${w}`);
      const values = isFolder ? [-1] : [...new Set(m.data)].filter((v) => v !== 0).sort((a, b) => a - b);
      for (const v of values) {
        const gt = new Uint8Array(h * w);
        for (let i = 0; i < h * w; i++) gt[i] = (v < 0 ? m.data[i] !== 0 : m.data[i] === v) ? 1 : 0;
        objects.push({
          suffix: isFolder ? `/${basename(file).replace(/\.[^.]+$/, "")}` : values.length > 1 ? `#${v}` : "",
          gt,
        });
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

/** The dataset flags plus the sampling budget of an evaluation. */
export interface EvaluationDatasetOptions extends DatasetCliOptions {
  limit?: number;
  seed?: number;
}

/**
 * Samples of the dataset flags (`--dataset grabcut|coco|maskfolder` with `--path`, or
 * `--images`/`--masks`, or coco's `--annotations --images`): grabcut yields every image (its 128
 * band ignored) and maskfolder every object (the standard protocol, see {@link maskFolderSamples});
 * coco draws `--limit` samples (default 100) through its Dataset.sample.
 */
export async function openSamples(
  o: EvaluationDatasetOptions,
): Promise<{ samples: AsyncIterable<EvaluationSample>; total: number }> {
  if (o.dataset === "grabcut") {
    if (o.path === undefined)
      throw new InvalidArgumentError("--dataset grabcut needs --path <root> (with images/ and masks/)");
    const total = Math.min((await listImages(join(o.path, "images"))).length, o.limit ?? Infinity);
    return { samples: grabCutSamples(o.path, o.limit), total };
  }
  if (o.dataset !== "coco" && o.dataset !== "maskfolder") {
    throw new InvalidArgumentError(`--dataset must be "grabcut", "coco" or "maskfolder", got "${o.dataset}"`);
  }
  if (o.dataset === "maskfolder") {
    // The standard protocol: every object once (the total is the image count when masks hold several objects).
    const spec = datasetSpecFromOptions(o);
    if (spec === null || spec.kind !== "maskfolder")
      throw new InvalidArgumentError("--dataset maskfolder needs --path or --images and --masks");
    const imagesDir = join(spec.root, spec.imagesDir ?? "images");
    const masksDir = join(spec.root, spec.masksDir ?? "masks");
    const total = Math.min((await listImages(imagesDir)).length, o.limit ?? Infinity);
    return { samples: maskFolderSamples(imagesDir, masksDir, o.limit), total };
  }
  const { dataset, targetCategories } = datasetEnvKwargs(o) as { dataset: DatasetSpec; targetCategories?: string[] };
  const ds = createDataset(dataset) as Dataset & { load?: () => Promise<unknown> };
  await ds.load?.();
  const view: Dataset = targetCategories ? { categories: targetCategories, sample: (c, rng) => ds.sample(c, rng) } : ds;
  const total = o.limit ?? 100;
  return { samples: datasetSamples(view, total, o.seed ?? 0), total };
}

/**
 * The image files of the dataset flags (what `embed` precomputes): for coco with --annotations,
 * every image the annotation file lists (file_name under --images, deduplicated, file order);
 * otherwise the jpg/png files of the images folder (grabcut and maskfolder: <path>/images or
 * --images; coco: <path>/images/<split>), sorted by name.
 */
export async function datasetImageFiles(o: DatasetCliOptions): Promise<string[]> {
  return (await datasetImages(o)).files;
}

/**
 * The image files of a dataset (as {@link datasetImageFiles}) and the folder they sit under
 * (`root`: what `embed` keys its shards and names its manifests by).
 */
export async function datasetImages(o: DatasetCliOptions): Promise<{ root: string; files: string[] }> {
  const spec = datasetSpecFromOptions(o);
  if (spec === null) throw new InvalidArgumentError("--dataset must be grabcut, coco or maskfolder here");
  if (spec.kind === "coco" && o.annotations !== undefined) {
    const index = await CocoIndex.load(spec.annotationFile);
    return { root: spec.imagesDir, files: [...new Set(index.imageFiles.map((f) => join(spec.imagesDir, f)))] };
  }
  if (spec.kind === "coco") return { root: spec.imagesDir, files: await listImages(spec.imagesDir) };
  if (spec.kind === "maskfolder") {
    const root = join(spec.root, spec.imagesDir ?? "images");
    return { root, files: await listImages(root) };
  }
  throw new InvalidArgumentError(`--dataset ${o.dataset} has no image files to list`);
}
