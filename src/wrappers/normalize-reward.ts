import { Wrapper, InvalidArgumentError } from "../core";
import type { Env, StepResult } from "../core";
import { RunningMeanStd } from "./running-mean-std";

/** Options of {@link NormalizeReward}. */
export interface NormalizeRewardOptions {
  /** Discount of the running return estimate, in [0, 1] (default 0.99). */
  gamma?: number;
  /** Added to the variance before the square root, > 0 (default 1e-8). */
  epsilon?: number;
}

/**
 * Scales rewards so that the discounted return has roughly unit variance (Gymnasium's
 * `NormalizeReward`): keeps `G <- G * gamma * (1 - terminated) + r`, feeds `G` to a
 * {@link RunningMeanStd}, and returns `r / sqrt(var + epsilon)` (the mean is not subtracted).
 * As in Gymnasium, `G` restarts only on termination (not on truncation or reset). Set
 * `updateRunningMean = false` to freeze the statistics (e.g. for evaluation).
 *
 * @example
 * ```ts
 * const env = new NormalizeReward(make("CartPole-v1"), { gamma: 0.99 });
 * ```
 */
export class NormalizeReward<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act> {
  /** Statistics of the discounted return. */
  readonly returnRms = new RunningMeanStd();
  /** The running discounted return `G`. */
  discountedReward = 0;
  /** Whether step() updates `returnRms` (default true). */
  updateRunningMean = true;
  readonly gamma: number;
  readonly epsilon: number;

  /** @throws InvalidArgumentError when gamma is outside [0, 1] or epsilon is not > 0. */
  constructor(env: Env<Obs, Act>, opts: NormalizeRewardOptions = {}) {
    super(env);
    const gamma = opts.gamma ?? 0.99;
    const epsilon = opts.epsilon ?? 1e-8;
    if (!(gamma >= 0 && gamma <= 1))
      throw new InvalidArgumentError(`NormalizeReward: gamma must be in [0, 1], got ${gamma}`);
    if (!(epsilon > 0)) throw new InvalidArgumentError(`NormalizeReward: epsilon must be > 0, got ${epsilon}`);
    this.gamma = gamma;
    this.epsilon = epsilon;
  }

  override async step(action: Act): Promise<StepResult<Obs>> {
    const result = await this.env.step(action);
    const reward = result[1];
    this.discountedReward = this.discountedReward * this.gamma * (result[2] ? 0 : 1) + reward;
    if (this.updateRunningMean) this.returnRms.update(this.discountedReward);
    result[1] = reward / Math.sqrt(this.returnRms.var + this.epsilon);
    return result;
  }
}
