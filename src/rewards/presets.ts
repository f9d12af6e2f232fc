import type { ComposedReward } from "./compose-reward";
import { formatValue } from "../core/format-value";
import { composeReward, rewardFromFunction } from "./compose-reward";
import type { RewardComponent, RewardFunction } from "./reward-component";
import { clickCorrectness } from "./click-correctness";
import { repeatCoefficient } from "./repeat-coefficient";
import { negativeRefinementBonus } from "./negative-refinement-bonus";
import { diceGain } from "./dice-gain";
import { diceThresholdBonus } from "./dice-threshold-bonus";
import { paperCorrectness } from "./paper-correctness";
import { InvalidArgumentError } from "../core/errors";

/** Names of the built-in rewards. */
export type RewardPresetName = "alignsam" | "alignsam-v0725" | "alignsam-paper" | "dice-gain";

/** Every preset name, the default first. */
export const REWARD_PRESETS: readonly RewardPresetName[] = Object.freeze([
  "alignsam",
  "alignsam-v0725",
  "alignsam-paper",
  "dice-gain",
]);

/** What SamSegEnv's `reward` option accepts: a preset name, a user function, a component or a composed reward. */
export type RewardSpec = RewardPresetName | RewardFunction | RewardComponent | ComposedReward;

/** Options of {@link rewardPreset}. */
export interface RewardPresetOptions {
  /** 'alignsam' only: the reference's penalize_for_wrong_input (default false, the reference config). */
  penalizeForWrongInput?: boolean;
}

/**
 * A built-in reward by name.
 * - 'alignsam' (reference HEAD, the default): clickCorrectness * repeatCoefficient + negativeRefinementBonus.
 * - 'alignsam-v0725' (earlier reference): clickCorrectness (-1 for a positive click on background)
 *   + diceThresholdBonus (2 when dice - best > 0.05).
 * - 'alignsam-paper': paperCorrectness (+1 on foreground, -1 elsewhere).
 * - 'dice-gain': diceGain (dice - previous dice).
 *
 * @throws InvalidArgumentError on an unknown name.
 * @example
 * ```ts
 * const r = rewardPreset("alignsam", { penalizeForWrongInput: true });
 * ```
 */
export function rewardPreset(name: RewardPresetName, opts: RewardPresetOptions = {}): ComposedReward {
  switch (name) {
    case "alignsam":
      return composeReward(
        [
          { component: clickCorrectness({ penalties: opts.penalizeForWrongInput ?? false }) },
          { component: negativeRefinementBonus() },
        ],
        { modifiers: [{ modifier: repeatCoefficient(), terms: ["clickCorrectness"] }], name },
      );
    case "alignsam-v0725":
      return composeReward(
        [
          { component: clickCorrectness({ penalties: { negativeOnForeground: 0, positiveOnBackground: -1 } }) },
          { component: diceThresholdBonus() },
        ],
        { name },
      );
    case "alignsam-paper":
      return composeReward([{ component: paperCorrectness() }], { name });
    case "dice-gain":
      return composeReward([{ component: diceGain() }], { name });
    default:
      throw new InvalidArgumentError(
        `unknown reward preset ${JSON.stringify(name)}; expected one of ${REWARD_PRESETS.map((p) => JSON.stringify(p)).join(", ")}`,
      );
  }
}

/**
 * Turn any {@link RewardSpec} into a composed reward: preset names via {@link rewardPreset},
 * functions via rewardFromFunction (term "custom"; name it with `rewardFromFunction(fn, name)`),
 * a single component as a one-term reward.
 * @throws InvalidArgumentError on anything else.
 */
export function resolveReward(spec: RewardSpec, opts: RewardPresetOptions = {}): ComposedReward {
  if (typeof spec === "string") return rewardPreset(spec, opts);
  if (typeof spec === "function") return rewardFromFunction(spec);
  if (spec !== null && typeof spec === "object" && typeof spec.compute === "function") {
    if ("termNames" in spec && Array.isArray(spec.termNames)) return spec as ComposedReward;
    return composeReward([spec as RewardComponent], { name: spec.name });
  }
  // An object that is no RewardComponent: its keys say what is missing (no compute()).
  const keys =
    spec !== null && typeof spec === "object" ? ` (an object with keys ${JSON.stringify(Object.keys(spec))})` : "";
  throw new InvalidArgumentError(
    `reward must be a preset name (${REWARD_PRESETS.join(", ")}), a function (ctx, state) => number, a RewardComponent or a composed reward; got ${formatValue(spec)}${keys}`,
  );
}
