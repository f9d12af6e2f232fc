import type { Dataset } from "../../data/dataset";
import { SyntheticCocoDataset, type SyntheticCocoDatasetOptions } from "../../data/synthetic/ensure-synthetic-coco";

/**
 * The dataset SamSegEnv uses when none is given: the generated synthetic COCO-format dataset
 * (200 images of 375x500 with six shape categories, seed 0), generated once into the cache
 * folder on the first reset and reused afterwards. Its categories are known at once.
 * `options` change the generated set (e.g. another seed for held-out images).
 */
export function defaultSamSegDataset(options: SyntheticCocoDatasetOptions = {}): Dataset {
  return new SyntheticCocoDataset(options);
}
