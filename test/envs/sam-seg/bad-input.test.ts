import t from "tap";
import ndarray from "ndarray";
import { SamSegEnv } from "../../../src/envs/sam-seg";
import { FixedSegmenter, InMemoryDataset, boxMask } from "../../../src/testing";
import {
  DatasetError,
  InvalidActionError,
  InvalidArgumentError,
  ResetNeededError,
  SegmenterError,
} from "../../../src/core";
import { patternImage, smallDataset, stackMasks, SMALL_GT_BOX } from "./helpers";

const mask = boxMask([12, 16], [SMALL_GT_BOX]);
const base = () => ({
  dataset: smallDataset(),
  segmenter: new FixedSegmenter({ mask }),
  imgShape: [12, 16, 3] as [number, number, number],
  imgPatchSize: 4,
});

t.test("step and render before reset -> ResetNeededError (no wrapper needed)", async (t) => {
  const env = new SamSegEnv(base());
  await t.rejects(env.step(0), ResetNeededError);
  await t.rejects(env.render(), ResetNeededError);
  await t.rejects(env.render(), /before calling env.reset/);
});

t.test("invalid actions are named, and change nothing", async (t) => {
  const env = new SamSegEnv({
    ...base(),
    imgShape: [375, 500, 3],
    imgPatchSize: undefined,
    numPatches: 32,
    dataset: new InMemoryDataset({ thing: [{ image: patternImage(12, 16, 0), masks: stackMasks([mask]) }] }),
    segmenter: new FixedSegmenter({ mask: boxMask([375, 500], [{ x0: 90, y0: 50, x1: 200, y1: 150 }]) }),
  });
  await env.reset({ seed: 0 });
  await env.step(328);
  const before = { clicks: env.clicks, pred: Float32Array.from(env.predictedProbability!.data) };
  for (const bad of [2048, -1, 1.5, NaN, "3", null, undefined, Infinity, 1e20]) {
    await t.rejects(env.step(bad as number), InvalidActionError, `action ${String(bad)}`);
  }
  await t.rejects(env.step(2048), /invalid action 2048: actions are integers in \[0, 2048\)/);
  await t.rejects(env.step("3" as unknown as number), /invalid action "3" \(string\)/);
  await t.rejects(env.step(NaN), /invalid action NaN/);
  t.same(env.clicks, before.clicks, "clicks unchanged");
  t.same(env.predictedProbability!.data, before.pred, "prediction unchanged");
  const [obs, , , , info] = await env.step(0);
  t.equal(obs.numSteps, 2, "the next valid step continues the episode");
  t.equal((info.lastInputPoints as unknown[]).length, 2);
  t.throws(() => env.decodeAction(-1), InvalidActionError);
  t.same(env.decodeAction(2047), { x: 492, y: 369, positive: false });
});

t.test("options out of range name the option and the value", async (t) => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ imgShape: [375, 500] }, /imgShape must be 3 positive integers, got \[375,500\]/],
    [{ imgShape: [375, 500, 1] }, /imgShape must be \[H, W, 3\]/],
    [{ imgShape: [0, 500, 3] }, /imgShape/],
    [{ renderFrameShape: [320] }, /renderFrameShape must be 2 positive integers/],
    [{ maxSteps: 0 }, /maxSteps must be a positive integer or null, got 0/],
    [{ maxSteps: -1 }, /maxSteps.*-1/],
    [{ maxSteps: 2.5 }, /maxSteps.*2.5/],
    [{ imgPatchSize: 4, numPatches: 3 }, /exactly one of imgPatchSize and numPatches/],
    [{ imgPatchSize: 0, numPatches: undefined }, /imgPatchSize must be a number >= 1.*got 0/],
    [{ imgPatchSize: undefined, numPatches: 0 }, /numPatches must be an integer in \[1, min\(H, W\) = 12\], got 0/],
    [{ imgPatchSize: undefined, numPatches: 13 }, /numPatches.*13/],
    [{ renderMode: "ansi" }, /renderMode must be one of "rgb_array", "human" or null, got "ansi"/],
    [{ targetCategories: [] }, /targetCategories must be a non-empty array/],
    [{ targetCategories: ["a", "a"] }, /duplicates/],
    [
      { embeddingShape: [256, 64, 64] },
      /embeddingShape \[256,64,64\] does not match segmenter "FixedSegmenter", which declares \[4, 16, 16\]/,
    ],
    [{ maskShape: [128, 128] }, /maskShape/],
    [{ useDiceScore: "yes" }, /useDiceScore must be a boolean, got "yes"/],
    [{ reward: "alignsam-v9" }, /unknown reward preset "alignsam-v9"/],
    [{ segmenter: { id: "x" } }, /segmenter must implement PromptableSegmenter/],
    [{ dataset: 42 }, /dataset must be a Dataset/],
    [{ numPatchez: 3 }, /unknown option "numPatchez"/],
  ];
  for (const [opts, re] of cases)
    t.throws(() => new SamSegEnv({ ...base(), ...opts } as never), re, JSON.stringify(opts));
  t.throws(() => new SamSegEnv({ ...base(), maxSteps: 0 }), InvalidArgumentError);
});

t.test("dataset problems surface on reset with clear errors; the previous episode is untouched", async (t) => {
  const ds = new InMemoryDataset({ thing: [{ image: patternImage(12, 16, 0), masks: stackMasks([mask]) }], empty: [] });
  const missing = new SamSegEnv({ ...base(), dataset: ds, targetCategories: ["thing", "unicorn"] });
  await t.rejects(missing.reset({ seed: 0 }), /targetCategories \["unicorn"\] are not in the dataset/);

  const env = new SamSegEnv({ ...base(), dataset: ds, targetCategories: ["thing", "empty"] });
  // Find a seed that draws "thing", play one step, then a seed that draws "empty".
  let seed = 0;
  for (; ; seed++) {
    const [obs] = await env.reset({ seed }).catch(() => [null] as const);
    if (obs?.targetCategory === "thing") break;
  }
  await env.step(8);
  const clicks = env.clicks;
  let failed = 0;
  for (let s = 0; s < 10; s++) {
    try {
      await env.reset({ seed: 1000 + s });
      break;
    } catch (e) {
      t.ok(e instanceof DatasetError, "DatasetError");
      t.match((e as Error).message, /no image of category "empty"/);
      failed++;
      t.same(env.clicks, clicks, "the previous episode's state is unchanged");
    }
  }
  t.ok(failed > 0, "some seed drew the empty category");

  const throwing = new SamSegEnv({
    ...base(),
    dataset: {
      categories: ["x"],
      sample: async () => {
        throw new Error("disk on fire");
      },
    },
  });
  await t.rejects(throwing.reset(), /dataset.sample\("x"\) failed: disk on fire/);
  const badShape = new SamSegEnv({
    ...base(),
    dataset: {
      categories: ["x"],
      sample: async () => ({ image: patternImage(4, 4, 0), masks: stackMasks([boxMask([5, 4], [])]) }),
    },
  });
  await t.rejects(badShape.reset(), DatasetError);
  await t.rejects(
    new SamSegEnv({ ...base(), dataset: async () => 7 as never }).reset(),
    /the dataset factory returned 7/,
  );
});

t.test("segmenter contract violations are SegmenterErrors", async (t) => {
  const seg = new FixedSegmenter({ mask });
  const env = new SamSegEnv({
    ...base(),
    segmenter: {
      id: "liar",
      embeddingShape: seg.embeddingShape,
      lowResShape: seg.lowResShape,
      embed: (i) => seg.embed(i),
      predict: async (e, p) => ({ ...(await seg.predict(e, p)), scores: new Float32Array(0) }),
    },
  });
  await env.reset({ seed: 0 });
  await t.rejects(env.step(0), SegmenterError);
  t.same(env.clicks, [], "no click recorded");
  const wrongEmb = new SamSegEnv({
    ...base(),
    segmenter: {
      id: "w",
      embeddingShape: [4, 16, 16],
      lowResShape: [256, 256],
      embed: async () => ndarray(new Float32Array(16 * 4 * 8), [16, 4, 8]),
      predict: (e, p) => seg.predict(e, p),
    },
  });
  await t.rejects(wrongEmb.reset(), /returned an embedding of shape \[16,4,8\], declared \[4,16,16\]/);
});
