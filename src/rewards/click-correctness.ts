import type { RewardComponent } from "./reward-component";
import { clickOnForeground, newestClick } from "./reward-context";
import { InvalidArgumentError } from "../core/errors";

/** Rewards of wrong clicks (the reference's penalize_for_wrong_input). */
export interface ClickPenalties {
  /** Value of a negative click on foreground (reference: -1). */
  negativeOnForeground: number;
  /** Value of a positive click on background (reference: -0.33). */
  positiveOnBackground: number;
}

/** The reference's penalties: -1 for a negative click on foreground, -0.33 for a positive click on background. */
export const REFERENCE_CLICK_PENALTIES: Readonly<ClickPenalties> = Object.freeze({
  negativeOnForeground: -1,
  positiveOnBackground: -0.33,
});

/** Options of {@link clickCorrectness}. */
export interface ClickCorrectnessOptions {
  /** Value of a positive click on foreground (default 1). */
  positiveOnForeground?: number;
  /**
   * Wrong-click values: false (default) = 0 for wrong clicks, true = {@link REFERENCE_CLICK_PENALTIES},
   * or explicit values.
   */
  penalties?: boolean | ClickPenalties;
}

/**
 * The reference's click-correctness term c, read on ground truth at the newest click
 * (trunc(y), trunc(x)): positive on foreground -> positiveOnForeground (1); negative on
 * background -> 0; the two wrong cases -> 0, or their penalty when penalties are on.
 * In the 'alignsam' preset it is scaled by {@link repeatCoefficient}.
 *
 * @example
 * ```ts
 * const c = clickCorrectness({ penalties: true });
 * c.compute(ctx, state); // -0.33 for a positive click on background
 * ```
 */
export function clickCorrectness(opts: ClickCorrectnessOptions = {}): RewardComponent {
  const hit = opts.positiveOnForeground ?? 1;
  const pen: ClickPenalties =
    opts.penalties === true
      ? REFERENCE_CLICK_PENALTIES
      : opts.penalties === false || opts.penalties === undefined
        ? { negativeOnForeground: 0, positiveOnBackground: 0 }
        : opts.penalties;
  for (const [k, v] of [
    ["positiveOnForeground", hit],
    ["penalties.negativeOnForeground", pen.negativeOnForeground],
    ["penalties.positiveOnBackground", pen.positiveOnBackground],
  ] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InvalidArgumentError(`clickCorrectness: ${k} must be a finite number, got ${String(v)}`);
    }
  }
  return {
    name: "clickCorrectness",
    compute(ctx) {
      const click = newestClick(ctx);
      const fg = clickOnForeground(ctx.gt, click);
      if (fg) return click.positive ? hit : pen.negativeOnForeground;
      return click.positive ? pen.positiveOnBackground : 0;
    },
  };
}
