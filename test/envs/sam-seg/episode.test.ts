import t from "tap";
import { SamSegEnv } from "../../../src/envs/sam-seg";
import { ScriptedSegmenter, FixedSegmenter, InMemoryDataset, boxMask } from "../../../src/testing";
import { iou as metricIou } from "../../../src/metrics";
import ndarray from "ndarray";
import { smallDataset } from "./helpers";

// 12 x 16 image, 4-pixel patches: x centres 2 6 10 14, y centres 2 6 10; n = 24 actions.
// Ground truth: rows 4..7, columns 4..11 (32 pixels).
const predQuarter = boxMask([12, 16], [{ x0: 4, y0: 4, x1: 8, y1: 8 }]); // 16 px inside gt
const predWide = boxMask([12, 16], [{ x0: 4, y0: 4, x1: 13, y1: 8 }]); // gt + one column (36 px)
const predExact = boxMask([12, 16], [{ x0: 4, y0: 4, x1: 12, y1: 8 }]);

function makeEnv(opts: Partial<ConstructorParameters<typeof SamSegEnv>[0]> = {}) {
  const segmenter = new ScriptedSegmenter({ script: [predQuarter, predWide, predExact] });
  const env = new SamSegEnv({
    dataset: smallDataset(),
    segmenter,
    imgShape: [12, 16, 3],
    imgPatchSize: 4,
    maxSteps: 3,
    ...opts,
  });
  return { env, segmenter };
}

const near = (a: unknown, b: number, eps = 1e-6): boolean => typeof a === "number" && Math.abs(a - b) < eps;

t.test("spaces follow the options", async (t) => {
  const { env } = makeEnv();
  t.equal(env.actionSpace.n, 24);
  t.same(env.observationSpace.keys, ["image", "numSteps", "samImageEmbeddings", "samPredMaskProb", "targetCategory"]);
  t.same(env.observationSpace.spaces.image.shape, [12, 16, 3]);
  t.equal(env.observationSpace.spaces.image.dtype, "uint8");
  t.same(env.observationSpace.spaces.samImageEmbeddings.shape, [4, 16, 16]);
  t.same(env.observationSpace.spaces.samPredMaskProb.shape, [256, 256]);
  t.equal(env.observationSpace.spaces.numSteps.n, 4);
  t.equal(env.observationSpace.spaces.targetCategory.maxLength, 5, "longest category name");
  t.same(env.metadata, { renderModes: ["rgb_array", "human"], renderFps: 1 });
  t.equal(env.renderMode, "rgb_array");
  t.equal(
    new SamSegEnv({
      dataset: smallDataset(),
      segmenter: new FixedSegmenter({ mask: predExact }),
      maxSteps: null,
      imgShape: [12, 16, 3],
      numPatches: 4,
    }).observationSpace.spaces.numSteps.n,
    1000,
  );
});

t.test("reset: observation, reward state and info", async (t) => {
  const { env, segmenter } = makeEnv();
  const [obs, info] = await env.reset({ seed: 3 });
  t.ok(env.observationSpace.contains(obs), "obs in the space");
  t.equal(obs.targetCategory, "thing");
  t.equal(obs.numSteps, 0);
  t.ok(
    obs.samPredMaskProb.data.every((v) => v === 0.5),
    "0.5 everywhere after reset",
  );
  t.same(info.lastInputPoints, []);
  t.same(info.lastInputLabels, []);
  t.equal(info.targetCategory, "thing");
  t.equal(segmenter.embedCount, 1);
  t.same(
    Array.from(env.groundTruth!.data).reduce((a, b) => a + b, 0),
    32,
  );
  t.ok(
    env.predictedProbability!.data.every((v) => v === 0),
    "full-resolution prediction is 0",
  );
  await env.reset();
  t.equal(segmenter.embedCount, 1, "the same image is embedded once (cache)");
});

t.test("a scripted episode: rewards, dice, iou, infos and flags step by step", async (t) => {
  const { env, segmenter } = makeEnv();
  await env.reset({ seed: 0 });

  // Step 1: positive at (6, 6), on the ground truth -> +1 (first click, coefficient 1).
  const a1 = env.actionFor({ x: 6, y: 6 }, true);
  t.equal(a1, 8);
  let [obs, r, term, trunc, info] = await env.step(a1);
  t.equal(r, 1);
  t.same([term, trunc], [false, false]);
  t.equal(obs.numSteps, 1);
  t.same(info.lastInputPoints, [[6, 6]]);
  t.same(info.lastInputLabels, [1]);
  t.ok(near(info.dice, 32 / 48), "soft dice 2*16 / (32 + 16)");
  t.equal(info.iou, 0.5);
  t.ok(near(info.bestDice, 32 / 48), "best dice");
  t.same(info.rewardTerms, { clickCorrectness: 1, negativeRefinementBonus: 0, repeatCoefficient: 1 });
  t.equal(obs.samPredMaskProb.get(100, 100), 1, "sigmoid of the chosen low-res logits (inside)");
  t.ok(obs.samPredMaskProb.get(0, 0) < 1e-9, "outside");
  t.notOk("samPredMask" in info, "opt-in");

  // Step 2: positive at (10, 6), 4 px from the first -> coefficient 1 - exp(-4 / 8).
  const a2 = env.actionFor({ x: 10, y: 6 }, true);
  t.equal(a2, 14);
  const obs1 = obs;
  [obs, r, term, trunc, info] = await env.step(a2);
  t.ok(near(r, 1 - Math.exp(-0.5)), "repeat-scaled reward");
  t.same([term, trunc], [false, false]);
  t.same(info.lastInputPoints, [
    [6, 6],
    [10, 6],
  ]);
  t.ok(near(info.dice, 64 / 68), "dice of the wide mask");
  t.ok(near(info.iou, 32 / 36), "iou");
  t.not(obs.samPredMaskProb, obs1.samPredMaskProb, "a fresh mask observation each step");
  t.equal(obs1.samPredMaskProb.get(100, 150), 0 + obs1.samPredMaskProb.get(100, 150), "earlier observation untouched");
  t.ok(obs1.samPredMaskProb.get(100, 150) < 1e-9);

  // Step 3: negative at (14, 10), background; dice rises 0.94 -> 1 (> 0.5, gain > 0.01) -> bonus 0.5.
  const a3 = env.actionFor({ x: 14, y: 10 }, false);
  t.equal(a3, 23);
  [obs, r, term, trunc, info] = await env.step(a3);
  t.equal(r, 0.5);
  t.same([term, trunc], [false, true], "truncated after maxSteps clicks");
  t.equal(obs.numSteps, 3);
  t.same(info.lastInputLabels, [1, 1, 0]);
  t.same(info.rewardTerms, { clickCorrectness: 0, negativeRefinementBonus: 0.5, repeatCoefficient: 1 });
  t.ok(near(info.bestDice, 1), "best dice");
  t.equal(info.iou, 1);
  t.ok(env.observationSpace.contains(obs));

  // The segmenter saw all clicks so far, single-mask, no mask input (reference protocol).
  t.same(
    segmenter.calls.map((c) => c.points),
    [
      [[6, 6]],
      [
        [6, 6],
        [10, 6],
      ],
      [
        [6, 6],
        [10, 6],
        [14, 10],
      ],
    ],
  );
  t.same(
    segmenter.calls.map((c) => c.labels),
    [[1], [1, 1], [1, 1, 0]],
  );
  t.ok(segmenter.calls.every((c) => !c.multimask && c.maskInput === null));
  t.same(segmenter.calls[0]!.imageSize, [12, 16]);

  // reset clears clicks, best dice and the reward state.
  await env.reset();
  [obs, r, , , info] = await env.step(a2);
  t.equal(r, 1, "coefficient back to 1 after reset");
  t.ok(near(info.bestDice, 32 / 48), "best dice restarted (script step 1 again)");
});

t.test("positive clicks are snapped onto nearby ground truth (option, default on)", async (t) => {
  // The spec's vector on a 375 x 500 image (32 patches): box x in [90, 200), y in [50, 150).
  const big = boxMask([375, 500], [{ x0: 90, y0: 50, x1: 200, y1: 150 }]);
  const image = ndarray(new Uint8Array(375 * 500 * 3), [375, 500, 3]);
  const masks = ndarray(big.data, [375, 500, 1]);
  const dataset = new InMemoryDataset({ box: [{ image, masks }] });
  const run = async (action: number, refine?: boolean) => {
    const env = new SamSegEnv({
      dataset,
      segmenter: new FixedSegmenter({ mask: big }),
      ...(refine === undefined ? {} : { refinePositiveClicks: refine }),
    });
    await env.reset({ seed: 1 });
    const [, r, , , info] = await env.step(action);
    return { points: info.lastInputPoints, r };
  };
  t.same((await run(328)).points, [[90, 54]], "action 328 (85, 52) positive -> (90, 54)");
  t.equal((await run(328)).r, 1, "the snapped click is on the foreground");
  t.same((await run(329)).points, [[85, 52]], "negative: unchanged");
  t.same((await run(326)).points, [[85, 41]], "no foreground in the window: unchanged");
  t.same((await run(328, false)).points, [[85, 52]], "refinePositiveClicks: false");
  t.equal((await run(328, false)).r, 0);
});

t.test("multimaskOutput picks the best predicted IoU; feedMaskInput feeds its low-res logits back", async (t) => {
  const segmenter = new ScriptedSegmenter({
    script: () => ({ masks: [predQuarter, predExact, predWide], scores: [0.2, 0.9, 0.5] }),
  });
  const env = new SamSegEnv({
    dataset: smallDataset(),
    segmenter,
    imgShape: [12, 16, 3],
    imgPatchSize: 4,
    multimaskOutput: true,
    feedMaskInput: true,
    includeSamPredMask: true,
  });
  await env.reset({ seed: 0 });
  const [, , , , info] = await env.step(8);
  t.equal(info.iou, 1, "the exact mask (score 0.9) was chosen");
  const pm = info.samPredMask as ndarray.NdArray<Float32Array>;
  t.same(pm.shape, [12, 16]);
  t.equal(
    metricIou(
      env.groundTruth!,
      ndarray(
        Uint8Array.from(pm.data, (v) => (v > 0.5 ? 1 : 0)),
        [12, 16],
      ),
    ),
    info.iou,
    "info.iou = metrics.iou at 0.5",
  );
  await env.step(14);
  t.equal(segmenter.calls[0]!.multimask, true);
  t.equal(segmenter.calls[0]!.maskInput, null, "no mask input on the first click");
  const fed = segmenter.calls[1]!.maskInput!;
  t.equal(fed.length, 256 * 256);
  t.equal(fed[100 * 256 + 150], 30, "the chosen (exact) mask's low-res logits come back");
  t.equal(fed[100 * 256 + 40], -30);
  pm.data[0] = 123;
  t.not(env.predictedProbability!.data[0], 123, "info.samPredMask is a copy");
});

t.test("maxSteps null: never truncated; numSteps counts on", async (t) => {
  const { env } = makeEnv({ maxSteps: null });
  await env.reset({ seed: 0 });
  for (let i = 0; i < 7; i++) {
    const [obs, , term, trunc] = await env.step(i);
    t.same([obs.numSteps, term, trunc], [i + 1, false, false]);
  }
});

t.test("a lazily loaded dataset whose category names do not fit the observation space", async (t) => {
  const ds = smallDataset();
  const env = new SamSegEnv({
    dataset: async () => ds,
    segmenter: new FixedSegmenter({ mask: predExact }),
    imgShape: [12, 16, 3],
    imgPatchSize: 4,
  });
  t.equal(env.observationSpace.spaces.targetCategory.maxLength, 64, "unknown categories: maxLength 64 until loaded");
  const [obs] = await env.reset({ seed: 0 });
  t.ok(env.observationSpace.contains(obs));
  const odd = new InMemoryDataset({ "caf\u00e9": [] }); // never sampled: the name check fails first
  const env2 = new SamSegEnv({
    dataset: async () => odd,
    segmenter: new FixedSegmenter({ mask: predExact }),
    imgShape: [12, 16, 3],
    imgPatchSize: 4,
  });
  await t.rejects(env2.reset(), /categories \["caf\u00e9"\] do not fit the observation space Text\(1, 64/);
});

t.test("useDiceScore false: rewards see dice 0 (no bonus); info.dice stays real", async (t) => {
  const { env } = makeEnv({ useDiceScore: false });
  await env.reset({ seed: 0 });
  await env.step(8);
  await env.step(14);
  const [, r, , , info] = await env.step(23);
  t.equal(r, 0, "no negative-click bonus without dice");
  t.ok((info.dice as number) > 0.99);
});

t.test("reward option: presets, penalties and a user function", async (t) => {
  let env = makeEnv({ penalizeForWrongInput: true }).env;
  await env.reset({ seed: 0 });
  t.equal((await env.step(env.actionFor({ x: 2, y: 2 }, true)))[1], -0.33, "positive on background");
  env = makeEnv({ reward: "alignsam-paper" }).env;
  await env.reset({ seed: 0 });
  t.equal((await env.step(env.actionFor({ x: 2, y: 2 }, false)))[1], -1);
  env = makeEnv({ reward: "dice-gain" }).env;
  await env.reset({ seed: 0 });
  const [, r1] = await env.step(8);
  const [, r2, , , info2] = await env.step(14);
  t.ok(near(r1 + r2, info2.dice as number), "dice gains add up to the dice");
  const seen: Array<[number, number, number]> = [];
  const total = (a: Float32Array) => Math.round(a.reduce((x, y) => x + y, 0));
  env = makeEnv({
    reward: (ctx) => (seen.push([ctx.step, total(ctx.prevPred.data), total(ctx.pred.data)]), ctx.clicks.length * 10),
  }).env;
  await env.reset({ seed: 0 });
  const [, r, , , info] = await env.step(8);
  t.equal(r, 10);
  t.same(info.rewardTerms, { custom: 10 });
  await env.step(14);
  t.same(
    seen,
    [
      [1, 0, 16],
      [2, 16, 36],
    ],
    "ctx.prevPred is the prediction before the click",
  );
});
