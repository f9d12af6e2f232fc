import type { RewardComponent } from "./reward-component";
import { newestClick } from "./reward-context";
import { InvalidArgumentError } from "../core/errors";

/** Options of {@link negativeRefinementBonus} (defaults = reference). */
export interface NegativeRefinementBonusOptions {
  /** Bonus value (0.5). */
  bonus?: number;
  /** The Dice gain max(0, dice - bestDice) must exceed this (0.01). */
  minGain?: number;
  /** The Dice after the click must exceed this (0.5). */
  minDice?: number;
}

/**
 * The reference's bonus for a useful negative click: `bonus` when the newest click is negative,
 * the Dice gain over the episode's best Dice so far exceeds `minGain`, and the Dice exceeds
 * `minDice`; else 0. Not scaled by the repeat coefficient in the reference.
 *
 * @example
 * ```ts
 * negativeRefinementBonus().compute(ctx, { bestDice: 0.6, previousDice: 0.6 }); // 0.5 if ctx.dice = 0.7 after a negative click
 * ```
 */
export function negativeRefinementBonus(opts: NegativeRefinementBonusOptions = {}): RewardComponent {
  const bonus = finite(opts.bonus ?? 0.5, "bonus");
  const minGain = finite(opts.minGain ?? 0.01, "minGain");
  const minDice = finite(opts.minDice ?? 0.5, "minDice");
  return {
    name: "negativeRefinementBonus",
    compute(ctx, state) {
      const click = newestClick(ctx);
      const gain = Math.max(0, ctx.dice - state.bestDice);
      return !click.positive && gain > minGain && ctx.dice > minDice ? bonus : 0;
    },
  };
}

function finite(v: number, name: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new InvalidArgumentError(`negativeRefinementBonus: ${name} must be a finite number, got ${String(v)}`);
  }
  return v;
}
