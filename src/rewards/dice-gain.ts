import type { RewardComponent } from "./reward-component";
import { InvalidArgumentError } from "../core/errors";

/** Options of {@link diceGain}. */
export interface DiceGainOptions {
  /** Compare with the previous step's Dice ('previous', default) or the episode's best so far ('best'). */
  baseline?: "previous" | "best";
  /** Clamp negative gains to 0 (default false). */
  clampAtZero?: boolean;
}

/**
 * The change of soft Dice caused by this click: dice - previousDice (or - bestDice), a dense
 * segmentation-quality signal; the 'dice-gain' preset. Over an episode the 'previous' gains sum
 * to the final Dice.
 *
 * @example
 * ```ts
 * diceGain().compute(ctx, { bestDice: 0.5, previousDice: 0.4 }); // 0.3 if ctx.dice = 0.7
 * ```
 */
export function diceGain(opts: DiceGainOptions = {}): RewardComponent {
  const baseline = opts.baseline ?? "previous";
  if (baseline !== "previous" && baseline !== "best") {
    throw new InvalidArgumentError(`diceGain: baseline must be "previous" or "best", got ${JSON.stringify(baseline)}`);
  }
  const clamp = opts.clampAtZero ?? false;
  return {
    name: "diceGain",
    compute(ctx, state) {
      const gain = ctx.dice - (baseline === "previous" ? state.previousDice : state.bestDice);
      return clamp ? Math.max(0, gain) : gain;
    },
  };
}
