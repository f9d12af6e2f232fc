// Loading SamSegEnv's dataset (once per env) and checking its target categories.
import type { Dataset } from "../../data/dataset";
import { DatasetError, InvalidArgumentError } from "../../core/errors";
import type { Text } from "../../spaces";
import { allCategoriesIfKnown, isDataset } from "./contracts";
import { show } from "./options";

/**
 * The dataset (a factory is called, a `load()` awaited) and the categories episodes draw from:
 * `targetCategories` or every category of the dataset, each present and fitting the
 * observation's `text` space.
 * @throws InvalidArgumentError naming missing, unusable or unfit categories; DatasetError when
 *   the dataset has no category.
 */
export async function loadTargetDataset(
  source: Dataset | (() => Promise<Dataset>),
  targetCategories: readonly string[] | null,
  text: Text,
): Promise<{ dataset: Dataset; categories: string[] }> {
  const dataset = typeof source === "function" ? await source() : source;
  if (!isDataset(dataset))
    throw new InvalidArgumentError(`the dataset factory returned ${show(dataset)}, not a Dataset`);
  const lazy = dataset as Dataset & { load?: () => Promise<unknown> };
  if (typeof lazy.load === "function") await lazy.load();
  const available = new Set(dataset.categories);
  const categories = [...(targetCategories ?? dataset.categories)];
  if (categories.length === 0) throw new DatasetError("the dataset has no categories");
  const missing = categories.filter((c) => !available.has(c));
  if (missing.length > 0) {
    const all = allCategoriesIfKnown(dataset);
    const unusable = missing.filter((c) => all.includes(c));
    throw new InvalidArgumentError(
      `targetCategories ${show(missing)} are not in the dataset; it has ${show(dataset.categories)}` +
        (unusable.length
          ? ` (${show(unusable)} have no usable instance: none that is not crowd and covers minAreaFraction of its image)`
          : ""),
    );
  }
  const unfit = categories.filter((c) => !text.contains(c));
  if (unfit.length > 0) {
    throw new InvalidArgumentError(
      `categories ${show(unfit)} do not fit the observation space ${text.toString()} (set up before the dataset was loaded); pass targetCategories`,
    );
  }
  return { dataset, categories };
}
