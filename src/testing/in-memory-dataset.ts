import type { Dataset, DatasetSample } from "../data/dataset";
import type { Rng } from "../core/rng";
import { DatasetError, InvalidArgumentError } from "../core/errors";

/**
 * A dataset held in memory: samples listed per category, drawn uniformly with the given Rng.
 * Handy for tests and for small hand-made tasks. Arrays are returned as stored (not copied);
 * a sample without a `source` gets `memory:<category>/<index>`.
 *
 * @example
 * ```ts
 * const ds = new InMemoryDataset({ cat: [{ image, masks }] });
 * const { image, masks } = await ds.sample("cat", new Rng(0));
 * ```
 */
export class InMemoryDataset implements Dataset {
  readonly categories: string[];
  /** How many times sample() was called. */
  sampleCount = 0;
  private readonly samples: Readonly<Record<string, readonly DatasetSample[]>>;

  /**
   * @param samples category -> samples (image [h, w, 3] uint8, masks [h, w, K] uint8). A category
   *   may map to an empty list: sampling it then throws a DatasetError.
   */
  constructor(samples: Record<string, readonly DatasetSample[]>) {
    for (const [cat, list] of Object.entries(samples)) {
      for (const s of list) {
        if (s.image.dimension !== 3 || s.image.shape[2] !== 3)
          throw new InvalidArgumentError(
            `InMemoryDataset: image of ${JSON.stringify(cat)} must be [h, w, 3], got [${s.image.shape}]`,
          );
        if (s.masks.dimension !== 3 || s.masks.shape[0] !== s.image.shape[0] || s.masks.shape[1] !== s.image.shape[1]) {
          throw new InvalidArgumentError(
            `InMemoryDataset: masks of ${JSON.stringify(cat)} must be [h, w, K] matching the image, got [${s.masks.shape}]`,
          );
        }
      }
    }
    this.samples = samples;
    this.categories = Object.keys(samples);
  }

  async sample(category: string, rng: Rng): Promise<DatasetSample> {
    this.sampleCount++;
    const list = this.samples[category];
    if (list === undefined)
      throw new DatasetError(
        `InMemoryDataset has no category ${JSON.stringify(category)}; categories: ${JSON.stringify(this.categories)}`,
      );
    if (list.length === 0)
      throw new DatasetError(`InMemoryDataset has no image of category ${JSON.stringify(category)}`);
    const i = rng.integers(list.length);
    const s = list[i] as DatasetSample;
    return { image: s.image, masks: s.masks, source: s.source ?? `memory:${category}/${i}` };
  }
}
