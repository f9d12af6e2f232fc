import { Wrapper } from "../core";
import type { Env, Info, ResetOptions, StepResult } from "../core";

/**
 * Resets the env automatically on the step AFTER an episode ends (Gymnasium 1.x `Autoreset`,
 * the NEXT_STEP order of vector envs): that step ignores its action, calls the inner `reset()`
 * (without a seed, so the rng stream continues) and returns `[resetObs, 0, false, false, resetInfo]`.
 *
 * @example
 * ```ts
 * const env = new Autoreset(new TimeLimit(new CartPoleEnv(), 2));
 * await env.reset({ seed: 1 });
 * await env.step(0);
 * const [, , , truncated] = await env.step(0); // true: the episode ended
 * const [obs, reward] = await env.step(0);      // a fresh episode: reset obs, reward 0
 * ```
 */
export class Autoreset<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act> {
  /** Whether the next step() resets instead of stepping. */
  autoreset = false;

  constructor(env: Env<Obs, Act>) {
    super(env);
  }

  override reset(opts?: ResetOptions): Promise<[Obs, Info]> {
    this.autoreset = false;
    return this.env.reset(opts);
  }

  override async step(action: Act): Promise<StepResult<Obs>> {
    let result: StepResult<Obs>;
    if (this.autoreset) {
      const [obs, info] = await this.env.reset();
      result = [obs, 0, false, false, info];
    } else {
      result = await this.env.step(action);
    }
    this.autoreset = result[2] || result[3];
    return result;
  }
}
