import t from "tap";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { make, spec, checkEnv } from "../../../src/registry";
import { SamSegEnv } from "../../../src/envs/sam-seg";
import { GeodesicSegmenter } from "../../../src/segmenters";
import { SyntheticCocoDataset } from "../../../src/data/synthetic/ensure-synthetic-coco";
import { FixedSegmenter, boxMask } from "../../../src/testing";
import { smallDataset, SMALL_GT_BOX } from "./helpers";

t.test("SamSegEnv-v0 is registered; its defaults need nothing from outside", async (t) => {
  const s = spec("SamSegEnv-v0");
  t.equal(s.id, "SamSegEnv-v0");
  t.equal(s.maxEpisodeSteps, null, "the env truncates itself at maxSteps");
  const env = make("SamSegEnv-v0");
  const inner = env.unwrapped as SamSegEnv;
  t.ok(inner instanceof SamSegEnv);
  t.ok(inner.segmenter instanceof GeodesicSegmenter, "GeodesicSegmenter by default");
  t.equal(inner.actionSpace.n, 2048, "reference grid: 32 x 32 patches of 375 x 500");
  t.same(inner.observationSpace.spaces.image.shape, [375, 500, 3]);
  t.same(inner.observationSpace.spaces.samImageEmbeddings.shape, inner.segmenter.embeddingShape);
  t.equal(inner.observationSpace.spaces.targetCategory.maxLength, "triangle".length, "synthetic shape categories");
  t.equal(inner.options.maxSteps, 5);
  await env.close();
});

t.test("make overrides: dataset, segmenter and any option", async (t) => {
  const segmenter = new FixedSegmenter({ mask: boxMask([12, 16], [SMALL_GT_BOX]) });
  const env = make("SamSegEnv-v0", {
    dataset: smallDataset(),
    segmenter,
    imgShape: [12, 16, 3],
    imgPatchSize: 4,
    maxSteps: 2,
    reward: "alignsam-paper",
  });
  const inner = env.unwrapped as SamSegEnv;
  t.equal(inner.segmenter, segmenter);
  const [obs] = await env.reset({ seed: 0 });
  t.equal((obs as { targetCategory: string }).targetCategory, "thing");
  const [, r1, , tr1] = await env.step(8);
  const [, r2, , tr2] = await env.step(0);
  t.same([r1, tr1, r2, tr2], [1, false, -1, true]);
  await checkEnv(make("SamSegEnv-v0", { dataset: smallDataset(), segmenter, imgShape: [12, 16, 3], imgPatchSize: 4 }));
  t.pass("checkEnv through make (PassiveEnvChecker + OrderEnforcing)");
});

t.test("end to end: lazily generated synthetic COCO, CocoDataset sampling, resizing, GeodesicSegmenter", async (t) => {
  const cacheDir = await mkdtemp(join(tmpdir(), "samseg-synth-"));
  t.teardown(() => rm(cacheDir, { recursive: true, force: true }));
  const dataset = new SyntheticCocoDataset({ images: 4, size: [60, 80], cacheDir, seed: 3 });
  const env = make("SamSegEnv-v0", { dataset, imgShape: [48, 64, 3], numPatches: 8 });
  const [obs, info] = await env.reset({ seed: 1 });
  const o = obs as { image: { shape: number[] }; targetCategory: string };
  t.same(o.image.shape, [48, 64, 3], "resized to imgShape");
  t.ok(dataset.categories.includes(o.targetCategory));
  t.match(info.imageSource, /\.jpg$/);
  let total = 0;
  for (let i = 0; i < 5; i++) {
    const [, r, term, trunc, inf] = await env.step((i * 37) % 128);
    total += r;
    t.equal(term, false);
    t.equal(trunc, i === 4);
    t.ok(Number.isFinite(inf.dice as number) && (inf.dice as number) >= 0 && (inf.dice as number) <= 1);
  }
  t.ok(Number.isFinite(total));
  const frame = await env.render();
  t.same((frame as { shape: number[] }).shape, [320, 1278, 3]);
  await env.close();
});

t.test("default embedding cache: one per process, shared by default envs, kept when one closes", async (t) => {
  const dataset = smallDataset();
  const a = new SamSegEnv({ dataset });
  const b = new SamSegEnv({ dataset });
  t.ok(a.embeddingCache !== null && a.embeddingCache === b.embeddingCache, "shared");
  t.equal(a.embeddingCache?.maxBytes, 128 * 1024 * 1024);
  const own = new SamSegEnv({ dataset, embeddingCache: { maxBytes: 1 << 20 } });
  t.not(own.embeddingCache, a.embeddingCache, "options as plain data build the env's own");
  await a.reset({ seed: 0 });
  const before = b.embeddingCache!.stats();
  t.ok(before.entries >= 1);
  await a.close();
  t.same(b.embeddingCache!.stats().entries, before.entries, "closing one env leaves the others' cache");
  const [obsB] = await b.reset({ seed: 0 });
  t.equal(b.embeddingCache!.stats().memoryHits, before.memoryHits + 1, "b finds a's embedding");
  const [obsOwn] = await own.reset({ seed: 0 });
  t.same(
    Buffer.from((obsB.samImageEmbeddings as { data: Float32Array }).data.buffer),
    Buffer.from((obsOwn.samImageEmbeddings as { data: Float32Array }).data.buffer),
  );
  await b.close();
  await own.close();
});

t.test("syntheticDataset: plain-JSON options of the default dataset (e.g. held-out images)", async (t) => {
  const cacheDir = await mkdtemp(join(tmpdir(), "samseg-heldout-"));
  t.teardown(() => rm(cacheDir, { recursive: true, force: true }));
  const kwargs = (seed: number) => ({
    syntheticDataset: { images: 16, size: [60, 80] as [number, number], cacheDir, seed, split: "val" },
    imgShape: [48, 64, 3] as [number, number, number],
    numPatches: 8,
    targetCategories: ["disc", "box"],
  });
  const a = make("SamSegEnv-v0", kwargs(1));
  const b = make("SamSegEnv-v0", kwargs(2));
  const [, ia] = await a.reset({ seed: 0 });
  const [, ib] = await b.reset({ seed: 0 });
  t.match(ia.imageSource, /val/, "the configured split is used");
  const imageA = ((await a.reset({ seed: 0 }))[0] as { image: { data: Uint8Array } }).image.data;
  const imageB = ((await b.reset({ seed: 0 }))[0] as { image: { data: Uint8Array } }).image.data;
  t.notSame(Buffer.from(imageA), Buffer.from(imageB), "another generator seed gives other images");
  t.ok(ib.imageSource);
  t.throws(
    () => new SamSegEnv({ dataset: smallDataset(), syntheticDataset: { seed: 1 } }),
    /either dataset or syntheticDataset/,
  );
  t.throws(
    () => new SamSegEnv({ syntheticDataset: 5 as unknown as { seed: number } }),
    /syntheticDataset must be an options object, got 5/,
  );
  await a.close();
  await b.close();
});
