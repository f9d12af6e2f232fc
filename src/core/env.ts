import type { Space } from "./space";
import type { EnvMetadata, EnvSpec, Info, RenderFrame, ResetOptions, StepResult } from "./types";
import { Rng, entropySeed, validateSeed } from "./rng";
import { InvalidArgumentError } from "./errors";
import { installCallGuard } from "./call-guard";

/**
 * The environment interface of Gymnasium 1.x, asynchronous: `reset` and `step` return promises
 * (segmenters run ONNX sessions, which are async).
 *
 * Subclasses set `observationSpace`, `actionSpace` (and `metadata`, `renderMode`) in their
 * constructor, implement `reset` and `step`, and call `this.seedRng(opts?.seed)` first thing in
 * `reset`, as Gymnasium envs call `super().reset(seed=seed)`. All randomness of the env must come
 * from `this.rng` so that `reset({seed})` is reproducible.
 *
 * @example
 * ```ts
 * class Coin extends Env<number, number> {
 *   observationSpace = new Discrete(2);
 *   actionSpace = new Discrete(2);
 *   async reset(opts?: ResetOptions): Promise<[number, Info]> {
 *     this.seedRng(opts?.seed);
 *     return [this.rng.integers(2), {}];
 *   }
 *   async step(a: number): Promise<StepResult<number>> {
 *     const flip = this.rng.integers(2);
 *     return [flip, a === flip ? 1 : 0, true, false, {}];
 *   }
 * }
 * ```
 *
 * Every env (and wrapper) refuses use after `close()` with ClosedEnvError, and a base env refuses
 * a `reset()`/`step()` while another one is pending with ConcurrentCallError (see
 * {@link installCallGuard}); subclasses need not check either.
 */
export abstract class Env<Obs = unknown, Act = unknown> {
  /** Render modes and fps. */
  metadata: EnvMetadata = { renderModes: [] };
  /** The render mode chosen at construction (one of metadata.renderModes), or null. */
  renderMode: string | null = null;
  /** The registry spec this env was made from (set by `make`), or null. */
  spec: EnvSpec | null = null;
  /** The space of observations. */
  abstract observationSpace: Space<Obs>;
  /** The space of actions. */
  abstract actionSpace: Space<Act>;

  private _rng: Rng | null = null;
  private _rngSeed: number | null = null;

  constructor() {
    installCallGuard(this, () => this.toString(), { rejectOverlap: this.rejectsOverlappingCalls });
  }

  /**
   * Whether overlapping reset()/step() calls on this object are refused (true for envs; false
   * for wrappers, whose calls reach the env below). Read once, at construction.
   */
  protected get rejectsOverlappingCalls(): boolean {
    return true;
  }

  /** The env's random generator (Gymnasium's `np_random`), created lazily when first used. */
  get rng(): Rng {
    if (this._rng === null) {
      const seed = entropySeed();
      this._rng = new Rng(seed);
      this._rngSeed = seed;
    }
    return this._rng;
  }

  set rng(rng: Rng) {
    this._rng = rng;
    this._rngSeed = null;
  }

  /** The seed of `rng`, or null when it was set from outside or not created yet. */
  get rngSeed(): number | null {
    return this._rngSeed;
  }

  /**
   * Reseed `rng` when `seed` is given (Gymnasium's `super().reset(seed=seed)`); otherwise keep the
   * current stream. @throws SeedError on a negative or non-integer seed.
   */
  protected seedRng(seed: number | undefined | null): void {
    if (seed === undefined || seed === null) return;
    this._rng = new Rng(validateSeed(seed));
    this._rngSeed = seed;
  }

  /** Start a new episode; returns the first observation and an info dict. */
  abstract reset(opts?: ResetOptions): Promise<[Obs, Info]>;

  /** Advance one step; returns [obs, reward, terminated, truncated, info]. */
  abstract step(action: Act): Promise<StepResult<Obs>>;

  /** Render according to `renderMode`: a frame for "rgb_array", null for "human" or no mode. */
  async render(): Promise<RenderFrame | string | null> {
    return null;
  }

  /** Release resources. Safe to call more than once. */
  async close(): Promise<void> {}

  /** The innermost env, below all wrappers. */
  get unwrapped(): Env<unknown, unknown> {
    return this as Env<unknown, unknown>;
  }

  /** Whether this env or a wrapper below it has attribute `name`. */
  hasWrapperAttr(name: string): boolean {
    return name in this;
  }

  /**
   * The value of attribute `name` on the outermost wrapper that has it (Gymnasium's
   * `get_wrapper_attr`). @throws InvalidArgumentError when no layer has it.
   */
  getWrapperAttr(name: string): unknown {
    if (name in this) return (this as unknown as Record<string, unknown>)[name];
    throw new InvalidArgumentError(`${this.toString()} has no attribute ${JSON.stringify(name)}`);
  }

  toString(): string {
    return this.spec ? `<${this.constructor.name}<${this.spec.id}>>` : `<${this.constructor.name} instance>`;
  }
}
