import type { RewardComponent } from "./reward-component";
import { InvalidArgumentError } from "../core/errors";

/** Options of {@link diceThresholdBonus} (defaults = reference version 0725). */
export interface DiceThresholdBonusOptions {
  /** Bonus value (2). */
  bonus?: number;
  /** dice - bestDice must exceed this (0.05). */
  threshold?: number;
}

/**
 * The earlier reference's (2024-07-25) Dice bonus: `bonus` when dice - bestDice (the episode's
 * best before this step; the difference may be negative) exceeds `threshold`, else 0.
 *
 * @example
 * ```ts
 * diceThresholdBonus().compute(ctx, { bestDice: 0.3, previousDice: 0.3 }); // 2 if ctx.dice = 0.4
 * ```
 */
export function diceThresholdBonus(opts: DiceThresholdBonusOptions = {}): RewardComponent {
  const bonus = opts.bonus ?? 2;
  const threshold = opts.threshold ?? 0.05;
  if (!Number.isFinite(bonus) || !Number.isFinite(threshold)) {
    throw new InvalidArgumentError(
      `diceThresholdBonus: bonus and threshold must be finite, got ${bonus} and ${threshold}`,
    );
  }
  return {
    name: "diceThresholdBonus",
    compute(ctx, state) {
      return ctx.dice - state.bestDice > threshold ? bonus : 0;
    },
  };
}
