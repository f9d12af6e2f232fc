import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";
import { Float32Resizer } from "../data/resize-float32";
import { denseFloat32 } from "../segmenters/prompt-checks";

/** Check the rank and sizes of a float32 ndarray; its values as dense row-major float32 (no copy when dense). */
function dense(a: NdArray<Float32Array>, rank: number, name: string): { data: Float32Array; shape: number[] } {
  if (
    !a ||
    !Array.isArray(a.shape) ||
    a.shape.length !== rank ||
    a.shape.some((d) => !(Number.isSafeInteger(d) && d > 0))
  ) {
    throw new InvalidArgumentError(
      `${name} must be a float32 ndarray of rank ${rank} with positive sizes, got shape ${JSON.stringify(a?.shape)}`,
    );
  }
  return { data: denseFloat32(a), shape: a.shape.slice() };
}

/**
 * CLIP Surgery's feature surgery as AlignSAM's explicit agent runs it: image features
 * [B, 1+N, D] are L2-normalised over dim=1 (the TOKEN axis, a quirk of the reference kept on
 * purpose: each feature channel is scaled by its norm over the CLS and patch tokens), then
 * `similarity = features @ (textFeatures - redundant).T`.
 *
 * @param imageFeatures [B, 1+N, D] (CLS token first, then the N patch tokens row by row).
 * @param textFeatures [K, D] one row per category (e.g. from `ClipSurgeryPrior.encodeText`).
 * @param redundant [1, D] the redundant features subtracted from every category (CLIP Surgery:
 * the prompt ensemble of the empty string).
 * @returns similarity [B, 1+N, K] float32.
 * @throws InvalidArgumentError on ranks or feature widths that do not match.
 * @example
 * ```ts
 * const sim = clipFeatureSurgery(imageFeatures, textFeatures, redundant); // [1, 197, 3]
 * ```
 */
export function clipFeatureSurgery(
  imageFeatures: NdArray<Float32Array>,
  textFeatures: NdArray<Float32Array>,
  redundant: NdArray<Float32Array>,
): NdArray<Float32Array> {
  const img = dense(imageFeatures, 3, "clipFeatureSurgery: imageFeatures [B, 1+N, D]");
  const txt = dense(textFeatures, 2, "clipFeatureSurgery: textFeatures [K, D]");
  const red = dense(redundant, 2, "clipFeatureSurgery: redundant [1, D]");
  const [b, t, d] = img.shape as [number, number, number];
  const [k, dt] = txt.shape as [number, number];
  if (dt !== d || red.shape[0] !== 1 || red.shape[1] !== d) {
    throw new InvalidArgumentError(
      `clipFeatureSurgery: feature widths differ: imageFeatures [${img.shape.join(", ")}], textFeatures [${txt.shape.join(", ")}], redundant [${red.shape.join(", ")}] (expected D = ${d} and redundant [1, D])`,
    );
  }
  // (text - redundant), transposed to [D, K] for a contiguous inner loop over categories.
  const diff = new Float64Array(d * k);
  for (let c = 0; c < k; c++)
    for (let j = 0; j < d; j++) diff[j * k + c] = (txt.data[c * d + j] as number) - (red.data[j] as number);
  const out = new Float32Array(b * t * k);
  const invNorm = new Float64Array(d);
  const acc = new Float64Array(k);
  for (let s = 0; s < b; s++) {
    const base = s * t * d;
    invNorm.fill(0);
    for (let i = 0; i < t; i++)
      for (let j = 0; j < d; j++) {
        const v = img.data[base + i * d + j] as number;
        invNorm[j] = (invNorm[j] as number) + v * v;
      }
    for (let j = 0; j < d; j++) invNorm[j] = 1 / Math.sqrt(invNorm[j] as number);
    for (let i = 0; i < t; i++) {
      acc.fill(0);
      for (let j = 0; j < d; j++) {
        const v = (img.data[base + i * d + j] as number) * (invNorm[j] as number);
        for (let c = 0; c < k; c++) acc[c] = (acc[c] as number) + v * (diff[j * k + c] as number);
      }
      for (let c = 0; c < k; c++) out[(s * t + i) * k + c] = acc[c] as number;
    }
  }
  return ndarray(out, [b, t, k]);
}

/**
 * Similarity maps from {@link clipFeatureSurgery}'s output, as CLIP Surgery's
 * `get_similarity_map`: the CLS token is dropped, each category is min-max normalised over the
 * N patch tokens (to [0, 1]; a constant category becomes 0), reshaped to side x side (N must be
 * a square; token n is row floor(n / side), column n % side), then resized bilinearly to
 * `size` with torch's `interpolate(mode="bilinear", align_corners=False)` geometry.
 *
 * @param similarity [B, 1+N, K].
 * @param size [h, w] of the maps.
 * @returns maps [B, h, w, K] float32 (categories last, as the reference's permute).
 * @throws InvalidArgumentError when N is not a square or the size is not two positive integers.
 * @example
 * ```ts
 * const maps = clipSimilarityMaps(sim, [64, 64]); // [1, 64, 64, 3]
 * ```
 */
export function clipSimilarityMaps(
  similarity: NdArray<Float32Array>,
  size: readonly [number, number],
): NdArray<Float32Array> {
  const sim = dense(similarity, 3, "clipSimilarityMaps: similarity [B, 1+N, K]");
  const [b, t, k] = sim.shape as [number, number, number];
  const n = t - 1;
  const side = Math.round(Math.sqrt(n));
  if (n < 1 || side * side !== n) {
    throw new InvalidArgumentError(
      `clipSimilarityMaps: ${n} patch tokens (similarity [${sim.shape.join(", ")}] minus the CLS token) do not form a square grid`,
    );
  }
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isSafeInteger(v) && v > 0)) {
    throw new InvalidArgumentError(
      `clipSimilarityMaps: size must be [h, w] positive integers, got ${JSON.stringify(size)}`,
    );
  }
  const [h, w] = size;
  // OpenCV's float32 INTER_LINEAR (Float32Resizer) has torch's align_corners=False geometry:
  // half-pixel centres, clamped at the borders; exact 2x downscales average 2x2 blocks in both.
  const resizer = new Float32Resizer([side, side], [h, w], k);
  const grid = new Float32Array(n * k);
  const out = new Float32Array(b * h * w * k);
  for (let s = 0; s < b; s++) {
    const src = sim.data.subarray((s * t + 1) * k, (s + 1) * t * k);
    for (let c = 0; c < k; c++) {
      let lo = Infinity,
        hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = src[i * k + c] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const range = hi - lo;
      for (let i = 0; i < n; i++) grid[i * k + c] = range > 0 ? ((src[i * k + c] as number) - lo) / range : 0;
    }
    resizer.run(grid, 0, out, s * h * w * k);
  }
  return ndarray(out, [b, h, w, k]);
}
