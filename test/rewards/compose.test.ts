import t from "tap";
import {
  composeReward,
  rewardPreset,
  resolveReward,
  clickCorrectness,
  repeatCoefficient,
  negativeRefinementBonus,
  REWARD_PRESETS,
  softDice,
  rewardFromFunction,
  type RewardComponent,
} from "../../src/rewards";
import { InvalidArgumentError } from "../../src/core";
import {
  makeRewardContext,
  makeRewardState,
  runRewardEpisode,
  maskFromArt,
  probabilityFromArt,
} from "../../src/testing";

const GT = ["......", "..##..", "..##..", "......"];
const s0 = makeRewardState();
const PS = 15.625;

t.test("soft dice follows the reference formula with 1e-6 smoothing", async (t) => {
  const gt = maskFromArt(["##..", "##.."]);
  const pred = probabilityFromArt(["#5..", "..2."]);
  // sum(G*S) = 1 + 0.5 = 1.5; sum(G) = 4; sum(S) = 1.7
  t.ok(Math.abs(softDice(gt, pred) - (3 + 1e-6) / (5.7 + 1e-6)) < 1e-7);
  t.equal(softDice(maskFromArt(["...."]), probabilityFromArt(["...."])), 1, "both empty -> 1");
  t.throws(() => softDice(gt, probabilityFromArt(["...."])), InvalidArgumentError);
});

t.test("'alignsam' preset: the reference HEAD reward table", async (t) => {
  const r = rewardPreset("alignsam");
  // positive on foreground, first click: +1 * coeff(1)
  let res = r.compute(makeRewardContext({ gt: GT, clicks: [[2, 1, "+"]] }), s0);
  t.equal(res.reward, 1);
  t.same(Object.keys(res.terms).sort(), ["clickCorrectness", "negativeRefinementBonus", "repeatCoefficient"]);
  // positive on foreground 16 px from an earlier positive click: 1 * 0.40070
  const gtWide = { gt: [".".repeat(40), "#".repeat(40)] };
  res = r.compute(
    makeRewardContext({
      ...gtWide,
      clicks: [
        [0, 1, "+"],
        [16, 1, "+"],
      ],
      patchSize: PS,
    }),
    s0,
  );
  t.equal(Number(res.reward.toFixed(5)), 0.4007);
  t.equal(res.terms.clickCorrectness, 1);
  // positive on background: 0; negative anywhere: 0
  t.equal(r.compute(makeRewardContext({ gt: GT, clicks: [[0, 0, "+"]] }), s0).reward, 0);
  t.equal(r.compute(makeRewardContext({ gt: GT, clicks: [[2, 1, "-"]] }), s0).reward, 0);
  t.equal(r.compute(makeRewardContext({ gt: GT, clicks: [[0, 0, "-"]] }), s0).reward, 0);
  // negative + bonus: not scaled by the coefficient (repeat click at distance 0 -> coeff 0)
  res = r.compute(
    makeRewardContext({
      gt: GT,
      clicks: [
        [0, 0, "-"],
        [0, 0, "-"],
      ],
      dice: 0.8,
    }),
    makeRewardState({ bestDice: 0.6 }),
  );
  t.equal(res.terms.repeatCoefficient, 0);
  t.equal(res.reward, 0.5);
  // with penalties: negative on foreground -1 * coeff, positive on background -0.33 * coeff
  const p = rewardPreset("alignsam", { penalizeForWrongInput: true });
  t.equal(p.compute(makeRewardContext({ gt: GT, clicks: [[2, 1, "-"]] }), s0).reward, -1);
  t.equal(p.compute(makeRewardContext({ gt: GT, clicks: [[0, 0, "+"]] }), s0).reward, -0.33);
  res = p.compute(
    makeRewardContext({
      ...gtWide,
      clicks: [
        [0, 0, "+"],
        [16, 0, "+"],
      ],
      patchSize: PS,
    }),
    s0,
  );
  t.equal(Number(res.reward.toFixed(5)), Number((-0.33 * 0.4007).toFixed(5)));
  t.equal(p.compute(makeRewardContext({ gt: GT, clicks: [[0, 0, "-"]] }), s0).reward, 0);
});

t.test("'alignsam-v0725' preset", async (t) => {
  const r = rewardPreset("alignsam-v0725");
  const at = (click: [number, number, "+" | "-"], dice = 0, best = 0) =>
    r.compute(makeRewardContext({ gt: GT, clicks: [click], dice }), makeRewardState({ bestDice: best })).reward;
  t.equal(at([2, 1, "+"]), 1, "positive on foreground");
  t.equal(at([2, 1, "-"]), 0, "negative on foreground");
  t.equal(at([0, 0, "+"]), -1, "positive on background");
  t.equal(at([0, 0, "-"]), 0, "negative on background");
  t.equal(at([2, 1, "+"], 0.5, 0.4), 3, "dice gain 0.1 > 0.05: +2");
  t.equal(at([0, 0, "+"], 0.5, 0.46), -1, "dice gain 0.04: no bonus");
  t.equal(at([0, 0, "-"], 0.3, 0.5), 0, "dice drop: no bonus, no penalty");
  // No repeat coefficient in v0725: the same click twice keeps +1.
  t.equal(
    r.compute(
      makeRewardContext({
        gt: GT,
        clicks: [
          [2, 1, "+"],
          [2, 1, "+"],
        ],
      }),
      s0,
    ).reward,
    1,
  );
});

t.test("'alignsam-paper' and 'dice-gain' presets", async (t) => {
  const paper = rewardPreset("alignsam-paper");
  t.equal(paper.compute(makeRewardContext({ gt: GT, clicks: [[3, 2, "-"]] }), s0).reward, 1);
  t.equal(paper.compute(makeRewardContext({ gt: GT, clicks: [[0, 2, "+"]] }), s0).reward, -1);
  const results = runRewardEpisode("dice-gain", {
    gt: [".##.", ".##."],
    steps: [
      { click: [1, 0, "+"], pred: [".#..", ".#.."] },
      { click: [2, 1, "+"], pred: [".##.", ".##."] },
      { click: [0, 0, "+"], pred: ["###.", ".##."] },
    ],
  });
  const d1 = (4 + 1e-6) / (6 + 1e-6);
  const d3 = (8 + 1e-6) / (9 + 1e-6);
  t.ok(Math.abs((results[0]?.reward as number) - d1) < 1e-9, "first step: dice - 0");
  t.ok(Math.abs((results[1]?.reward as number) - (1 - d1)) < 1e-6);
  t.ok(Math.abs((results[2]?.reward as number) - (d3 - 1)) < 1e-6, "negative when dice drops");
  const sum = results.reduce((a, r) => a + r.reward, 0);
  t.ok(Math.abs(sum - d3) < 1e-6, "gains sum to the final dice");
});

t.test("composeReward: weights, targeted modifiers, raw terms", async (t) => {
  const constant = (name: string, v: number): RewardComponent => ({ name, compute: () => v });
  const r = composeReward(
    [{ component: constant("a", 2), weight: 3 }, constant("b", 5), { component: constant("c", 1), weight: -1 }],
    { modifiers: [{ modifier: constant("half", 0.5), terms: ["a", "c"] }, { modifier: constant("tenth", 0.1) }] },
  );
  const res = r.compute(makeRewardContext({ gt: GT, clicks: [[0, 0, "+"]] }), s0);
  // a: 3*2*0.5*0.1 = 0.3; b: 5*0.1 = 0.5; c: -1*1*0.5*0.1 = -0.05
  t.ok(Math.abs(res.reward - 0.75) < 1e-12);
  t.same(res.terms, { a: 2, b: 5, c: 1, half: 0.5, tenth: 0.1 });
  t.same(r.termNames, ["a", "b", "c", "half", "tenth"]);
  t.throws(() => composeReward([constant("a", 1), constant("a", 2)]), /duplicate component name "a"/);
  t.throws(
    () => composeReward([constant("a", 1)], { modifiers: [{ modifier: constant("m", 1), terms: ["zzz"] }] }),
    /unknown term "zzz"/,
  );
  t.throws(() => composeReward([{ component: constant("a", 1), weight: NaN }]), InvalidArgumentError);
  const bad = composeReward([constant("nan", NaN)]);
  t.throws(() => bad.compute(makeRewardContext({ gt: GT, clicks: [[0, 0, "+"]] }), s0), /"nan" returned NaN/);
});

t.test("resolveReward: preset names, functions, components; bad specs are named", async (t) => {
  t.same(REWARD_PRESETS, ["alignsam", "alignsam-v0725", "alignsam-paper", "dice-gain"]);
  const ctx = makeRewardContext({ gt: GT, clicks: [[2, 1, "+"]] });
  const byName = resolveReward("alignsam");
  t.equal(byName.name, "alignsam");
  const myReward = (c: { step: number }): number => 10 * c.step;
  const fn = resolveReward(myReward);
  t.same(fn.compute(ctx, s0), { reward: 10, terms: { custom: 10 } });
  t.same(resolveReward(rewardFromFunction(myReward, "tenTimesStep")).termNames, ["tenTimesStep"]);
  const single = resolveReward(negativeRefinementBonus());
  t.same(single.termNames, ["negativeRefinementBonus"]);
  const composed = composeReward([clickCorrectness()], { modifiers: [{ modifier: repeatCoefficient() }] });
  t.equal(resolveReward(composed), composed, "a composed reward is used as is");
  t.throws(() => resolveReward("alignsam-v2" as "alignsam"), /unknown reward preset "alignsam-v2"/);
  t.throws(() => resolveReward(42 as unknown as "alignsam"), InvalidArgumentError);
  t.throws(() => resolveReward({ foo: 1 } as unknown as "alignsam"), /keys \["foo"\]/);
});
