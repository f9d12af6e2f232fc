import { InvalidArgumentError } from "../core/errors";

/**
 * One rollout of `numSteps` vector steps over `numEnvs` envs, stored row-major: entry
 * `t * numEnvs + i` belongs to step t of env i. Produced under Gymnasium's NEXT_STEP autoreset,
 * where the step after an episode end is a *reset row* (its action was ignored, its reward is 0,
 * and its observation is the final observation of the episode that just ended).
 */
export interface GaeInput {
  numSteps: number;
  numEnvs: number;
  /** r_t: reward of step t. */
  rewards: ArrayLike<number>;
  /** V(o_t): value of the observation the action of step t was chosen from. */
  values: ArrayLike<number>;
  /** 1 where step t ended its episode by termination (no bootstrap). */
  terminated: ArrayLike<number>;
  /** 1 where step t ended its episode by truncation (bootstrap from V(final obs)). */
  truncated: ArrayLike<number>;
  /** 1 where row t is a NEXT_STEP reset row (excluded: advantage 0). */
  resetRows: ArrayLike<number>;
  /** `[numEnvs]`: V of the observations after the last step (V(final obs) if it ended an episode). */
  nextValues: ArrayLike<number>;
  /** Discount factor in [0, 1]. */
  gamma: number;
  /** GAE lambda in [0, 1]. */
  gaeLambda: number;
}

/** Advantages and returns (= advantages + values), both [numSteps * numEnvs]. */
export interface GaeOutput {
  advantages: Float32Array;
  returns: Float32Array;
}

/**
 * Generalised advantage estimation (Schulman et al. 2016) for NEXT_STEP-autoreset rollouts
 * (CleanRL ppo.py at vwxyzjn/cleanrl fe8d8a0, lines 217-231, with the truncation fix below).
 *
 * For a non-reset row t of env i, with v' the value of the next observation (row t+1's value,
 * or `nextValues[i]` for the last step):
 *   delta_t = r_t + gamma * v' * (1 - terminated_t) - V(o_t)
 *   A_t     = delta_t + gamma * lambda * (1 - terminated_t) * (1 - truncated_t) * A_{t+1}
 * Under NEXT_STEP the observation after a truncated step is the final observation (the reset
 * observation arrives one step later), so v' is V(final obs): truncation is bootstrapped, as
 * Stable-Baselines3 does, instead of being treated as termination (CleanRL). The recursion never
 * crosses an episode end. Reset rows get A = 0 and return = V; mask them out of the losses.
 *
 * Pure: writes into `out` when given (no allocation), else into new arrays.
 * @throws InvalidArgumentError when an array has the wrong length or gamma/lambda is out of [0, 1].
 */
export function computeGae(input: GaeInput, out?: GaeOutput): GaeOutput {
  const {
    numSteps: T,
    numEnvs: N,
    rewards,
    values,
    terminated,
    truncated,
    resetRows,
    nextValues,
    gamma,
    gaeLambda,
  } = input;
  const size = T * N;
  for (const [name, arr, len] of [
    ["rewards", rewards, size],
    ["values", values, size],
    ["terminated", terminated, size],
    ["truncated", truncated, size],
    ["resetRows", resetRows, size],
    ["nextValues", nextValues, N],
  ] as const) {
    if (arr.length !== len)
      throw new InvalidArgumentError(`computeGae: ${name} has length ${arr.length}, expected ${len}`);
  }
  if (!(gamma >= 0 && gamma <= 1)) throw new InvalidArgumentError(`computeGae: gamma must be in [0, 1], got ${gamma}`);
  if (!(gaeLambda >= 0 && gaeLambda <= 1))
    throw new InvalidArgumentError(`computeGae: gaeLambda must be in [0, 1], got ${gaeLambda}`);
  const result = out ?? { advantages: new Float32Array(size), returns: new Float32Array(size) };
  if (result.advantages.length !== size || result.returns.length !== size) {
    throw new InvalidArgumentError(`computeGae: output arrays must have length ${size}`);
  }
  const { advantages, returns } = result;
  for (let i = 0; i < N; i++) {
    let nextAdvantage = 0;
    for (let t = T - 1; t >= 0; t--) {
      const k = t * N + i;
      const v = values[k] as number;
      if (resetRows[k]) {
        advantages[k] = 0;
        returns[k] = v;
        nextAdvantage = 0;
        continue;
      }
      const nextValue = t === T - 1 ? (nextValues[i] as number) : (values[k + N] as number);
      const notTerminated = terminated[k] ? 0 : 1;
      const continues = terminated[k] || truncated[k] ? 0 : 1;
      const delta = (rewards[k] as number) + gamma * nextValue * notTerminated - v;
      const a = delta + gamma * gaeLambda * continues * nextAdvantage;
      advantages[k] = a;
      returns[k] = a + v;
      nextAdvantage = a;
    }
  }
  return result;
}
