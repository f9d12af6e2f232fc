// Shared timing of semantic prior providers for the prior benches (shape-prior, clip-prior).
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { median } from "./median";

/** `n` distinct 375x500 RGB images [375, 500, 3] uint8 (a different stripe pattern each). */
export function benchImages(n: number): NdArray<Uint8Array>[] {
  return Array.from({ length: n }, (_, k) =>
    ndarray(
      new Uint8Array(375 * 500 * 3).map((_, i) => (i * (k + 7)) % 256),
      [375, 500, 3],
    ),
  );
}

/**
 * Median wall time (ms) of `prior.prior(image, category)` over `images`, after `warmup` untimed
 * calls on the first images (JIT, caches of the category).
 */
export async function medianPriorMs(
  prior: { prior(image: NdArray<Uint8Array>, category: string): Promise<unknown> },
  images: readonly NdArray<Uint8Array>[],
  category: string,
  warmup: number,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await prior.prior(images[i % images.length] as NdArray<Uint8Array>, category);
  const times: number[] = [];
  for (const image of images) {
    const t = performance.now();
    await prior.prior(image, category);
    times.push(performance.now() - t);
  }
  return median(times);
}
