import { join, resolve } from "node:path";
import { containedPath } from "../core/bounded-file";
import ndarray, { type NdArray } from "ndarray";
import type { Rng } from "../core/rng";
import { DatasetError, ImageDecodeError, InvalidArgumentError } from "../core/errors";
import type { Dataset, DatasetSample } from "./dataset";
import { CocoIndex } from "./coco-index";
import { loadImage } from "./image-io";
import { rleDecode } from "./rle";
import { annotationRuns, describeInstanceRule, groupTargets, hasUsableInstance } from "./coco-instances";
import { findMissingImages, imageFolderHint, type MissingImage } from "./coco-files";
import { DecodedImageCache } from "./decoded-image-cache";

/** Options of {@link CocoDataset}. */
export interface CocoDatasetOptions {
  /** Dataset root: {dataDir}/annotations/instances_{split}.json and {dataDir}/images/{split}/. */
  dataDir?: string;
  /** Split name, e.g. "val2017". */
  split?: string;
  /** Folder of the image files (overrides {dataDir}/images/{split}). */
  imagesDir?: string;
  /** Annotation file (overrides {dataDir}/annotations/instances_{split}.json). */
  annotationFile?: string;
  /**
   * Restrict sampling to these categories, by name or id; `categories` then lists their names
   * (each must have a usable instance). Default: every category with a usable instance.
   */
  categories?: ReadonlyArray<string | number>;
  /** Keep at most this many largest instances per sample; <= 0 means 100 (reference default 5). */
  maxInstances?: number;
  /** Stop at the first instance smaller than this fraction of the image (reference 0.01). */
  minAreaFraction?: number;
  /** Images drawn before giving up on a category whose picks yield no usable mask (default 100). */
  maxResampleAttempts?: number;
  /** A loaded index to share (else `CocoIndex.load(annotationFile)`, itself cached per path). */
  index?: CocoIndex;
  /**
   * Check on `load()` that every image file referenced by a usable instance exists and is
   * readable (not decoded); missing ones are listed in one DatasetError (default false).
   */
  validateFiles?: boolean;
  /**
   * A missing, unreadable or undecodable image is skipped and another image drawn (counted in
   * `skippedImages`) instead of failing `sample()`. With `validateFiles`, the missing files found
   * on load are listed in `missingImages` and their images never drawn (default false).
   */
  skipMissingImages?: boolean;
  /**
   * Let an image's `file_name` point outside `imagesDir` ("../x.jpg", an absolute path); default
   * false: such an annotation is refused with a DatasetError before anything is read.
   */
  allowOutsideImagesDir?: boolean;
  /** Refuse images above this many megapixels, from their header (default DEFAULT_MAX_MEGAPIXELS, 6). */
  maxMegapixels?: number;
  /**
   * Keep decoded images in memory, least recently used dropped first, up to this many bytes of
   * pixels (an h x w image takes 3hw bytes: 562.5 KB at 375x500); each `sample()` still returns
   * its own arrays. Default 0: every draw reads and decodes its file.
   */
  imageCacheBytes?: number;
}

/**
 * A COCO-format instance-segmentation dataset (COCO, LVIS, CVAT/Label Studio exports, or the
 * generated synthetic set) implementing {@link Dataset} with the AlignSAM reference's sampling:
 *
 * 1. candidates = images with at least one annotation of the category (in the file's image order);
 * 2. pick one uniformly: `rng.integers(0, candidates)` (one draw per attempt);
 * 3. load it as RGB; take its annotations of the category sorted by area, largest first
 *    (stable: ties keep file order), the first `maxInstances` of them;
 * 4. skip iscrowd ones; STOP at the first whose area < minAreaFraction * h * w;
 *    decode the others (polygons or RLE, pycocotools pixels) as masks of 1s;
 * 5. no mask -> back to 2, at most `maxResampleAttempts` times, then a DatasetError naming the
 *    category.
 *
 * Real exports (labelme2coco, CVAT) often list categories that no annotation uses and
 * bounding-box-only annotations: `categories` lists only the categories with at least one usable
 * instance (`allCategories` lists all), an export with none is an error on load naming the file
 * and the rule, and annotations without a segmentation are left out of sampling (counted in the
 * index's `stats.noSegmentation`). `file_name` is read relative to `imagesDir` (for labelme2coco,
 * the folder of annotations.json, since its names start with `JPEGImages/`).
 *
 * The annotation file is loaded lazily on the first `sample()` (or `await ds.load()`), through
 * the shared {@link CocoIndex} cache.
 *
 * @example
 * ```ts
 * const ds = new CocoDataset({ dataDir: "coco", split: "val2017", categories: ["cat", "dog"] });
 * const { image, masks } = await ds.sample("cat", new Rng(0)); // [H, W, 3], [H, W, K]
 * ```
 */
export class CocoDataset implements Dataset {
  /** Absolute-or-relative paths actually used. */
  readonly annotationFile: string;
  readonly imagesDir: string;
  readonly maxInstances: number;
  readonly minAreaFraction: number;
  readonly maxResampleAttempts: number;
  readonly validateFiles: boolean;
  readonly skipMissingImages: boolean;
  /** Images found missing or unreadable by `validateFiles` (empty otherwise). */
  missingImages: MissingImage[] = [];
  /** Draws whose image could not be read and were resampled (`skipMissingImages`). */
  skippedImages = 0;
  private readonly categoryFilter: ReadonlyArray<string | number> | undefined;
  private readonly allowOutsideImagesDir: boolean;
  private readonly maxMegapixels: number | undefined;
  private index: CocoIndex | null;
  private loading: Promise<CocoIndex> | null = null;
  private selected: number[] | null = null;
  private names: string[] | null = null;
  private validated = false;
  private skipImage: Set<number> | null = null;
  private readonly imageCache: DecodedImageCache | null;

  constructor(options: CocoDatasetOptions) {
    const { dataDir, split, maxInstances = 5, minAreaFraction = 0.01, maxResampleAttempts = 100 } = options ?? {};
    const annotationFile =
      options?.annotationFile ??
      (dataDir && split ? join(dataDir, "annotations", `instances_${split}.json`) : undefined);
    const imagesDir = options?.imagesDir ?? (dataDir && split ? join(dataDir, "images", split) : undefined);
    if (!annotationFile || !imagesDir) {
      throw new InvalidArgumentError("CocoDataset needs {dataDir, split} or both {annotationFile, imagesDir}");
    }
    if (!Number.isInteger(maxInstances))
      throw new InvalidArgumentError(`maxInstances must be an integer, got ${maxInstances}`);
    if (!(minAreaFraction >= 0 && minAreaFraction <= 1))
      throw new InvalidArgumentError(`minAreaFraction must be in [0, 1], got ${minAreaFraction}`);
    if (!Number.isInteger(maxResampleAttempts) || maxResampleAttempts < 1) {
      throw new InvalidArgumentError(`maxResampleAttempts must be a positive integer, got ${maxResampleAttempts}`);
    }
    this.annotationFile = annotationFile;
    this.imagesDir = imagesDir;
    this.maxInstances = maxInstances <= 0 ? 100 : maxInstances;
    this.minAreaFraction = minAreaFraction;
    this.maxResampleAttempts = maxResampleAttempts;
    this.validateFiles = flag(options.validateFiles, "validateFiles");
    this.skipMissingImages = flag(options.skipMissingImages, "skipMissingImages");
    this.categoryFilter = options.categories ? [...options.categories] : undefined;
    this.allowOutsideImagesDir = options.allowOutsideImagesDir === true;
    this.maxMegapixels = options.maxMegapixels;
    const cacheBytes = options.imageCacheBytes ?? 0;
    this.imageCache = cacheBytes === 0 ? null : new DecodedImageCache(cacheBytes);
    this.index = options.index ?? null;
    if (this.index) this.select(this.index);
  }

  /**
   * Names of the categories available for sampling. Known before loading only when the
   * `categories` option lists names (or an index was given); otherwise call `await load()`.
   * @throws DatasetError when the names are not known yet.
   */
  get categories(): string[] {
    if (this.names) return [...this.names];
    if (this.categoryFilter && this.categoryFilter.every((c) => typeof c === "string"))
      return [...(this.categoryFilter as string[])];
    throw new DatasetError(
      `CocoDataset categories are not known before loading "${this.annotationFile}": await dataset.load() first`,
    );
  }

  /** Names of every category of the annotation file, usable or not (after {@link load}). */
  get allCategories(): string[] {
    if (!this.index) {
      throw new DatasetError(
        `CocoDataset categories are not known before loading "${this.annotationFile}": await dataset.load() first`,
      );
    }
    return [...this.index.categoryNames];
  }

  /** The loaded index (after {@link load}). */
  get loadedIndex(): CocoIndex | null {
    return this.index;
  }

  /**
   * Load (or reuse) the annotation index, select the usable categories and, with
   * `validateFiles`, check the image files; idempotent.
   * @throws DatasetError when the file cannot be read, no category has a usable instance, a
   *   requested category has none, or (validateFiles without skipMissingImages) files are missing.
   */
  async load(): Promise<this> {
    if (this.index && this.names && (this.validated || !this.validateFiles)) return this;
    if (!this.index) {
      if (!this.loading) {
        this.loading = CocoIndex.load(this.annotationFile);
        this.loading.catch(() => (this.loading = null));
      }
      const index = await this.loading;
      if (!this.names) this.select(index);
      this.index = index;
    }
    if (this.validateFiles && !this.validated) await this.validate(this.index);
    return this;
  }

  /** List the missing image files among those of usable groups; throw or (skipMissingImages) exclude them. */
  private async validate(index: CocoIndex): Promise<void> {
    const images = new Set<number>();
    for (const c of this.selected as number[]) {
      const end = index.catGroupStart[c + 1] as number;
      for (let g = index.catGroupStart[c] as number; g < end; g++) images.add(index.groupImage[g] as number);
    }
    const missing = await findMissingImages(
      index,
      this.imagesDir,
      [...images].sort((a, b) => a - b),
    );
    this.missingImages = missing;
    if (missing.length > 0 && !this.skipMissingImages) {
      const first = missing[0] as MissingImage;
      throw new DatasetError(
        `${missing.length} of ${images.size} image files of "${index.path}" are missing or unreadable: ` +
          `${missing
            .slice(0, 10)
            .map((m) => `"${m.path}"`)
            .join(", ")}${missing.length > 10 ? ", ..." : ""}. ` +
          `${imageFolderHint(this.imagesDir, first.fileName, this.annotationFile)} (or set skipMissingImages)`,
      );
    }
    if (missing.length > 0) {
      this.skipImage = new Set(missing.map((m) => m.image));
      this.select(index);
    }
    this.validated = true;
  }

  private select(index: CocoIndex): void {
    const rule = { maxInstances: this.maxInstances, minAreaFraction: this.minAreaFraction };
    const skip = this.skipImage;
    const usable = (c: number): boolean => hasUsableInstance(index, c, rule, skip ? (img) => skip.has(img) : undefined);
    let sel: number[];
    if (this.categoryFilter) {
      sel = this.categoryFilter.map((c) => {
        const i = index.categoryIndex(c);
        if (i < 0) {
          throw new DatasetError(
            `Unknown category ${JSON.stringify(c)} in "${index.path}"; known: ${index.categoryNames.slice(0, 20).join(", ")}${index.numCategories > 20 ? ", ..." : ""}`,
          );
        }
        if (!usable(i)) {
          throw new DatasetError(
            `Category ${JSON.stringify(c)} of "${index.path}" has no usable instance (${describeInstanceRule(rule)}` +
              `${skip ? ", with a readable image file" : ""}); drop it from the categories`,
          );
        }
        return i;
      });
    } else {
      sel = index.categoryNames.map((_, i) => i).filter(usable);
      if (sel.length === 0) {
        const s = index.stats;
        throw new DatasetError(
          `No category of "${index.path}" has a usable instance: ${describeInstanceRule(rule)}` +
            `${skip ? ", with a readable image file" : ""}. ` +
            `The file has ${s.categories} categories, ${s.annotations} annotations (${s.noSegmentation} without segmentation, ` +
            `${s.crowd} crowd, ${s.unknownReference} with an unknown image or category)`,
        );
      }
    }
    this.selected = sel;
    this.names = sel.map((i) => index.categoryNames[i] as string);
  }

  /**
   * Draw an image containing `category` and the masks of its largest non-crowd instances.
   * @throws DatasetError on an unknown category, a category without usable instances after
   *   `maxResampleAttempts` draws, a missing or undecodable image file (naming the path), or
   *   an image whose size differs from its annotation record.
   */
  async sample(category: string, rng: Rng): Promise<DatasetSample> {
    await this.load();
    const index = this.index as CocoIndex;
    const pos = (this.names as string[]).indexOf(category);
    if (pos < 0) {
      throw new DatasetError(
        `Unknown category ${JSON.stringify(category)}; this dataset has: ${(this.names as string[]).join(", ")}`,
      );
    }
    const c = (this.selected as number[])[pos] as number;
    const g0 = index.catGroupStart[c] as number;
    const nGroups = (index.catGroupStart[c + 1] as number) - g0;
    if (nGroups === 0)
      throw new DatasetError(`No image in "${index.path}" has an annotation of category "${category}"`);
    for (let attempt = 0; attempt < this.maxResampleAttempts; attempt++) {
      const g = g0 + rng.integers(0, nGroups);
      if (this.skipImage?.has(index.groupImage[g] as number)) continue;
      const sample = await this.tryGroup(index, g, category);
      if (sample) return sample;
    }
    throw new DatasetError(
      `No usable instance of category "${category}" after ${this.maxResampleAttempts} images (all crowd or smaller than ${this.minAreaFraction} of the image)`,
    );
  }

  private async tryGroup(index: CocoIndex, g: number, category: string): Promise<DatasetSample | null> {
    const img = index.groupImage[g] as number;
    const fileName = index.imageFiles[img] as string;
    let path: string;
    try {
      path = this.allowOutsideImagesDir
        ? resolve(this.imagesDir, fileName)
        : containedPath(this.imagesDir, fileName, `image ${index.imageIds[img]} in "${index.path}"`);
    } catch (e) {
      throw new DatasetError(`${(e as Error).message} (pass allowOutsideImagesDir: true to allow it)`, { cause: e });
    }
    let image: NdArray<Uint8Array> | null = this.imageCache?.get(img) ?? null;
    if (image === null) {
      image = await this.readImage(path, img, index, category, fileName);
      if (image === null) return null;
      this.imageCache?.set(img, image);
    }
    const [h, w] = image.shape as [number, number];
    if (h !== index.imageHeights[img] || w !== index.imageWidths[img]) {
      throw new DatasetError(
        `Image "${path}" is ${w}x${h} but its annotation record says ${index.imageWidths[img]}x${index.imageHeights[img]}`,
      );
    }
    const rule = { maxInstances: this.maxInstances, minAreaFraction: this.minAreaFraction };
    const masks = groupTargets(index, g, h, w, rule).map((a) => this.maskOf(index, a, h, w));
    if (masks.length === 0) return null;
    return { image, masks: stackMasks(masks, h, w), source: path };
  }

  /** Read and decode image `img`; null when it is unreadable and `skipMissingImages` says skip it. */
  private async readImage(
    path: string,
    img: number,
    index: CocoIndex,
    category: string,
    fileName: string,
  ): Promise<NdArray<Uint8Array> | null> {
    try {
      return await loadImage(path, { maxMegapixels: this.maxMegapixels });
    } catch (e) {
      if (this.skipMissingImages) {
        this.skippedImages++;
        return null;
      }
      const cause = e instanceof ImageDecodeError ? e.cause : e;
      if (cause instanceof InvalidArgumentError) {
        throw new DatasetError(`Image file "${path}" (image id ${index.imageIds[img]}): ${cause.message}`, {
          cause: e,
        });
      }
      if (e instanceof ImageDecodeError && !(cause instanceof Error && "code" in cause)) {
        throw new DatasetError(`Image of category "${category}" could not be decoded: ${e.message}`, { cause: e });
      }
      throw new DatasetError(
        `Image file "${path}" (image id ${index.imageIds[img]}) is missing or unreadable: ` +
          imageFolderHint(this.imagesDir, fileName, this.annotationFile),
        { cause: e },
      );
    }
  }

  private maskOf(index: CocoIndex, a: number, h: number, w: number): NdArray<Uint8Array> {
    let m: NdArray<Uint8Array>;
    try {
      m = rleDecode(annotationRuns(index, a, h, w));
    } catch (e) {
      if (e instanceof DatasetError) throw e;
      throw new DatasetError(`Annotation ${index.annIds[a]} in "${index.path}": ${(e as Error).message}`, { cause: e });
    }
    if (m.shape[0] !== h || m.shape[1] !== w) {
      throw new DatasetError(
        `Annotation ${index.annIds[a]} in "${index.path}" has an RLE of size [${m.shape.join(", ")}] for an image of [${h}, ${w}]`,
      );
    }
    return m;
  }
}

function flag(v: unknown, name: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== "boolean") throw new InvalidArgumentError(`${name} must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

/** Stack K masks [h, w] into [h, w, K] uint8. */
export function stackMasks(masks: ReadonlyArray<NdArray<Uint8Array>>, h: number, w: number): NdArray<Uint8Array> {
  const k = masks.length;
  const n = h * w;
  const out = new Uint8Array(n * k);
  for (let j = 0; j < k; j++) {
    const d = (masks[j] as NdArray<Uint8Array>).data;
    if (k === 1) out.set(d.subarray(0, n));
    else for (let i = 0, o = j; i < n; i++, o += k) out[o] = d[i] as number;
  }
  return ndarray(out, [h, w, k]);
}
