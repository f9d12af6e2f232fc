import type { Dataset } from "../../data/dataset";
import { InvalidArgumentError } from "../../core/errors";

/**
 * The dataset SamSegEnv uses when none is given: the generated synthetic COCO-format dataset.
 * Called on the first reset only.
 */
export async function defaultSamSegDataset(): Promise<Dataset> {
  throw new InvalidArgumentError("SamSegEnv needs a dataset option (the synthetic default is not wired yet)");
}
