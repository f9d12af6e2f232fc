import { InvalidArgumentError } from "../../core/errors";
import { RunningMeanStd } from "../../wrappers/running-mean-std";
import { AutoresetMode } from "../autoreset-mode";
import type { Infos, VectorResetOptions, VectorStepOptions, VectorStepResult } from "../types";
import type { VectorEnv } from "../vector-env";
import { VectorWrapper } from "./vector-wrapper";

/** Options of {@link VectorNormalizeReward}. */
export interface VectorNormalizeRewardOptions {
  /** Discount of the running return whose variance is tracked, in [0, 1] (default 0.99). */
  gamma?: number;
  /** Added to the variance before the square root, > 0 (default 1e-8). */
  epsilon?: number;
}

/**
 * Scales rewards so that their discounted running return has roughly unit variance
 * (Gymnasium's `wrappers.vector.NormalizeReward`): per env it keeps the return
 * G = G * gamma * (1 - terminated) + reward, feeds the active envs' returns into one running
 * variance, and divides rewards by sqrt(var + epsilon). Under NEXT_STEP (and DISABLED) the reset
 * step after an end is skipped; under SAME_STEP every step counts and G restarts after an end.
 * `updateRunningMean = false` freezes the statistics (for evaluation).
 *
 * @example
 * ```ts
 * const envs = new VectorNormalizeReward(makeVec("CartPole-v1", 4), { gamma: 0.99 });
 * ```
 */
export class VectorNormalizeReward<Obs = unknown, Act = unknown> extends VectorWrapper<Obs, Act> {
  /** Running statistics of the discounted returns. */
  readonly returnRms = new RunningMeanStd();
  /** Per-env discounted return. */
  readonly accumulatedReward: Float64Array;
  readonly gamma: number;
  readonly epsilon: number;
  /** Whether steps update `returnRms`. */
  updateRunningMean = true;

  private readonly mode: AutoresetMode;
  private readonly prevDones: boolean[];

  /** @throws InvalidArgumentError when gamma is outside [0, 1] or epsilon is not > 0. */
  constructor(env: VectorEnv<Obs, Act>, opts: VectorNormalizeRewardOptions = {}) {
    super(env);
    this.gamma = opts.gamma ?? 0.99;
    this.epsilon = opts.epsilon ?? 1e-8;
    if (!(this.gamma >= 0 && this.gamma <= 1))
      throw new InvalidArgumentError(`gamma must be in [0, 1], got ${String(opts.gamma)}`);
    if (!(this.epsilon > 0)) throw new InvalidArgumentError(`epsilon must be > 0, got ${String(opts.epsilon)}`);
    this.mode = env.metadata.autoresetMode ?? AutoresetMode.NEXT_STEP;
    this.accumulatedReward = new Float64Array(env.numEnvs);
    this.prevDones = new Array<boolean>(env.numEnvs).fill(false);
  }

  override async reset(opts?: VectorResetOptions): Promise<[Obs, Infos]> {
    const result = await this.env.reset(opts);
    this.accumulatedReward.fill(0);
    this.prevDones.fill(false);
    return result;
  }

  override async step(actions: Act, opts?: VectorStepOptions): Promise<VectorStepResult<Obs>> {
    const [obs, rewards, terminated, truncated, infos] = await this.env.step(actions, opts);
    const active: number[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.mode !== AutoresetMode.SAME_STEP && this.prevDones[i]) continue;
      const g = (this.accumulatedReward[i] as number) * this.gamma * (terminated[i] ? 0 : 1) + (rewards[i] as number);
      this.accumulatedReward[i] = g;
      active.push(g);
    }
    if (this.updateRunningMean && active.length > 0) {
      const mean = active.reduce((a, b) => a + b, 0) / active.length;
      const variance = active.reduce((a, b) => a + (b - mean) * (b - mean), 0) / active.length;
      this.returnRms.updateFromMoments(mean, variance, active.length);
    }
    for (let i = 0; i < this.numEnvs; i++) {
      this.prevDones[i] = (terminated[i] as boolean) || (truncated[i] as boolean);
      if (this.mode === AutoresetMode.SAME_STEP && this.prevDones[i]) this.accumulatedReward[i] = 0;
    }
    const scale = 1 / Math.sqrt(this.returnRms.var + this.epsilon);
    return [obs, rewards.map((r) => r * scale), terminated, truncated, infos];
  }
}
