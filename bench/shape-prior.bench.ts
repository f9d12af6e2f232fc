// Cost of the bundled synthetic-shapes prior (the default SamSegEnv-v0 agent's prior): a new
// 375x500 image (box filter to 96x128 + ShapePriorNet forward over the image and its three mirror
// images, the default, and over the image alone) and a cached one (content hash), wasm backend,
// medians over 40 calls.
// Run: npx tsx bench/shape-prior.bench.ts   (or npm run bench -- shape-prior)
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { selectBackend } from "../src/ppo/nn/backend";
import { SyntheticShapePrior } from "../src/ppo/priors/shape-prior";
import { median } from "./median";

async function main(): Promise<void> {
  const { backend } = await selectBackend("wasm");
  const fresh = new SyntheticShapePrior({ cacheSize: 0 });
  const freshSingle = new SyntheticShapePrior({ cacheSize: 0, flipAverage: false });
  const cached = new SyntheticShapePrior();
  const images: NdArray<Uint8Array>[] = Array.from({ length: 40 }, (_, k) =>
    ndarray(
      new Uint8Array(375 * 500 * 3).map((_, i) => (i * (k + 7)) % 256),
      [375, 500, 3],
    ),
  );
  const newImage = async (prior: SyntheticShapePrior): Promise<number> => {
    for (let i = 0; i < 5; i++) await prior.prior(images[i] as NdArray<Uint8Array>, "star"); // warm-up
    const times: number[] = [];
    for (const image of images) {
      const t = performance.now();
      await prior.prior(image, "star");
      times.push(performance.now() - t);
    }
    return median(times);
  };
  const averaged = await newImage(fresh);
  const single = await newImage(freshSingle);
  await cached.prior(images[0] as NdArray<Uint8Array>, "star");
  const hit: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    await cached.prior(images[0] as NdArray<Uint8Array>, "disc");
    hit.push(performance.now() - t);
  }
  console.log(
    `SyntheticShapePrior (${backend}): new 375x500 image ${averaged.toFixed(2)} ms (flip average; ${single.toFixed(2)} ms one view), cached image ${median(hit).toFixed(2)} ms (medians of 40)`,
  );
  fresh.dispose();
  freshSingle.dispose();
  cached.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
