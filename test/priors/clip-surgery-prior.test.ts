import t from "tap";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { ClipSurgeryPrior, clipFeatureSurgery, clipPreprocess, clipSimilarityMaps } from "../../src/priors";
import { EmbeddingCache } from "../../src/segmenters";
import { InvalidArgumentError, SegmenterError } from "../../src/core/errors";
import { FIXTURES_SKIP, TINY_IMAGE_ENCODER, TINY_TEXT_ENCODER, clipGolden, maxAbsDiff, nd } from "./clip-fixtures";
import type { ClipGolden } from "./clip-fixtures";

const dir = mkdtempSync(join(tmpdir(), "asg-clip-"));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** A deterministic [H, W, 3] uint8 test image. */
function image(h: number, w: number, seed = 1): ndarray.NdArray<Uint8Array> {
  const data = new Uint8Array(h * w * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = (s >>> 16) & 255;
  }
  return ndarray(data, [h, w, 3]);
}

t.setTimeout(120_000);

t.test(
  "encodeImage / encodePrompts / encodeText / redundant match torch within 1e-4",
  { skip: FIXTURES_SKIP },
  async (t) => {
    const g = clipGolden() as ClipGolden;
    const prior = await ClipSurgeryPrior.create({ imageEncoder: TINY_IMAGE_ENCODER, textEncoder: TINY_TEXT_ENCODER });
    t.teardown(() => prior.dispose());
    t.equal(prior.imageSize, 64, "S read from the model");
    t.match(
      prior.id,
      /^clip-surgery:tiny-clip-surgery-image\.onnx:[1-9]\d*:64$/,
      "cache id: file name, size in bytes, S",
    );
    t.same(prior.modelSizes, { imageSize: 64, imageTokens: 17, imageDim: 32, textDim: 32 });
    const feats = await prior.encodeImage(nd(g.image_input));
    t.same(feats.shape, [1, 17, 32]);
    const eImage = maxAbsDiff(feats.data, nd(g.image_features).data);
    t.ok(eImage < 1e-4, `image features max abs error ${eImage.toExponential(2)}`);
    const raw = await prior.encodePrompts(g.text_onnx_check.texts);
    const eText = maxAbsDiff(raw.data, nd(g.text_onnx_check.text_features).data);
    t.ok(eText < 1e-4, `text features max abs error ${eText.toExponential(2)}`);
    const ens = await prior.encodeText(g.categories);
    t.same(ens.shape, [3, 32]);
    const eEns = maxAbsDiff(ens.data, nd(g.text_features_ensemble).data);
    t.ok(eEns < 1e-4, `ensemble max abs error ${eEns.toExponential(2)}`);
    const red = await prior.redundantFeatures();
    const eRed = maxAbsDiff(red.data, nd(g.redundant_features).data);
    t.ok(eRed < 1e-4, `redundant max abs error ${eRed.toExponential(2)}`);
    const calls = prior.timings.textCalls;
    await prior.encodeText(["cat", "dog"]);
    t.equal(prior.timings.textCalls, calls, "ensembles are cached per category");
    // The whole pipeline through onnxruntime: encoders, surgery, maps.
    const sim = clipFeatureSurgery(feats, ens, red);
    const eSim = maxAbsDiff(sim.data, nd(g.similarity).data);
    t.ok(eSim < 1e-4, `similarity (ONNX features) max abs error ${eSim.toExponential(2)}`);
    let eMaps = 0;
    for (const [key, want] of Object.entries(g.similarity_maps)) {
      const [h, w] = key.split("x").map(Number) as [number, number];
      eMaps = Math.max(eMaps, maxAbsDiff(clipSimilarityMaps(sim, [h, w]).data, nd(want).data));
    }
    t.ok(eMaps < 1e-4, `maps (ONNX features) max abs error ${eMaps.toExponential(2)}`);
    t.comment(`agreement: similarity ${eSim.toExponential(2)}, maps ${eMaps.toExponential(2)}`);
    t.comment(
      `agreement: image ${eImage.toExponential(2)}, text ${eText.toExponential(2)}, ensemble ${eEns.toExponential(2)}, redundant ${eRed.toExponential(2)}`,
    );
  },
);

t.test("prior: maps in [0, 1], image features cached in memory and on disk", { skip: FIXTURES_SKIP }, async (t) => {
  const cacheDir = join(dir, "cache");
  const prior = await ClipSurgeryPrior.create({
    imageEncoder: TINY_IMAGE_ENCODER,
    textEncoder: TINY_TEXT_ENCODER,
    cache: new EmbeddingCache({ dir: cacheDir }),
  });
  t.teardown(() => prior.dispose());
  t.equal(prior.channels, 1);
  const img = image(30, 40);
  const a = await prior.prior(img, "dog");
  t.same([a.height, a.width, a.data.length], [30, 40, 1200], "default map size: the image's");
  t.ok(
    a.data.every((v) => v >= 0 && v <= 1),
    "values in [0, 1]",
  );
  t.ok(Math.max(...a.data) > 0.5 && Math.min(...a.data) < 0.5, "min-max spread");
  t.equal(prior.timings.imageCalls, 1);
  const b = await prior.prior(ndarray(Uint8Array.from(img.data), [30, 40, 3]), "dog");
  t.equal(prior.timings.imageCalls, 1, "same pixels, new array: a cache hit");
  t.same(Array.from(b.data), Array.from(a.data));
  t.equal(b.data, a.data, "the map itself is kept for the episode's next steps");
  const c = await prior.prior(img, "cat");
  t.notSame(Array.from(c.data), Array.from(a.data), "another category, another map");
  t.equal(readdirSync(cacheDir).length, 1, "features written to the disk cache");
  // A fresh prior with the same disk cache reads the features instead of running the encoder.
  const again = await ClipSurgeryPrior.create({
    imageEncoder: TINY_IMAGE_ENCODER,
    textEncoder: TINY_TEXT_ENCODER,
    cache: new EmbeddingCache({ dir: cacheDir }),
    mapSize: [30, 40],
  });
  t.teardown(() => again.dispose());
  const d = await again.prior(img, "dog");
  t.equal(again.timings.imageCalls, 0, "disk hit");
  t.same(Array.from(d.data), Array.from(a.data));
  // The prior equals the pure pipeline on the encoder's features (strided input too).
  const strided = ndarray(Uint8Array.from(img.data), [30, 40, 3]).step(1, 1, 1);
  t.same(Array.from((await prior.prior(strided, "dog")).data), Array.from(a.data));
});

t.test(
  "contract: every mismatch named in one SegmenterError; bad options; preprocessing",
  { skip: FIXTURES_SKIP },
  async (t) => {
    // Swapped files: all four names are wrong.
    const err = await ClipSurgeryPrior.create({
      imageEncoder: TINY_TEXT_ENCODER,
      textEncoder: TINY_IMAGE_ENCODER,
    }).catch((e: unknown) => e);
    t.ok(err instanceof SegmenterError);
    const msg = (err as Error).message;
    t.match(msg, /CLIP-Surgery ONNX contract/);
    for (const name of [
      'missing input "image"',
      'missing output "image_features"',
      'missing input "tokens"',
      'missing output "text_features"',
    ])
      t.match(msg, name);
    const size = await ClipSurgeryPrior.create({
      imageEncoder: TINY_IMAGE_ENCODER,
      textEncoder: TINY_TEXT_ENCODER,
      imageSize: 224,
    }).catch((e: unknown) => e);
    t.match((size as Error).message, /imageSize 224 was asked for, but .* takes 64x64 images/);
    const missing = join(dir, "nope.onnx");
    const bad = join(dir, "bad.onnx");
    writeFileSync(bad, "not onnx");
    const both = await ClipSurgeryPrior.create({ imageEncoder: missing, textEncoder: bad }).catch((e: unknown) => e);
    t.ok(both instanceof SegmenterError);
    t.match((both as Error).message, /nope\.onnx/);
    t.match((both as Error).message, /bad\.onnx/);
    await t.rejects(
      ClipSurgeryPrior.create({ imageEncoder: "", textEncoder: TINY_TEXT_ENCODER }),
      InvalidArgumentError,
    );
    await t.rejects(
      ClipSurgeryPrior.create({
        imageEncoder: TINY_IMAGE_ENCODER,
        textEncoder: TINY_TEXT_ENCODER,
        templates: ["no placeholder"],
      }),
      InvalidArgumentError,
    );
    await t.rejects(
      ClipSurgeryPrior.create({ imageEncoder: TINY_IMAGE_ENCODER, textEncoder: TINY_TEXT_ENCODER, mapSize: [0, 3] }),
      InvalidArgumentError,
    );
    const copy = join(dir, "img.onnx");
    copyFileSync(TINY_IMAGE_ENCODER, copy);
    const prior = await ClipSurgeryPrior.create({
      imageEncoder: copy,
      textEncoder: TINY_TEXT_ENCODER,
      templates: ["a {}"],
    });
    await t.rejects(prior.encodeImage(ndarray(new Float32Array(3 * 32 * 32), [1, 3, 32, 32])), InvalidArgumentError);
    await t.rejects(prior.prior(ndarray(new Uint8Array(12), [2, 2, 3]), 3 as unknown as string), InvalidArgumentError);
    await prior.dispose();
    await t.rejects(prior.prior(image(8, 8), "dog"), SegmenterError, "disposed");
  },
);

t.test("clipPreprocess: bicubic to S x S, then CLIP's mean/std", async (t) => {
  const flat = ndarray(
    new Uint8Array(5 * 7 * 3).fill(0).map((_, i) => [255, 128, 0][i % 3] as number),
    [5, 7, 3],
  );
  const x = clipPreprocess(flat, 4);
  t.equal(x.length, 48);
  t.ok(Math.abs((x[0] as number) - (1 - 0.48145466) / 0.26862954) < 1e-6, "R plane");
  t.ok(Math.abs((x[16] as number) - (128 / 255 - 0.4578275) / 0.26130258) < 1e-6, "G plane");
  t.ok(Math.abs((x[47] as number) - (0 - 0.40821073) / 0.27577711) < 1e-6, "B plane");
  t.throws(() => clipPreprocess(ndarray(new Uint8Array(4), [2, 2]), 4), InvalidArgumentError);
});
