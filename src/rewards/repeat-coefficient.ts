import type { RewardComponent } from "./reward-component";
import type { Click } from "./reward-context";
import { newestClick } from "./reward-context";

/** Distance added between clicks of different labels, so they never count as repeats. */
const OTHER_LABEL_DISTANCE = 1e6;

/**
 * The reference's repeat coefficient of a click against the earlier clicks:
 * 1 - exp(-min_i d_i / (2 * patchSize)), d_i = Euclidean distance (pixels) to earlier click i,
 * plus 1e6 when the labels differ; 1 when there is no earlier click. Near 0 for a repeated click,
 * near 1 for a click far from every earlier click of the same label.
 *
 * @param clicks all clicks, the newest last.
 * @param patchSize the action grid's effective patch size, pixels.
 */
export function repeatCoefficientOf(clicks: readonly Click[], patchSize: number): number {
  const n = clicks.length;
  if (n < 2) return 1;
  const p = clicks[n - 1] as Click;
  let best = Infinity;
  for (let i = 0; i < n - 1; i++) {
    const q = clicks[i] as Click;
    const d = Math.hypot(p.x - q.x, p.y - q.y) + (q.positive !== p.positive ? OTHER_LABEL_DISTANCE : 0);
    if (d < best) best = d;
  }
  return 1 - Math.exp(-best / (2 * patchSize));
}

/**
 * The repeat coefficient as a component (see {@link repeatCoefficientOf}), meant as a modifier:
 * `composeReward([...], { modifiers: [{ modifier: repeatCoefficient(), terms: ["clickCorrectness"] }] })`
 * multiplies the click-correctness term by it, as the reference does.
 *
 * @example
 * ```ts
 * repeatCoefficient().compute(ctx, state); // 0.4007 for a same-label click 16 px from an earlier one
 * ```
 */
export function repeatCoefficient(): RewardComponent {
  return {
    name: "repeatCoefficient",
    compute(ctx) {
      newestClick(ctx);
      return repeatCoefficientOf(ctx.clicks, ctx.patchSize);
    },
  };
}
