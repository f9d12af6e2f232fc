// Cost of the bundled synthetic-shapes prior (the default SamSegEnv-v0 agent's prior): a new
// 375x500 image (box filter to 96x128 + ShapePriorNet forward over the image and its three mirror
// images, the default, and over the image alone) and a cached one (content hash), wasm backend,
// medians over 40 calls.
// Run: npx tsx bench/shape-prior.bench.ts   (or npm run bench -- shape-prior)
import { selectBackend } from "../src/ppo/nn/backend";
import { SyntheticShapePrior } from "../src/ppo/priors/shape-prior";
import { benchImages, medianPriorMs } from "./prior-timing";

async function main(): Promise<void> {
  const { backend } = await selectBackend("wasm");
  const fresh = new SyntheticShapePrior({ cacheSize: 0 });
  const freshSingle = new SyntheticShapePrior({ cacheSize: 0, flipAverage: false });
  const cached = new SyntheticShapePrior();
  const images = benchImages(40);
  const averaged = await medianPriorMs(fresh, images, "star", 5);
  const single = await medianPriorMs(freshSingle, images, "star", 5);
  const hit = await medianPriorMs(cached, Array(40).fill(images[0]), "disc", 1);
  console.log(
    `SyntheticShapePrior (${backend}): new 375x500 image ${averaged.toFixed(2)} ms (flip average; ${single.toFixed(2)} ms one view), cached image ${hit.toFixed(2)} ms (medians of 40)`,
  );
  fresh.dispose();
  freshSingle.dispose();
  cached.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
