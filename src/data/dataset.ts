import type { NdArray } from "ndarray";
import type { Rng } from "../core/rng";

/** One sample of a {@link Dataset}: an image and the instance masks of one category. */
export interface DatasetSample {
  /** RGB image [h, w, 3] uint8. */
  image: NdArray<Uint8Array>;
  /** Instance masks [h, w, K] uint8, 1 inside instance k (K >= 1). */
  masks: NdArray<Uint8Array>;
  /** Where the image came from (file path or id), for logs and errors. */
  source?: string;
}

/**
 * Anything that yields (image, instance masks) for a category plugs into SamSegEnv.
 *
 * @example
 * ```ts
 * const ds: Dataset = new CocoDataset({ dataDir: "coco", split: "val2017" });
 * const { image, masks } = await ds.sample("cat", new Rng(0));
 * ```
 */
export interface Dataset {
  /** Category names available for sampling. */
  readonly categories: string[];
  /** Draw one image containing `category` and its instance masks, all randomness from `rng`. */
  sample(category: string, rng: Rng): Promise<DatasetSample>;
}
