import type { Dataset } from "../../data/dataset";
import { SyntheticCocoDataset } from "../../data/synthetic/ensure-synthetic-coco";

/**
 * The dataset SamSegEnv uses when none is given: the generated synthetic COCO-format dataset
 * (200 images of 375x500 with six shape categories, seed 0), generated once into the cache
 * folder on the first reset and reused afterwards. Its categories are known at once.
 */
export function defaultSamSegDataset(): Dataset {
  return new SyntheticCocoDataset();
}
