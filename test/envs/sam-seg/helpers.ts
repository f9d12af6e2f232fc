// Shared fixtures of the SamSegEnv tests: small in-memory datasets with known masks.
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { InMemoryDataset, boxMask } from "../../../src/testing";
import type { DatasetSample } from "../../../src/data/dataset";

/** An [h, w, 3] image whose pixels encode (seed, y, x), so different images differ. */
export function patternImage(h: number, w: number, seed: number): NdArray<Uint8Array> {
  const data = new Uint8Array(h * w * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      data[i] = (x * 7 + seed * 31) & 255;
      data[i + 1] = (y * 5 + seed * 17) & 255;
      data[i + 2] = (x + y + seed * 53) & 255;
    }
  return ndarray(data, [h, w, 3]);
}

/** [h, w, K] instance masks from [h, w] masks. */
export function stackMasks(masks: NdArray<Uint8Array>[]): NdArray<Uint8Array> {
  const [h, w] = masks[0]!.shape as [number, number];
  const k = masks.length;
  const out = ndarray(new Uint8Array(h * w * k), [h, w, k]);
  masks.forEach((m, j) => {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.set(y, x, j, m.get(y, x));
  });
  return out;
}

/** The 12 x 16 scene: ground truth rows 4..7, columns 4..11 (32 pixels). */
export const SMALL_GT_BOX = { x0: 4, y0: 4, x1: 12, y1: 8 };

export function smallDataset(): InMemoryDataset {
  const gt = boxMask([12, 16], [SMALL_GT_BOX]);
  return new InMemoryDataset({ thing: [{ image: patternImage(12, 16, 1), masks: stackMasks([gt]) }] });
}

/** A dataset of several categories and images (for determinism tests). */
export function multiDataset(h = 12, w = 16): InMemoryDataset {
  const samples: Record<string, DatasetSample[]> = {};
  ["cat", "dog", "bus"].forEach((c, ci) => {
    samples[c] = [0, 1, 2].map((j) => ({
      image: patternImage(h, w, ci * 3 + j),
      masks: stackMasks([boxMask([h, w], [{ x0: j, y0: ci, x1: j + 6, y1: ci + 5 }])]),
    }));
  });
  return new InMemoryDataset(samples);
}
