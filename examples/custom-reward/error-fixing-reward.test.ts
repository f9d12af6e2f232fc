// Unit tests of the custom reward with the testing kit: masks as string art, no segmenter, no env.
// Run: npx tap examples/custom-reward/error-fixing-reward.test.ts (after `npm run build`, since
// "alignsam-gym" resolves to the built package).
import t from "tap";
import { makeRewardContext, makeRewardState, runRewardEpisode } from "alignsam-gym/testing";
import { errorFixing, errorFixingReward } from "./error-fixing-reward";

// Ground truth: a 2 x 2 object in a 4 x 6 image.
const gt = ["......", "..##..", "..##..", "......"];

t.test("a positive click on a missed object pixel fixes an error", async (t) => {
  const ctx = makeRewardContext({
    gt,
    prevPred: ["......", "..#...", "......", "......"], // the object was half found
    clicks: [{ x: 3, y: 2, positive: true }], // clicked a missed pixel
  });
  t.equal(errorFixing().compute(ctx, makeRewardState()), 1);
});

t.test("clicks that fix nothing are penalised", async (t) => {
  const found = ["......", "..##..", "..##..", "......"];
  const onFound = makeRewardContext({ gt, prevPred: found, clicks: [[2, 1, "+"]] });
  t.equal(errorFixing().compute(onFound, makeRewardState()), -0.5, "positive click on an already found pixel");
  const onBackground = makeRewardContext({ gt, prevPred: found, clicks: [[0, 0, "-"]] });
  t.equal(errorFixing().compute(onBackground, makeRewardState()), -0.5, "negative click where nothing was predicted");
});

t.test("a negative click on a false positive fixes an error", async (t) => {
  const ctx = makeRewardContext({ gt, prevPred: ["......", ".###..", "..##..", "......"], clicks: [[1, 1, "-"]] });
  t.equal(errorFixing().compute(ctx, makeRewardState()), 1);
});

t.test("the composed reward over a scripted episode", async (t) => {
  const [first, second] = runRewardEpisode(errorFixingReward(), {
    gt,
    steps: [
      { click: [2, 1, "+"], pred: ["......", "..##..", "......", "......"] }, // fixes a miss; dice 0 -> 2/3
      { click: [2, 1, "+"], pred: ["......", "..##..", "..##..", "......"] }, // same pixel again, now already found
    ],
  });
  t.equal(first!.terms.errorFixing, 1);
  t.equal(first!.terms.repeatCoefficient, 1, "first click: no repeat");
  t.ok(Math.abs(first!.reward - (1 + 2 * (2 / 3))) < 1e-6, `reward 1 + 2 * 2/3, got ${first!.reward}`);
  t.equal(second!.terms.errorFixing, -0.5);
  t.equal(second!.terms.repeatCoefficient, 0, "the exact same click: coefficient 0");
  t.ok(Math.abs(second!.reward - 2 * (1 - 2 / 3)) < 1e-6, "only the Dice gain is left");
});
