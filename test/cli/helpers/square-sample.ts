// One 64x64 image with a red square on a noisy blue background, and its mask (the recipe of
// tiny-sam-seg.ts, shared with tests that build their own env around it).
import ndarray from "ndarray";
import { Rng } from "../../../src/core/rng";
import type { DatasetSample } from "../../../src/data/dataset";

export function squareSample(seed: number): DatasetSample {
  const rng = new Rng(seed);
  const h = 64,
    w = 64;
  const image = ndarray(new Uint8Array(h * w * 3), [h, w, 3]);
  const masks = ndarray(new Uint8Array(h * w), [h, w, 1]);
  const x0 = rng.integers(4, 30),
    y0 = rng.integers(4, 30),
    s = rng.integers(14, 30);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inside = x >= x0 && x < x0 + s && y >= y0 && y < y0 + s;
      image.set(y, x, 0, inside ? 220 : 40 + rng.integers(20));
      image.set(y, x, 1, inside ? 60 : 90 + rng.integers(20));
      image.set(y, x, 2, inside ? 50 : 140 + rng.integers(20));
      masks.set(y, x, 0, inside ? 1 : 0);
    }
  }
  return { image, masks };
}
