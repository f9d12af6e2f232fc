// Cost of one CLIP-Surgery prior map with the tiny fixture models (../shared/fixtures/clip-surgery:
// ViT 64x64 input, 4x4 patch grid, D = 32): a new 375x500 image (content hash + Pillow-exact
// bicubic resize + normalisation + image encoder + surgery + map at image size) and a cached one
// (content hash + surgery + map), text ensembles already cached; also the one-off cost of a
// category's 85-template ensemble and of the tokenizer's first use. Medians over 40 calls.
// Run: npx tsx bench/clip-prior.bench.ts   (or npm run bench -- clip-prior)
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ClipSurgeryPrior } from "../src/priors/clip-surgery-prior";
import { ClipBpeTokenizer } from "../src/priors/clip-tokenizer";
import { EmbeddingCache } from "../src/segmenters/cache/embedding-cache";
import { benchImages, medianPriorMs } from "./prior-timing";

const fixtures = join(__dirname, "..", "..", "shared", "fixtures", "clip-surgery");

async function main(): Promise<void> {
  const imageEncoder = join(fixtures, "tiny-clip-surgery-image.onnx"),
    textEncoder = join(fixtures, "tiny-clip-surgery-text.onnx");
  if (!existsSync(imageEncoder)) {
    console.log(`skipped: ${fixtures} is absent`);
    return;
  }
  let t0 = performance.now();
  ClipBpeTokenizer.bundled();
  const tokenizerMs = performance.now() - t0;
  const fresh = await ClipSurgeryPrior.create({
    imageEncoder,
    textEncoder,
    cache: new EmbeddingCache({ maxBytes: 0 }),
    intraOpNumThreads: 1,
  });
  const cached = await ClipSurgeryPrior.create({ imageEncoder, textEncoder, intraOpNumThreads: 1 });
  const images = benchImages(40);
  t0 = performance.now();
  await fresh.encodeText(["dog"]);
  const ensembleMs = performance.now() - t0;
  await fresh.redundantFeatures();
  const newImage = await medianPriorMs(fresh, images, "dog", 5);
  const hit = await medianPriorMs(cached, Array(40).fill(images[0]), "dog", 1);
  const encoder = fresh.timings.imageMs / fresh.timings.imageCalls;
  console.log(
    `ClipSurgeryPrior (tiny models, 1 thread): new 375x500 image ${newImage.toFixed(2)} ms ` +
      `(image encoder ${encoder.toFixed(2)} ms of it), cached image ${hit.toFixed(2)} ms (medians of 40); ` +
      `one category's 85-prompt ensemble ${ensembleMs.toFixed(1)} ms (once per category); tokenizer load ${tokenizerMs.toFixed(0)} ms (once per process)`,
  );
  await fresh.dispose();
  await cached.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
