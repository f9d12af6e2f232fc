// A custom reward for SamSegEnv, built from small pure components.
//
// Idea: a good click fixes an error of the prediction the agent saw before clicking. A positive
// click should land on a missed object pixel (false negative), a negative click on a pixel
// wrongly predicted as object (false positive). On top of that, reward the gain in Dice so the
// agent cares about the mask, and scale the click term down for repeated clicks with the
// reference's repeat coefficient.
//
//   reward = repeatCoefficient * errorFixing + 2 * diceGain
//
// Use it: new SamSegEnv({ reward: errorFixingReward() }) or make("SamSegEnv-v0", { reward: errorFixingReward() }).
// Test it without any segmenter: see error-fixing-reward.test.ts.
import { composeReward, diceGain, repeatCoefficient, newestClick, clickOnForeground } from "alignsam-gym";
import type { ComposedReward, RewardComponent, RewardContext } from "alignsam-gym";

/** Options of {@link errorFixing}. */
export interface ErrorFixingOptions {
  /** Value of a click that fixes an error (default 1). */
  fix?: number;
  /** Value of any other click (default -0.5). */
  miss?: number;
  /** Probability above which the previous prediction counts as "object" (default 0.5). */
  threshold?: number;
}

/**
 * +fix when the newest click lands on an error of the prediction before the click (positive on
 * a false negative, negative on a false positive), else miss. Read at (trunc(y), trunc(x)).
 */
export function errorFixing(opts: ErrorFixingOptions = {}): RewardComponent {
  const fix = opts.fix ?? 1;
  const miss = opts.miss ?? -0.5;
  const threshold = opts.threshold ?? 0.5;
  return {
    name: "errorFixing",
    compute(ctx: RewardContext): number {
      const click = newestClick(ctx);
      const onObject = clickOnForeground(ctx.gt, click);
      const predictedObject = ctx.prevPred.get(Math.trunc(click.y), Math.trunc(click.x)) > threshold;
      const fixesError = click.positive ? onObject && !predictedObject : !onObject && predictedObject;
      return fixesError ? fix : miss;
    },
  };
}

/** The full reward: repeatCoefficient * errorFixing + 2 * diceGain. */
export function errorFixingReward(opts: ErrorFixingOptions = {}): ComposedReward {
  return composeReward([{ component: errorFixing(opts) }, { component: diceGain(), weight: 2 }], {
    modifiers: [{ modifier: repeatCoefficient(), terms: ["errorFixing"] }],
    name: "error-fixing",
  });
}
