import type { RewardComponent, RewardFunction } from "./reward-component";
import type { RewardContext, RewardEpisodeState } from "./reward-context";
import { InvalidArgumentError } from "../core/errors";

/** A term of a composed reward: a component and its weight (default 1). */
export interface WeightedTerm {
  component: RewardComponent;
  weight?: number;
}

/** A multiplicative modifier: its value multiplies the listed terms (default: every term). */
export interface ModifierSpec {
  modifier: RewardComponent;
  /** Names of the terms it scales; omitted = all terms. */
  terms?: readonly string[];
}

/** The reward of one step and the raw value of every term and modifier, by name. */
export interface RewardResult {
  reward: number;
  /** Raw (unweighted, unmodified) term values and modifier factors, keyed by component name. */
  terms: Record<string, number>;
}

/** A reward built from components; what SamSegEnv calls on every step. */
export interface ComposedReward {
  /** A label for logs ('alignsam', 'custom', ...). */
  readonly name: string;
  /** Names of the terms and modifiers, in the order they appear in `RewardResult.terms`. */
  readonly termNames: readonly string[];
  /** reward = sum_i weight_i * term_i * (product of the modifiers that scale term i). */
  compute(ctx: RewardContext, state: RewardEpisodeState): RewardResult;
}

/** Options of {@link composeReward}. */
export interface ComposeOptions {
  /** Multiplicative modifiers (e.g. the repeat coefficient on click correctness). */
  modifiers?: readonly ModifierSpec[];
  /** A label for logs (default "composed"). */
  name?: string;
}

/**
 * Combine reward components into one reward: reward = sum_i w_i * t_i * prod_{m scales i} m.
 * Every term's and modifier's raw value is reported in `terms` (SamSegEnv puts it in
 * info.rewardTerms).
 *
 * @throws InvalidArgumentError on duplicate names, a non-finite weight, or a modifier naming an
 *   unknown term; at compute time, when a component returns a non-finite value.
 * @example
 * ```ts
 * const reward = composeReward(
 *   [{ component: clickCorrectness() }, { component: diceGain(), weight: 2 }],
 *   { modifiers: [{ modifier: repeatCoefficient(), terms: ["clickCorrectness"] }] },
 * );
 * const { reward: r, terms } = reward.compute(ctx, state);
 * ```
 */
export function composeReward(
  terms: readonly (WeightedTerm | RewardComponent)[],
  opts: ComposeOptions = {},
): ComposedReward {
  const list = terms.map((t) =>
    "component" in t ? { component: t.component, weight: t.weight ?? 1 } : { component: t, weight: 1 },
  );
  const modifiers = opts.modifiers ?? [];
  const names = [...list.map((t) => t.component.name), ...modifiers.map((m) => m.modifier.name)];
  const seen = new Set<string>();
  for (const n of names) {
    if (typeof n !== "string" || n === "")
      throw new InvalidArgumentError(`composeReward: every component needs a non-empty name, got ${JSON.stringify(n)}`);
    if (seen.has(n)) throw new InvalidArgumentError(`composeReward: duplicate component name ${JSON.stringify(n)}`);
    seen.add(n);
  }
  for (const t of list) {
    if (typeof t.weight !== "number" || !Number.isFinite(t.weight)) {
      throw new InvalidArgumentError(
        `composeReward: weight of ${JSON.stringify(t.component.name)} must be finite, got ${String(t.weight)}`,
      );
    }
  }
  const termNames = list.map((t) => t.component.name);
  // scaledBy[i] = indices of the modifiers that scale term i.
  const scaledBy: number[][] = list.map(() => []);
  modifiers.forEach((m, mi) => {
    const targets = m.terms ?? termNames;
    for (const target of targets) {
      const i = termNames.indexOf(target);
      if (i < 0) {
        throw new InvalidArgumentError(
          `composeReward: modifier ${JSON.stringify(m.modifier.name)} scales unknown term ${JSON.stringify(target)}; terms are ${JSON.stringify(termNames)}`,
        );
      }
      (scaledBy[i] as number[]).push(mi);
    }
  });
  return {
    name: opts.name ?? "composed",
    termNames: names,
    compute(ctx, state) {
      const out: Record<string, number> = {};
      const factors = modifiers.map((m) => checked(m.modifier, ctx, state));
      let reward = 0;
      list.forEach((t, i) => {
        const v = checked(t.component, ctx, state);
        out[t.component.name] = v;
        let contribution = t.weight * v;
        for (const mi of scaledBy[i] as number[]) contribution *= factors[mi] as number;
        reward += contribution;
      });
      modifiers.forEach((m, mi) => (out[m.modifier.name] = factors[mi] as number));
      return { reward, terms: out };
    },
  };
}

/**
 * Wrap a user function `(ctx, state) => number` as a one-term reward; its value is reported
 * as `terms[name]` (default "custom").
 */
export function rewardFromFunction(fn: RewardFunction, name = "custom"): ComposedReward {
  return composeReward([{ name, compute: fn }], { name });
}

function checked(c: RewardComponent, ctx: RewardContext, state: RewardEpisodeState): number {
  const v = c.compute(ctx, state);
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new InvalidArgumentError(
      `reward component ${JSON.stringify(c.name)} returned ${String(v)}; rewards must be finite numbers`,
    );
  }
  return v;
}
