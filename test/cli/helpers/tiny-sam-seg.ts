// A tiny SamSegEnv (64x64 images, one square object, geodesic segmenter, 8x8 click grid)
// registered as "TinySamSeg-v0" for the CLI tests.
import { register, registry } from "../../../src/registry";
import { SamSegEnv } from "../../../src/envs/sam-seg";
import { GeodesicSegmenter } from "../../../src/segmenters";
import { InMemoryDataset } from "../../../src/testing";
import { squareSample } from "./square-sample";

export const TINY_ID = "TinySamSeg-v0";

export function registerTinySamSeg(): void {
  if (registry.has(TINY_ID)) return;
  const samples = Array.from({ length: 6 }, (_, i) => squareSample(i + 1));
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
