import type { Space } from "../core/space";
import type { EnvSpec, RenderFrame } from "../core/types";
import type { Infos, VectorMetadata, VectorResetOptions, VectorStepOptions, VectorStepResult } from "./types";

/**
 * The interface of a batch of `numEnvs` copies of one env stepped together (Gymnasium 1.x
 * `VectorEnv`): `reset` and `step` take and return batched values of `observationSpace` /
 * `actionSpace` (the single spaces batched by `batchSpace`: a Box [4] becomes a Box [numEnvs, 4],
 * a Discrete(2) a MultiDiscrete whose values are int32 NdArrays [numEnvs]); rewards are a
 * Float64Array [numEnvs], the flags boolean[numEnvs], and infos a dict of arrays with `_key`
 * masks. Sub-envs whose episode ended are reset by the rule of `metadata.autoresetMode`.
 *
 * @example
 * ```ts
 * const envs: VectorEnv = new SyncVectorEnv([() => new CartPoleEnv(), () => new CartPoleEnv()]);
 * let [obs] = await envs.reset({ seed: 42 });           // obs: NdArray [2, 4] float32
 * const [next, rewards, terminated, truncated, infos] = await envs.step(Int32Array.of(0, 1));
 * await envs.close();
 * ```
 */
export abstract class VectorEnv<Obs = unknown, Act = unknown> {
  /** Number of sub-envs. */
  abstract readonly numEnvs: number;
  /** The observation space of one sub-env. */
  abstract readonly singleObservationSpace: Space<unknown>;
  /** The action space of one sub-env. */
  abstract readonly singleActionSpace: Space<unknown>;
  /** The batched observation space (`batchSpace(singleObservationSpace, numEnvs)`). */
  abstract readonly observationSpace: Space<Obs>;
  /** The batched action space (`batchSpace(singleActionSpace, numEnvs)`). */
  abstract readonly actionSpace: Space<Act>;
  /** The first sub-env's metadata plus `autoresetMode`. */
  abstract readonly metadata: VectorMetadata;
  /** The sub-envs' render mode, or null. */
  renderMode: string | null = null;
  /** The registry spec of the sub-envs when made by `makeVec`, else null. */
  spec: EnvSpec | null = null;

  /**
   * Reset all sub-envs (or those of `options.resetMask`); returns the batched observation and
   * batched reset infos (only the reset envs contribute).
   */
  abstract reset(opts?: VectorResetOptions): Promise<[Obs, Infos]>;

  /** Step every sub-env with its action (autoresetting ended envs by `metadata.autoresetMode`). */
  abstract step(actions: Act, opts?: VectorStepOptions): Promise<VectorStepResult<Obs>>;

  /** Close every sub-env (terminating workers). Safe to call more than once. */
  abstract close(): Promise<void>;

  /**
   * Call method `name` with `args` on every sub-env (the outermost wrapper that has it) and
   * return the results in env order; a non-function attribute is returned as is.
   */
  abstract call(name: string, ...args: unknown[]): Promise<unknown[]>;

  /** The value of attribute `name` of every sub-env, in env order. */
  abstract getAttr(name: string): Promise<unknown[]>;

  /**
   * Set attribute `name` of every sub-env: `values` is an array with one value per env, any
   * other value is given to every env.
   */
  abstract setAttr(name: string, values: unknown): Promise<void>;

  /** Every sub-env's `render()` result, in env order. */
  async render(): Promise<(RenderFrame | string | null)[]> {
    return (await this.call("render")) as (RenderFrame | string | null)[];
  }

  /** The vector env below all vector wrappers. */
  get unwrapped(): VectorEnv<unknown, unknown> {
    return this as VectorEnv<unknown, unknown>;
  }

  toString(): string {
    return this.spec === null
      ? `${this.constructor.name}(numEnvs=${this.numEnvs})`
      : `${this.constructor.name}(${this.spec.id}, numEnvs=${this.numEnvs})`;
  }
}
