import type { EmbeddingGeometry } from "./embedding-geometry";
import { temperMaskInPlace } from "./mask-temperature";
import { InvalidArgumentError } from "../../core/errors";
import { Float32Resizer } from "../../data/resize";

/**
 * Writes x = E * (1 + p) pooled to the agent grid, as NHWC model inputs: p (the predicted mask
 * probability [mh, mw]) is resized bilinearly to the embedding grid [h, w], multiplied into the
 * embedding E [C, h, w], and the product is average-pooled to [gh, gw] (first k channels).
 */
export class ModulatedEmbeddingFeaturizer {
  readonly geometry: EmbeddingGeometry;
  readonly grid: [number, number];
  /** Embedding channels used. */
  readonly embeddingChannels: number;
  /** Category planes appended after the embedding channels. */
  readonly categorySlots: number;
  /** Category vocabulary (grows as categories are seen). */
  readonly categories: string[];
  /** Whether p itself, average-pooled to the grid, is one more plane (after the embedding channels). */
  readonly maskPlane: boolean;
  private readonly p: Float32Array;
  /** The pooled mask plane (gh * gw). */
  private readonly pooled: Float32Array;
  private readonly maskToEmbedding: Float32Resizer;

  constructor(
    geometry: EmbeddingGeometry,
    grid: [number, number],
    channels: number,
    categorySlots = 0,
    categories: string[] = [],
    maskPlane = false,
  ) {
    const [gh, gw] = grid;
    if (!(
      Number.isInteger(gh) &&
      gh > 0 &&
      geometry.height % gh === 0 &&
      Number.isInteger(gw) &&
      gw > 0 &&
      geometry.width % gw === 0
    )) {
      throw new InvalidArgumentError(
        `inputGrid [${grid.join(", ")}] must divide the embedding grid [${geometry.height}, ${geometry.width}]`,
      );
    }
    if (!(Number.isInteger(channels) && channels > 0 && channels <= geometry.channels)) {
      throw new InvalidArgumentError(`embeddingChannels must be in [1, ${geometry.channels}], got ${channels}`);
    }
    if (!(Number.isInteger(categorySlots) && categorySlots >= 0))
      throw new InvalidArgumentError(`categorySlots must be a non-negative integer, got ${categorySlots}`);
    this.geometry = geometry;
    this.grid = [gh, gw];
    this.embeddingChannels = channels;
    this.categorySlots = categorySlots;
    this.categories = categories;
    this.maskPlane = maskPlane;
    this.p = new Float32Array(geometry.height * geometry.width);
    this.pooled = new Float32Array(gh * gw);
    this.maskToEmbedding = new Float32Resizer(
      [geometry.maskHeight, geometry.maskWidth],
      [geometry.height, geometry.width],
    );
  }

  /** Channels per grid cell: embedding channels, the mask plane (when on), category planes. */
  get channels(): number {
    return this.embeddingChannels + (this.maskPlane ? 1 : 0) + this.categorySlots;
  }

  /** Per-sample size gh * gw * channels. */
  get size(): number {
    return this.grid[0] * this.grid[1] * this.channels;
  }

  /** The plane of a category (added to the vocabulary when new). */
  categoryPlane(category: string): number {
    let index = this.categories.indexOf(category);
    if (index < 0) {
      this.categories.push(category);
      index = this.categories.length - 1;
    }
    return index % this.categorySlots;
  }

  /**
   * Write the inputs of env `i` of a batched observation at out[outOffset..]. `maskTemperature`
   * (default null: off) applies the explicit agent's temperature trick to p after resizing it
   * (see mask-temperature.ts).
   */
  write(
    embeddings: ArrayLike<number>,
    masks: ArrayLike<number>,
    i: number,
    out: Float32Array,
    outOffset: number,
    category: string | null = null,
    maskTemperature: number | null = null,
  ): void {
    const { channels: C, height: h, width: w, maskHeight: mh, maskWidth: mw } = this.geometry;
    const [gh, gw] = this.grid;
    const k = this.channels;
    const used = this.embeddingChannels;
    const fy = h / gh,
      fx = w / gw,
      inv = 1 / (fy * fx);
    this.maskToEmbedding.run(masks, i * mh * mw, this.p, 0);
    if (maskTemperature !== null) temperMaskInPlace(this.p, maskTemperature);
    const eBase = i * C * h * w;
    out.fill(0, outOffset, outOffset + this.size);
    const maskPlanes = this.maskPlane ? 1 : 0;
    if (this.categorySlots > 0 && category !== null) {
      const plane = used + maskPlanes + this.categoryPlane(category);
      for (let cell = 0; cell < gh * gw; cell++) out[outOffset + cell * k + plane] = 1;
    }
    for (let c = 0; c < used; c++) {
      const cBase = eBase + c * h * w;
      for (let y = 0; y < h; y++) {
        const gy = Math.floor(y / fy);
        for (let x = 0; x < w; x++) {
          const v = (embeddings[cBase + y * w + x] as number) * (1 + (this.p[y * w + x] as number));
          const o = outOffset + (gy * gw + Math.floor(x / fx)) * k + c;
          out[o] = (out[o] as number) + v * inv;
        }
      }
    }
    if (maskPlanes > 0) {
      this.pooledMask(this.pooled);
      for (let cell = 0; cell < gh * gw; cell++) out[outOffset + cell * k + used] = this.pooled[cell] as number;
    }
  }

  /**
   * The mask probability of the last {@link write} (after the temperature trick when it was on),
   * average-pooled to the grid: out[gy * gw + gx] for gy < gh, gx < gw (out holds >= gh * gw).
   */
  pooledMask(out: Float32Array): void {
    const { height: h, width: w } = this.geometry;
    const [gh, gw] = this.grid;
    const fy = h / gh,
      fx = w / gw,
      inv = 1 / (fy * fx);
    out.fill(0, 0, gh * gw);
    for (let y = 0; y < h; y++) {
      const row = Math.floor(y / fy) * gw;
      for (let x = 0; x < w; x++) {
        const o = row + Math.floor(x / fx);
        out[o] = (out[o] as number) + (this.p[y * w + x] as number) * inv;
      }
    }
  }
}
