import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Rng } from "../../core/rng";
import { DatasetError } from "../../core/errors";
import type { Dataset, DatasetSample } from "../dataset";
import { CocoDataset, type CocoDatasetOptions } from "../coco-dataset";
import { generateSyntheticCoco, type SyntheticCocoOptions, type SyntheticCocoResult } from "./generate-synthetic-coco";
import { SYNTHETIC_SHAPES, type SyntheticShape } from "./shapes";

/** Bump when the generator's output changes, so caches of older outputs are not reused. */
export const SYNTHETIC_GENERATOR_VERSION = 2;

/** Options of {@link ensureSyntheticCoco}: the generator's options without outDir, plus a cache root. */
export type EnsureSyntheticCocoOptions = Omit<SyntheticCocoOptions, "outDir"> & {
  /** Cache root; default $ALIGNSAM_GYM_CACHE, else ./node_modules/.cache/alignsam-gym, else the OS temp dir. */
  cacheDir?: string;
  /**
   * Told what happens when the set must be generated (what, where, then how long it took); not
   * called when the cache has it. Default: a line on stderr each time; pass `() => {}` for silence.
   */
  onStatus?: (line: string) => void;
};

/** The default cache root (see `cacheDir` in {@link EnsureSyntheticCocoOptions}). */
export function defaultCacheDir(): string {
  const env = process.env.ALIGNSAM_GYM_CACHE;
  if (env) return env;
  const nm = join(process.cwd(), "node_modules");
  return existsSync(nm) ? join(nm, ".cache", "alignsam-gym") : join(tmpdir(), "alignsam-gym-cache");
}

function normalised(o: EnsureSyntheticCocoOptions): Required<
  Pick<SyntheticCocoOptions, "images" | "seed" | "size" | "split" | "quality">
> & {
  categories: SyntheticShape[];
} {
  return {
    images: o.images ?? 200,
    seed: o.seed ?? 0,
    size: o.size ?? [375, 500],
    split: o.split ?? "train",
    quality: o.quality ?? 90,
    categories: [...(o.categories ?? SYNTHETIC_SHAPES)],
  };
}

/**
 * Generate a synthetic COCO dataset once into a cache folder named by a hash of the options
 * (`synthetic-<hash>`) and reuse it afterwards. Generation goes to a temporary sibling folder
 * renamed into place when complete, so an interrupted run never leaves a half dataset and
 * concurrent processes do not clash (the first rename wins; the others reuse it).
 *
 * @example
 * ```ts
 * const res = await ensureSyntheticCoco({ images: 200, seed: 0 }); // ~seconds the first time, instant later
 * const ds = new CocoDataset({ dataDir: res.dataDir, split: res.split });
 * ```
 */
export async function ensureSyntheticCoco(options: EnsureSyntheticCocoOptions = {}): Promise<SyntheticCocoResult> {
  const o = normalised(options);
  const hash = createHash("sha256")
    .update(JSON.stringify({ v: SYNTHETIC_GENERATOR_VERSION, ...o }))
    .digest("hex")
    .slice(0, 16);
  const root = options.cacheDir ?? defaultCacheDir();
  const dir = join(root, `synthetic-${hash}`);
  const result = (): SyntheticCocoResult => ({
    dataDir: dir,
    split: o.split,
    annotationFile: join(dir, "annotations", `instances_${o.split}.json`),
    imagesDir: join(dir, "images", o.split),
    categories: o.categories,
    images: o.images,
    annotations: -1,
  });
  if (existsSync(join(dir, "COMPLETE"))) return result();
  mkdirSync(root, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const status = options.onStatus ?? ((line: string): void => void process.stderr.write(`${line}\n`));
  const t0 = Date.now();
  status(
    `alignsam-gym: generating the synthetic dataset (${o.images} images of ${o.size[0]}x${o.size[1]}, seed ${o.seed}, split ${o.split}) into ${dir}; first use only, later runs reuse it`,
  );
  try {
    const res = await generateSyntheticCoco({ ...o, outDir: tmp, onProgress: options.onProgress });
    status(`alignsam-gym: generated ${o.images} images in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    writeFileSync(join(tmp, "COMPLETE"), `${JSON.stringify({ ...o, annotations: res.annotations })}\n`);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      if (!existsSync(join(dir, "COMPLETE"))) throw e; // someone else finished first: reuse theirs
      rmSync(tmp, { recursive: true, force: true });
    }
    return { ...result(), annotations: res.annotations };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(`Could not generate the synthetic dataset in "${dir}": ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** Options of {@link SyntheticCocoDataset}. */
export type SyntheticCocoDatasetOptions = EnsureSyntheticCocoOptions &
  Pick<CocoDatasetOptions, "maxInstances" | "minAreaFraction" | "maxResampleAttempts" | "imageCacheBytes">;

/**
 * The decoded-image cache of {@link SyntheticCocoDataset} by default: 128 MiB, enough for the
 * whole default set (200 images of 375x500, 112.5 MB of pixels), so after each image's first draw
 * no JPEG is decoded again (decoding was about a quarter of SamSegEnv-v0's CPU time).
 */
export const SYNTHETIC_IMAGE_CACHE_BYTES = 128 * 1024 * 1024;

/** The loaded synthetic sets of this process, by options (see {@link SyntheticCocoDataset.load}). */
const loadedSets = new Map<string, Promise<CocoDataset>>();

/**
 * The generated synthetic COCO dataset as a {@link Dataset}, constructible synchronously:
 * `categories` are known at once (the shape names), and the first `sample()` (or `load()`)
 * generates or reuses the cached files ({@link ensureSyntheticCoco}) and reads them with
 * {@link CocoDataset}, the same code path as real COCO. The default dataset of SamSegEnv-v0.
 * Decoded images stay in memory up to `imageCacheBytes` (default
 * {@link SYNTHETIC_IMAGE_CACHE_BYTES}: 128 MiB, the whole default set; 0 = decode every draw).
 *
 * @example
 * ```ts
 * const ds = new SyntheticCocoDataset({ images: 200, seed: 0 });
 * const { image, masks } = await ds.sample("star", new Rng(1));
 * ```
 */
export class SyntheticCocoDataset implements Dataset {
  readonly categories: string[];
  private readonly options: SyntheticCocoDatasetOptions;
  private inner: Promise<CocoDataset> | null = null;

  constructor(options: SyntheticCocoDatasetOptions = {}) {
    this.options = { ...options };
    this.categories = [...(options.categories ?? SYNTHETIC_SHAPES)];
  }

  /**
   * Generate (or find in the cache) and index the dataset; idempotent. Instances with equal
   * options in one process share the loaded dataset and so its decoded images (sampling draws
   * only from the caller's Rng, so sharing changes no sample).
   */
  load(): Promise<CocoDataset> {
    if (!this.inner) {
      const { maxInstances, minAreaFraction, maxResampleAttempts, imageCacheBytes, onStatus, onProgress, ...gen } =
        this.options;
      const coco = { maxInstances, minAreaFraction, maxResampleAttempts, imageCacheBytes };
      const key = JSON.stringify([normalised(gen), gen.cacheDir ?? defaultCacheDir(), coco]);
      let inner = loadedSets.get(key);
      if (inner === undefined) {
        inner = ensureSyntheticCoco({ ...gen, onStatus, onProgress }).then((res) =>
          new CocoDataset({
            dataDir: res.dataDir,
            split: res.split,
            ...coco,
            imageCacheBytes: imageCacheBytes ?? SYNTHETIC_IMAGE_CACHE_BYTES,
          }).load(),
        );
        loadedSets.set(key, inner);
        const failed = inner;
        failed.catch(() => {
          if (loadedSets.get(key) === failed) loadedSets.delete(key);
          this.inner = null;
        });
      }
      this.inner = inner;
    }
    return this.inner;
  }

  /** See {@link CocoDataset.sample}. */
  async sample(category: string, rng: Rng): Promise<DatasetSample> {
    return (await this.load()).sample(category, rng);
  }
}
