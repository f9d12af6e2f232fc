import { readdir, stat } from "node:fs/promises";
import { readBoundedFile } from "../core/bounded-file";
import { extname, join, parse } from "node:path";
import ndarray, { type NdArray } from "ndarray";
import type { Rng } from "../core/rng";
import { DatasetError, InvalidArgumentError } from "../core/errors";
import type { Dataset, DatasetSample } from "./dataset";
import { loadImage } from "./image-io";
import { loadLabelPng } from "./label-png";
import { stackMasks } from "./coco-dataset";

/**
 * The optional categories file of a {@link MaskFolderDataset} (`categories.json`):
 *
 * ```json
 * {
 *   "categories": ["person", "dog"],
 *   "default": "object",
 *   "images": { "img1": "person", "img2": { "1": "person", "2": "dog" }, "img3": { "left": "dog" } },
 *   "ignore": [128]
 * }
 * ```
 * - `categories`: the category names (default: every name used, else ["object"]).
 * - `default`: category of instances not listed under `images` (default "object"; null = unused).
 * - `images`: per image (file stem): one category for all its instances, or a map from instance
 *   id (id PNG) or instance file stem (per-instance PNGs) to category.
 * - `ignore`: mask values that are not instances, e.g. GrabCut's 128 "uncertain" band.
 */
export interface MaskFolderCategories {
  categories?: string[];
  default?: string | null;
  images?: Record<string, string | Record<string, string>>;
  ignore?: number[];
}

/** Options of {@link MaskFolderDataset}. */
export interface MaskFolderDatasetOptions {
  /** Dataset root folder. */
  root: string;
  /** Sub-folders (defaults "images" and "masks") and categories file (default "categories.json"; optional). */
  imagesDir?: string;
  masksDir?: string;
  categoriesFile?: string;
  /** Mask values that are not instances, added to the categories file's `ignore` (e.g. [128] for GrabCut). */
  ignoreValues?: number[];
  /** Same sampling options as CocoDataset: defaults 5 (<= 0 means 100), 0.01, 100. */
  maxInstances?: number;
  minAreaFraction?: number;
  maxResampleAttempts?: number;
  /** Refuse images above this many megapixels, from their header (default DEFAULT_MAX_MEGAPIXELS, 6). */
  maxMegapixels?: number;
}

interface Entry {
  stem: string;
  image: string;
  /** An id PNG, or a folder of per-instance binary PNGs. */
  mask: { kind: "ids"; path: string } | { kind: "files"; dir: string; files: string[] };
}

const IMAGE_EXT = new Set([".jpg", ".jpeg", ".png"]);

/**
 * A folder dataset: `images/NAME.jpg|png` with, per image, either `masks/NAME.png` (a PNG of
 * instance ids, 0 = background, each other value one instance; grayscale 8/16-bit or palette
 * indices) or `masks/NAME/*.png` (one binary PNG per instance, non-zero = inside), plus an
 * optional categories file ({@link MaskFolderCategories}). Sampling follows the COCO rules:
 * an image with instances of the category drawn uniformly (`rng.integers`), its instances
 * sorted by area (largest first), the first `maxInstances`, stopping below
 * `minAreaFraction` of the image, resampling (bounded) when none is left.
 *
 * @example
 * ```ts
 * // GrabCut: masks are 0 / 255 with a 128 band that is not an instance
 * const ds = new MaskFolderDataset({ root: "datasets/grabcut", ignoreValues: [128] });
 * const { image, masks } = await ds.sample("object", new Rng(0));
 * ```
 */
export class MaskFolderDataset implements Dataset {
  readonly root: string;
  readonly maxInstances: number;
  readonly minAreaFraction: number;
  readonly maxResampleAttempts: number;
  private readonly maxMegapixels: number | undefined;
  private readonly opts: Required<Pick<MaskFolderDatasetOptions, "imagesDir" | "masksDir" | "categoriesFile">>;
  private names: string[] | null = null;
  private entries: Entry[] = [];
  private spec: MaskFolderCategories = {};
  private byCategory = new Map<string, number[]>();
  private loading: Promise<this> | null = null;
  private readonly extraIgnore: number[];

  constructor(options: MaskFolderDatasetOptions) {
    if (!options?.root) throw new InvalidArgumentError("MaskFolderDataset needs a root folder");
    const { maxInstances = 5, minAreaFraction = 0.01, maxResampleAttempts = 100 } = options;
    if (!Number.isInteger(maxInstances))
      throw new InvalidArgumentError(`maxInstances must be an integer, got ${maxInstances}`);
    if (!(minAreaFraction >= 0 && minAreaFraction <= 1))
      throw new InvalidArgumentError(`minAreaFraction must be in [0, 1], got ${minAreaFraction}`);
    if (!Number.isInteger(maxResampleAttempts) || maxResampleAttempts < 1)
      throw new InvalidArgumentError(`maxResampleAttempts must be a positive integer, got ${maxResampleAttempts}`);
    this.root = options.root;
    this.extraIgnore = [...(options.ignoreValues ?? [])];
    this.maxInstances = maxInstances <= 0 ? 100 : maxInstances;
    this.minAreaFraction = minAreaFraction;
    this.maxResampleAttempts = maxResampleAttempts;
    this.maxMegapixels = options.maxMegapixels;
    this.opts = {
      imagesDir: options.imagesDir ?? "images",
      masksDir: options.masksDir ?? "masks",
      categoriesFile: options.categoriesFile ?? "categories.json",
    };
  }

  /**
   * Category names (after {@link load}).
   * @throws DatasetError before loading.
   */
  get categories(): string[] {
    if (!this.names)
      throw new DatasetError(`MaskFolderDataset "${this.root}" is not loaded yet: await dataset.load() first`);
    return [...this.names];
  }

  /** List images and masks and read the categories file; idempotent. */
  load(): Promise<this> {
    if (!this.loading) {
      this.loading = this.doLoad();
      this.loading.catch(() => (this.loading = null));
    }
    return this.loading;
  }

  private async doLoad(): Promise<this> {
    const imgDir = join(this.root, this.opts.imagesDir);
    const maskDir = join(this.root, this.opts.masksDir);
    let files: string[];
    try {
      files = (await readdir(imgDir)).filter((f) => IMAGE_EXT.has(extname(f).toLowerCase())).sort();
    } catch (e) {
      throw new DatasetError(`Cannot list the images folder "${imgDir}": ${(e as Error).message}`, { cause: e });
    }
    if (files.length === 0) throw new DatasetError(`No .jpg/.png image in "${imgDir}"`);
    const catPath = join(this.root, this.opts.categoriesFile);
    try {
      this.spec = JSON.parse(
        (await readBoundedFile(catPath, { maxBytes: 64 * 1024 * 1024 })).toString("utf8"),
      ) as MaskFolderCategories;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT")
        throw new DatasetError(`Bad categories file "${catPath}": ${(e as Error).message}`, { cause: e });
      this.spec = {};
    }
    const entries: Entry[] = [];
    for (const f of files) {
      const stem = parse(f).name;
      const idPng = join(maskDir, `${stem}.png`);
      const folder = join(maskDir, stem);
      const isDir = await stat(folder).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (isDir) {
        const inst = (await readdir(folder)).filter((x) => extname(x).toLowerCase() === ".png").sort();
        entries.push({ stem, image: join(imgDir, f), mask: { kind: "files", dir: folder, files: inst } });
      } else if (
        await stat(idPng).then(
          (s) => s.isFile(),
          () => false,
        )
      ) {
        entries.push({ stem, image: join(imgDir, f), mask: { kind: "ids", path: idPng } });
      } else {
        throw new DatasetError(`Image "${join(imgDir, f)}" has no mask: expected "${idPng}" or a folder "${folder}"`);
      }
    }
    this.entries = entries;
    const def = this.spec.default === undefined ? "object" : this.spec.default;
    const used = new Set<string>();
    this.byCategory.clear();
    entries.forEach((e, i) => {
      const m = ownValue(this.spec.images, e.stem);
      const cats = new Set<string>(typeof m === "string" ? [m] : m ? Object.values(m) : []);
      if (typeof m !== "string" && def !== null) cats.add(def); // unlisted instances may exist
      for (const c of cats) {
        used.add(c);
        const list = this.byCategory.get(c) ?? [];
        list.push(i);
        this.byCategory.set(c, list);
      }
    });
    this.names = this.spec.categories ? [...this.spec.categories] : used.size ? [...used].sort() : ["object"];
    return this;
  }

  private categoryOf(e: Entry, key: string): string | null {
    const m = ownValue(this.spec.images, e.stem);
    if (typeof m === "string") return m;
    if (m && Object.hasOwn(m, key)) return m[key] as string;
    return this.spec.default === undefined ? "object" : this.spec.default;
  }

  /** Instance masks of one entry for `category`, with their areas. */
  private async instances(
    e: Entry,
    category: string,
    h: number,
    w: number,
  ): Promise<Array<{ mask: Uint8Array; area: number }>> {
    const out: Array<{ mask: Uint8Array; area: number }> = [];
    const ignore = new Set([...(this.spec.ignore ?? []), ...this.extraIgnore]);
    const check = (m: NdArray<Uint32Array>, path: string): void => {
      if (m.shape[0] !== h || m.shape[1] !== w)
        throw new DatasetError(`Mask "${path}" is ${m.shape[1]}x${m.shape[0]} but its image is ${w}x${h}`);
    };
    if (e.mask.kind === "ids") {
      const ids = await loadLabelPng(e.mask.path);
      check(ids, e.mask.path);
      const values = [...new Set(ids.data)].filter((v) => v !== 0 && !ignore.has(v)).sort((a, b) => a - b);
      for (const v of values) {
        if (this.categoryOf(e, String(v)) !== category) continue;
        const mask = new Uint8Array(h * w);
        let area = 0;
        for (let i = 0; i < mask.length; i++) if (ids.data[i] === v) ((mask[i] = 1), area++);
        out.push({ mask, area });
      }
    } else {
      for (const f of e.mask.files) {
        if (this.categoryOf(e, parse(f).name) !== category) continue;
        const path = join(e.mask.dir, f);
        const m = await loadLabelPng(path);
        check(m, path);
        const mask = new Uint8Array(h * w);
        let area = 0;
        for (let i = 0; i < mask.length; i++)
          if (m.data[i] !== 0 && !ignore.has(m.data[i] as number)) ((mask[i] = 1), area++);
        out.push({ mask, area });
      }
    }
    return out;
  }

  /**
   * Draw an image with instances of `category` and their masks [h, w, K] uint8.
   * @throws DatasetError on an unknown category, no usable instance after the allowed draws,
   *   or unreadable files (naming them).
   */
  async sample(category: string, rng: Rng): Promise<DatasetSample> {
    await this.load();
    if (!(this.names as string[]).includes(category))
      throw new DatasetError(
        `Unknown category "${category}"; this dataset has: ${(this.names as string[]).join(", ")}`,
      );
    const cands = this.byCategory.get(category) ?? [];
    if (cands.length === 0)
      throw new DatasetError(`No image of "${this.root}" has instances of category "${category}"`);
    for (let attempt = 0; attempt < this.maxResampleAttempts; attempt++) {
      const e = this.entries[cands[rng.integers(0, cands.length)] as number] as Entry;
      const image = await loadImage(e.image, { maxMegapixels: this.maxMegapixels }).catch((err: Error) => {
        throw new DatasetError(`Image "${e.image}" could not be read: ${err.message}`, { cause: err });
      });
      const [h, w] = image.shape as [number, number];
      const inst = await this.instances(e, category, h, w);
      inst.sort((a, b) => b.area - a.area); // stable
      const masks: NdArray<Uint8Array>[] = [];
      for (const { mask, area } of inst.slice(0, this.maxInstances)) {
        if (area < this.minAreaFraction * h * w) break;
        masks.push(ndarray(mask, [h, w]));
      }
      if (masks.length) return { image, masks: stackMasks(masks, h, w), source: e.image };
    }
    throw new DatasetError(
      `No usable instance of category "${category}" after ${this.maxResampleAttempts} images of "${this.root}"`,
    );
  }
}

/** `obj[key]` when `obj` has it as an own property (an image named "constructor" is not Object's). */
function ownValue<T>(obj: Record<string, T> | undefined, key: string): T | undefined {
  return obj !== undefined && obj !== null && Object.hasOwn(obj, key) ? obj[key] : undefined;
}
