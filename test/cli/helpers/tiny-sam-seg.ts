// A tiny SamSegEnv (64x64 images, one square object, geodesic segmenter, 8x8 click grid)
// registered as "TinySamSeg-v0" for the CLI tests.
import ndarray from "ndarray";
import { Rng } from "../../../src/core/rng";
import { register, registry } from "../../../src/registry";
import { SamSegEnv } from "../../../src/envs/sam-seg";
import { GeodesicSegmenter } from "../../../src/segmenters";
import { InMemoryDataset } from "../../../src/testing";
import type { DatasetSample } from "../../../src/data/dataset";

function sample(seed: number): DatasetSample {
  const rng = new Rng(seed);
  const h = 64, w = 64;
  const image = ndarray(new Uint8Array(h * w * 3), [h, w, 3]);
  const masks = ndarray(new Uint8Array(h * w), [h, w, 1]);
  const x0 = rng.integers(4, 30), y0 = rng.integers(4, 30), s = rng.integers(14, 30);
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

export const TINY_ID = "TinySamSeg-v0";

export function registerTinySamSeg(): void {
  if (registry.has(TINY_ID)) return;
  const samples = Array.from({ length: 6 }, (_, i) => sample(i + 1));
  register({
    id: TINY_ID,
    entryPoint: ((kwargs: Record<string, unknown>) =>
      new SamSegEnv({
        dataset: new InMemoryDataset({ box: samples }),
        segmenter: new GeodesicSegmenter(),
        imgShape: [64, 64, 3],
        targetCategories: ["box"],
        numPatches: 8,
        maxSteps: 3,
        ...kwargs,
      })) as never,
  });
}
