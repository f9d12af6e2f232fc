import { Wrapper, InvalidArgumentError, ResetNeededError } from "../core";
import type { Env, Info, ResetOptions, StepResult } from "../core";

/**
 * Truncates episodes after `maxEpisodeSteps` steps (Gymnasium's `TimeLimit`): the step on which
 * the number of steps since the last reset reaches the limit returns `truncated = true`.
 * `terminated` is passed through unchanged (a time limit is not part of the MDP). The wrapper's
 * `spec.maxEpisodeSteps` is set to the limit.
 *
 * @example
 * ```ts
 * const env = new TimeLimit(new CartPoleEnv(), 3);
 * await env.reset({ seed: 0 });
 * await env.step(0); await env.step(0);
 * const [, , , truncated] = await env.step(0); // true (unless the pole fell first)
 * ```
 */
export class TimeLimit<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act> {
  /** The step count at which episodes are truncated (a positive integer). */
  readonly maxEpisodeSteps: number;
  private elapsed: number | null = null;

  /**
   * @param maxEpisodeSteps positive integer: the truncation step (`elapsedSteps >= maxEpisodeSteps`).
   * @throws InvalidArgumentError when `maxEpisodeSteps` is not a positive integer.
   */
  constructor(env: Env<Obs, Act>, maxEpisodeSteps: number) {
    if (!Number.isSafeInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new InvalidArgumentError(
        `TimeLimit: maxEpisodeSteps must be a positive integer, got ${String(maxEpisodeSteps)}`,
      );
    }
    super(env);
    this.maxEpisodeSteps = maxEpisodeSteps;
    this.spec = env.spec === null ? null : { ...env.spec, maxEpisodeSteps };
  }

  /** Steps taken since the last reset, or null before the first reset. */
  get elapsedSteps(): number | null {
    return this.elapsed;
  }

  override reset(opts?: ResetOptions): Promise<[Obs, Info]> {
    this.elapsed = 0;
    return this.env.reset(opts);
  }

  /** @throws ResetNeededError before the first reset. */
  override async step(action: Act): Promise<StepResult<Obs>> {
    if (this.elapsed === null)
      throw new ResetNeededError("TimeLimit: cannot call env.step() before calling env.reset()");
    const result = await this.env.step(action);
    this.elapsed += 1;
    if (this.elapsed >= this.maxEpisodeSteps) result[3] = true;
    return result;
  }
}
