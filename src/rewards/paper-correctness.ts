import type { RewardComponent } from "./reward-component";
import { clickOnForeground, newestClick } from "./reward-context";
import { InvalidArgumentError } from "../core/errors";

/** Options of {@link paperCorrectness}. */
export interface PaperCorrectnessOptions {
  /** Value of a click on foreground (1). */
  onForeground?: number;
  /** Value of a click on background (-1). */
  onBackground?: number;
}

/**
 * The AlignSAM paper's reward: +1 when the newest click lands on ground-truth foreground,
 * -1 otherwise, whatever its label.
 *
 * @example
 * ```ts
 * paperCorrectness().compute(ctx, state); // 1 or -1
 * ```
 */
export function paperCorrectness(opts: PaperCorrectnessOptions = {}): RewardComponent {
  const fgValue = opts.onForeground ?? 1;
  const bgValue = opts.onBackground ?? -1;
  if (!Number.isFinite(fgValue) || !Number.isFinite(bgValue)) {
    throw new InvalidArgumentError(`paperCorrectness: values must be finite, got ${fgValue} and ${bgValue}`);
  }
  return {
    name: "paperCorrectness",
    compute(ctx) {
      return clickOnForeground(ctx.gt, newestClick(ctx)) ? fgValue : bgValue;
    },
  };
}
