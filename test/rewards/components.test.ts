import t from "tap";
import {
  clickCorrectness,
  repeatCoefficient,
  repeatCoefficientOf,
  negativeRefinementBonus,
  diceGain,
  diceThresholdBonus,
  paperCorrectness,
  REFERENCE_CLICK_PENALTIES,
  advanceRewardState,
  initialRewardState,
  newestClick,
} from "../../src/rewards";
import { InvalidArgumentError } from "../../src/core";
import { makeRewardContext, makeRewardState } from "../../src/testing";

const GT = ["......", "..##..", "..##..", "......"];
const state0 = makeRewardState();

t.test("repeat coefficient: the spec's test vectors (patch 15.625)", async (t) => {
  const ps = 15.625;
  t.equal(repeatCoefficientOf([{ x: 10, y: 10, positive: true }], ps), 1, "no earlier click -> 1");
  t.equal(
    Number(
      repeatCoefficientOf(
        [
          { x: 10, y: 10, positive: true },
          { x: 26, y: 10, positive: true },
        ],
        ps,
      ).toFixed(5),
    ),
    0.4007,
    "same label 16 px away",
  );
  t.equal(
    repeatCoefficientOf(
      [
        { x: 10, y: 10, positive: true },
        { x: 10, y: 10, positive: true },
      ],
      ps,
    ),
    0,
    "same place, same label",
  );
  t.equal(
    repeatCoefficientOf(
      [
        { x: 10, y: 10, positive: false },
        { x: 10, y: 10, positive: true },
      ],
      ps,
    ),
    1,
    "other label -> 1",
  );
  const c = repeatCoefficientOf(
    [
      { x: 148, y: 99, positive: true },
      { x: 101, y: 52, positive: true },
    ],
    ps,
  );
  t.equal(Number(c.toFixed(5)), 0.8808, "(101,52) after (148,99)");
  // The minimum over earlier clicks counts, not the latest one.
  const m = repeatCoefficientOf(
    [
      { x: 0, y: 0, positive: true },
      { x: 400, y: 300, positive: true },
      { x: 16, y: 0, positive: true },
    ],
    ps,
  );
  t.equal(Number(m.toFixed(5)), 0.4007);
  const ctx = makeRewardContext({
    gt: GT,
    clicks: [
      [2, 1, "+"],
      [2, 1, "+"],
    ],
  });
  t.equal(repeatCoefficient().compute(ctx, state0), 0);
  t.equal(repeatCoefficient().name, "repeatCoefficient");
});

t.test("click correctness: the reward table without and with penalties", async (t) => {
  const cases: Array<[[number, number, "+" | "-"], number, number]> = [
    // click, without penalties, with reference penalties
    [[2, 1, "+"], 1, 1], // positive on foreground
    [[0, 0, "+"], 0, -0.33], // positive on background
    [[3, 2, "-"], 0, -1], // negative on foreground
    [[5, 3, "-"], 0, 0], // negative on background
  ];
  for (const [click, plain, penalized] of cases) {
    const ctx = makeRewardContext({ gt: GT, clicks: [click] });
    t.equal(clickCorrectness().compute(ctx, state0), plain, `${click} plain`);
    t.equal(clickCorrectness({ penalties: true }).compute(ctx, state0), penalized, `${click} penalized`);
  }
  t.same(REFERENCE_CLICK_PENALTIES, { negativeOnForeground: -1, positiveOnBackground: -0.33 });
  const custom = clickCorrectness({
    positiveOnForeground: 2,
    penalties: { negativeOnForeground: -3, positiveOnBackground: -4 },
  });
  t.equal(custom.compute(makeRewardContext({ gt: GT, clicks: [[2, 2, "+"]] }), state0), 2);
  t.equal(custom.compute(makeRewardContext({ gt: GT, clicks: [[2, 2, "-"]] }), state0), -3);
  t.equal(custom.compute(makeRewardContext({ gt: GT, clicks: [[0, 3, "+"]] }), state0), -4);
  t.throws(() => clickCorrectness({ positiveOnForeground: NaN }), InvalidArgumentError);
});

t.test("ground truth is read at (trunc(y), trunc(x)); outside the mask is background", async (t) => {
  const c = clickCorrectness();
  t.equal(c.compute(makeRewardContext({ gt: GT, clicks: [{ x: 3.9, y: 2.9, positive: true }] }), state0), 1);
  t.equal(c.compute(makeRewardContext({ gt: GT, clicks: [{ x: 4.1, y: 2, positive: true }] }), state0), 0);
  t.equal(c.compute(makeRewardContext({ gt: GT, clicks: [{ x: 60, y: 2, positive: true }] }), state0), 0);
  t.throws(() => newestClick(makeRewardContext({ gt: GT, clicks: [] })), RangeError);
});

t.test("negative-click bonus: all three conditions, strict thresholds", async (t) => {
  const b = negativeRefinementBonus();
  const ctx = (sign: "+" | "-", dice: number) => makeRewardContext({ gt: GT, clicks: [[0, 0, sign]], dice });
  t.equal(b.compute(ctx("-", 0.7), makeRewardState({ bestDice: 0.6 })), 0.5, "negative, gain 0.1, dice 0.7");
  t.equal(b.compute(ctx("+", 0.7), makeRewardState({ bestDice: 0.6 })), 0, "positive click: no bonus");
  t.equal(b.compute(ctx("-", 0.7), makeRewardState({ bestDice: 0.695 })), 0, "gain 0.005 <= 0.01");
  t.equal(b.compute(ctx("-", 0.7), makeRewardState({ bestDice: 0.75 })), 0, "dice below best: gain clamps to 0");
  t.equal(b.compute(ctx("-", 0.5), makeRewardState({ bestDice: 0.3 })), 0, "dice 0.5 is not > 0.5");
  t.equal(b.compute(ctx("-", 0.45), makeRewardState({ bestDice: 0 })), 0, "dice 0.45 <= 0.5");
  t.equal(b.compute(ctx("-", 0.51), makeRewardState({ bestDice: 0 })), 0.5, "first step: best is 0");
  t.equal(
    b.compute(ctx("-", 0.7), makeRewardState({ bestDice: 0.6, previousDice: 0.69 })),
    0.5,
    "uses the best, not the previous Dice",
  );
  t.equal(
    negativeRefinementBonus({ bonus: 2, minGain: 0.2, minDice: 0.1 }).compute(
      ctx("-", 0.7),
      makeRewardState({ bestDice: 0.6 }),
    ),
    0,
  );
  t.throws(() => negativeRefinementBonus({ bonus: Infinity }), InvalidArgumentError);
});

t.test("dice gain and dice threshold bonus", async (t) => {
  const ctx = makeRewardContext({ gt: GT, clicks: [[2, 1, "+"]], dice: 0.7 });
  t.equal(
    Number(
      diceGain()
        .compute(ctx, makeRewardState({ previousDice: 0.4, bestDice: 0.5 }))
        .toFixed(12),
    ),
    0.3,
  );
  t.equal(
    Number(
      diceGain({ baseline: "best" })
        .compute(ctx, makeRewardState({ previousDice: 0.4, bestDice: 0.5 }))
        .toFixed(12),
    ),
    0.2,
  );
  t.equal(
    Number(
      diceGain()
        .compute(ctx, makeRewardState({ previousDice: 0.9 }))
        .toFixed(12),
    ),
    -0.2,
    "may be negative",
  );
  t.equal(diceGain({ clampAtZero: true }).compute(ctx, makeRewardState({ previousDice: 0.9 })), 0);
  t.throws(() => diceGain({ baseline: "max" as "best" }), InvalidArgumentError);
  const v = diceThresholdBonus();
  t.equal(v.compute(ctx, makeRewardState({ bestDice: 0.6 })), 2, "0.1 > 0.05");
  t.equal(v.compute(ctx, makeRewardState({ bestDice: 0.66 })), 0, "0.04 <= 0.05");
  t.equal(v.compute(ctx, makeRewardState({ bestDice: 0.9 })), 0, "negative difference");
  t.equal(diceThresholdBonus({ bonus: 1, threshold: 0 }).compute(ctx, makeRewardState({ bestDice: 0.69 })), 1);
});

t.test("paper correctness: +1 on foreground, -1 elsewhere, whatever the label", async (t) => {
  const p = paperCorrectness();
  t.equal(p.compute(makeRewardContext({ gt: GT, clicks: [[2, 1, "+"]] }), state0), 1);
  t.equal(p.compute(makeRewardContext({ gt: GT, clicks: [[2, 1, "-"]] }), state0), 1);
  t.equal(p.compute(makeRewardContext({ gt: GT, clicks: [[0, 0, "+"]] }), state0), -1);
  t.equal(p.compute(makeRewardContext({ gt: GT, clicks: [[0, 0, "-"]] }), state0), -1);
});

t.test("reward state: best is a running max, previous follows; reset state is zero", async (t) => {
  let s = initialRewardState();
  t.same(s, { bestDice: 0, previousDice: 0 });
  for (const d of [0.3, 0.6, 0.4])
    s = advanceRewardState(s, makeRewardContext({ gt: GT, clicks: [[0, 0, "+"]], dice: d }));
  t.same(s, { bestDice: 0.6, previousDice: 0.4 });
});
