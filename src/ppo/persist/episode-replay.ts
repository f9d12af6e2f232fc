import { Wrapper } from "../../core/wrapper";
import type { Env } from "../../core/env";
import type { RngState } from "../../core/rng";
import type { Info, ResetOptions, StepResult } from "../../core/types";

/**
 * What is needed to rebuild an env's current state: how its current episode began (the env
 * RNG state just before the reset, or the reset seed) and the actions taken since.
 */
export interface EpisodeLog {
  /** The env RNG state just before the reset (null when the reset was seeded). */
  rngState: RngState | null;
  /** The reset seed, when one was given. */
  seed: number | null;
  /** The reset's `options`, if any (JSON-serialisable). */
  options: Record<string, unknown> | null;
  /** Actions taken since the reset. */
  actions: number[];
  /** Whether the last action ended the episode (a NEXT_STEP autoreset is pending). */
  ended: boolean;
}

/**
 * A wrapper that records the current episode of a Discrete-action env (its starting RNG state
 * and actions) and can rebuild that exact state in a fresh env by replaying it. PPO checkpoints
 * store these logs so that `--resume` continues every env exactly where it was (mid-episode),
 * with no env-specific state code: any env whose randomness all comes from `env.rng` replays
 * exactly.
 *
 * When the restored episode had ended, the next `step()` emulates the NEXT_STEP autoreset the
 * vector env would have done: it ignores the action, resets (unseeded) and returns
 * [resetObs, 0, false, false, resetInfo].
 *
 * @example
 * ```ts
 * const a = new EpisodeRecorder(make("CartPole-v1"));
 * await a.reset({ seed: 1 }); await a.step(0); await a.step(1);
 * const b = new EpisodeRecorder(make("CartPole-v1"));
 * const [obs] = await b.restore(a.episodeLog()); // same state as a
 * ```
 */
export class EpisodeRecorder<Obs = unknown> extends Wrapper<Obs, number> {
  private log: EpisodeLog = { rngState: null, seed: null, options: null, actions: [], ended: false };
  private pendingReset = false;

  constructor(env: Env<Obs, number>) {
    super(env);
  }

  override async reset(opts?: ResetOptions): Promise<[Obs, Info]> {
    const seed = opts?.seed ?? null;
    const rngState = seed === null ? this.env.rng.getState() : null;
    const result = await this.env.reset(opts);
    this.log = {
      rngState,
      seed,
      options: opts?.options ? structuredClone(opts.options) : null,
      actions: [],
      ended: false,
    };
    this.pendingReset = false;
    return result;
  }

  override async step(action: number): Promise<StepResult<Obs>> {
    if (this.pendingReset) {
      const [obs, info] = await this.reset();
      return [obs, 0, false, false, info];
    }
    const result = await this.env.step(action);
    this.log.actions.push(Number(action));
    if (result[2] || result[3]) this.log.ended = true;
    return result;
  }

  /** A copy of the current episode's log. */
  episodeLog(): EpisodeLog {
    return {
      ...this.log,
      rngState: this.log.rngState ? structuredClone(this.log.rngState) : null,
      actions: [...this.log.actions],
    };
  }

  /**
   * Rebuild the state recorded in `log`: restore the RNG, reset, replay the actions. Returns the
   * observation and info of the last replayed call (what the env last returned).
   */
  async restore(log: EpisodeLog): Promise<[Obs, Info]> {
    if (log.rngState !== null) this.env.rng.setState(log.rngState);
    const resetOpts: ResetOptions = {};
    if (log.seed !== null) resetOpts.seed = log.seed;
    if (log.options !== null) resetOpts.options = structuredClone(log.options);
    let [obs, info] = await this.env.reset(resetOpts);
    for (const a of log.actions) [obs, , , , info] = await this.env.step(a);
    this.log = { ...log, actions: [...log.actions] };
    this.pendingReset = log.ended;
    return [obs, info];
  }
}
