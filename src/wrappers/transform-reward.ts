import { RewardWrapper, InvalidArgumentError } from "../core";
import type { Env } from "../core";

/**
 * Applies `func` to every reward returned by `step()` (Gymnasium's `TransformReward`).
 *
 * @example
 * ```ts
 * const env = new TransformReward(new CartPoleEnv(), (r) => 2 * r);
 * ```
 */
export class TransformReward<Obs = unknown, Act = unknown> extends RewardWrapper<Obs, Act> {
  /** The reward map. */
  readonly func: (reward: number) => number;

  constructor(env: Env<Obs, Act>, func: (reward: number) => number) {
    super(env);
    if (typeof func !== "function")
      throw new InvalidArgumentError(`TransformReward: func must be a function, got ${typeof func}`);
    this.func = func;
  }

  reward(reward: number): number {
    return this.func(reward);
  }
}

/** Options of {@link ClipReward}; at least one bound is required. */
export interface ClipRewardOptions {
  /** Lower bound (inclusive); omitted -> no lower bound. */
  minReward?: number;
  /** Upper bound (inclusive); omitted -> no upper bound. */
  maxReward?: number;
}

/**
 * Clips rewards to `[minReward, maxReward]` (Gymnasium's `ClipReward`).
 *
 * @example
 * ```ts
 * const env = new ClipReward(new CartPoleEnv(), { minReward: 0, maxReward: 0.5 }); // rewards 1 -> 0.5
 * ```
 */
export class ClipReward<Obs = unknown, Act = unknown> extends TransformReward<Obs, Act> {
  /** The lower bound (-Infinity when none). */
  readonly minReward: number;
  /** The upper bound (+Infinity when none). */
  readonly maxReward: number;

  /** @throws InvalidArgumentError when both bounds are missing, either is NaN, or min > max. */
  constructor(env: Env<Obs, Act>, opts: ClipRewardOptions) {
    const min = opts?.minReward ?? -Infinity;
    const max = opts?.maxReward ?? Infinity;
    if (opts?.minReward === undefined && opts?.maxReward === undefined) {
      throw new InvalidArgumentError("ClipReward: minReward and maxReward cannot both be missing");
    }
    if (Number.isNaN(min) || Number.isNaN(max) || max < min) {
      throw new InvalidArgumentError(`ClipReward: minReward (${min}) must be <= maxReward (${max})`);
    }
    super(env, (r) => (r < min ? min : r > max ? max : r));
    this.minReward = min;
    this.maxReward = max;
  }
}
