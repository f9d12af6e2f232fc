// Cost of one CLIP-Surgery prior map with the tiny fixture models (../shared/fixtures/clip-surgery:
// ViT 64x64 input, 4x4 patch grid, D = 32): a new 375x500 image (content hash + Pillow-exact
// bicubic resize + normalisation + image encoder + surgery + map at image size) and a cached one
// (content hash + surgery + map), text ensembles already cached; also the one-off cost of a
// category's 85-template ensemble and of the tokenizer's first use. Medians over 40 calls.
// Run: npx tsx bench/clip-prior.bench.ts   (or npm run bench -- clip-prior)
import { existsSync } from "node:fs";
import { join } from "node:path";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { ClipSurgeryPrior } from "../src/priors/clip-surgery-prior";
import { ClipBpeTokenizer } from "../src/priors/clip-tokenizer";
import { EmbeddingCache } from "../src/segmenters/cache/embedding-cache";
import { median } from "./median";

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
  const images: NdArray<Uint8Array>[] = Array.from({ length: 40 }, (_, k) =>
    ndarray(
      new Uint8Array(375 * 500 * 3).map((_, i) => (i * (k + 7)) % 256),
      [375, 500, 3],
    ),
  );
  t0 = performance.now();
  await fresh.encodeText(["dog"]);
  const ensembleMs = performance.now() - t0;
  await fresh.redundantFeatures();
  for (let i = 0; i < 5; i++) await fresh.prior(images[i] as NdArray<Uint8Array>, "dog"); // warm-up
  const newImage: number[] = [];
  for (const image of images) {
    const t = performance.now();
    await fresh.prior(image, "dog");
    newImage.push(performance.now() - t);
  }
  await cached.prior(images[0] as NdArray<Uint8Array>, "dog");
  const hit: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    await cached.prior(images[0] as NdArray<Uint8Array>, "dog");
    hit.push(performance.now() - t);
  }
  const encoder = fresh.timings.imageMs / fresh.timings.imageCalls;
  console.log(
    `ClipSurgeryPrior (tiny models, 1 thread): new 375x500 image ${median(newImage).toFixed(2)} ms ` +
      `(image encoder ${encoder.toFixed(2)} ms of it), cached image ${median(hit).toFixed(2)} ms (medians of 40); ` +
      `one category's 85-prompt ensemble ${ensembleMs.toFixed(1)} ms (once per category); tokenizer load ${tokenizerMs.toFixed(0)} ms (once per process)`,
  );
  await fresh.dispose();
  await cached.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
