import type { NdArray } from "ndarray";

/**
 * Prior maps of one image: `channels` maps of [height, width] float32, channel-major
 * (`data[c * height * width + y * width + x]`).
 */
export interface PriorMaps {
  data: Float32Array;
  height: number;
  width: number;
}

/**
 * A source of semantic prior maps for the explicit agent (the reference uses CLIP-Surgery
 * similarity maps of the target category): for an image [H, W, 3] uint8 and a category name,
 * `channels` maps [channels, h, w] float32 (any h, w; resized bilinearly to the agent grid).
 * Providers live in src/priors (tfjs-free) or, when they run a tfjs network, in src/ppo/priors.
 *
 * @example
 * ```ts
 * const flat: SemanticPriorProvider = {
 *   channels: 1,
 *   prior: async () => ({ data: new Float32Array(4).fill(0.5), height: 2, width: 2 }),
 * };
 * ```
 */
export interface SemanticPriorProvider {
  readonly channels: number;
  prior(image: NdArray<Uint8Array>, category: string): Promise<PriorMaps>;
}
