import { Env } from "../core/env";
import { ClosedEnvError, InvalidArgumentError, ResetNeededError } from "../core/errors";
import type { Space } from "../core/space";
import { batchSpace, concatenate, createEmptyArray } from "../spaces/batch";
import { AutoresetMode, parseAutoresetMode } from "./autoreset-mode";
import { addInfo } from "./batch-infos";
import { cloneValue } from "./clone-value";
import { SubEnvRunner } from "./sub-env-runner";
import type { Infos, VectorMetadata, VectorResetOptions, VectorStepResult } from "./types";
import {
  assertNoneEnded,
  envSeeds,
  perEnvValues,
  splitActions,
  splitResetOptions,
  validateActions,
} from "./vector-args";
import { VectorEnv } from "./vector-env";

/** Options of {@link SyncVectorEnv}. */
export interface SyncVectorEnvOptions {
  /** When sub-envs whose episode ended are reset (default NEXT_STEP). */
  autoresetMode?: AutoresetMode | `${AutoresetMode}`;
  /**
   * true (default): reset/step return a fresh copy of the batched observation; false: they
   * return the vector env's own buffer, overwritten by the next reset/step.
   */
  copy?: boolean;
}

/**
 * A vector env that steps its sub-envs one after the other in this thread (Gymnasium's
 * `SyncVectorEnv`). Sub-envs are built by calling each of `envFns` once; all must have equal
 * observation and action spaces. The whole batch of actions is checked before any sub-env steps
 * (InvalidActionError naming the env; nothing stepped, the vector env stays usable); a sub-env
 * that throws for another reason mid-step leaves the batch partly stepped: reset before continuing.
 *
 * @example
 * ```ts
 * const envs = new SyncVectorEnv(Array.from({ length: 4 }, () => () => make("CartPole-v1")));
 * const [obs, infos] = await envs.reset({ seed: 0 });        // obs: NdArray [4, 4] float32
 * const [next, rewards, terminated, truncated] = await envs.step(Int32Array.of(0, 1, 1, 0));
 * await envs.close();
 * ```
 */
export class SyncVectorEnv<Obs = unknown, Act = unknown> extends VectorEnv<Obs, Act> {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<unknown>;
  readonly singleActionSpace: Space<unknown>;
  readonly observationSpace: Space<Obs>;
  readonly actionSpace: Space<Act>;
  readonly metadata: VectorMetadata;
  /** The sub-envs, in order. */
  readonly envs: readonly Env<unknown, unknown>[];
  /** Whether reset/step return copies of the batched observation. */
  readonly copy: boolean;
  /** The autoreset rule (also in metadata.autoresetMode). */
  readonly autoresetMode: AutoresetMode;

  private readonly runners: SubEnvRunner[];
  private readonly envObs: unknown[];
  private readonly batch: Obs;
  private readonly terminated: boolean[];
  private readonly truncated: boolean[];
  private readonly rewards: Float64Array;
  private needsReset = true;
  private closed = false;

  /**
   * @param envFns one function per sub-env, each returning a new Env.
   * @throws InvalidArgumentError when envFns is empty, a function does not return an Env, or the
   *   sub-envs' spaces differ (naming the env index); InvalidArgumentError for a bad autoresetMode.
   */
  constructor(envFns: readonly (() => Env<unknown, unknown>)[], opts: SyncVectorEnvOptions = {}) {
    super();
    if (!Array.isArray(envFns) || envFns.length === 0)
      throw new InvalidArgumentError(`SyncVectorEnv needs a non-empty array of env functions, got ${String(envFns)}`);
    this.autoresetMode = parseAutoresetMode(opts.autoresetMode ?? AutoresetMode.NEXT_STEP);
    this.copy = opts.copy ?? true;
    this.envs = envFns.map((fn, i) => {
      if (typeof fn !== "function") throw new InvalidArgumentError(`SyncVectorEnv: envFns[${i}] is not a function`);
      const env = fn();
      if (!(env instanceof Env))
        throw new InvalidArgumentError(`SyncVectorEnv: envFns[${i}]() returned ${String(env)}, not an Env`);
      return env;
    });
    const first = this.envs[0] as Env<unknown, unknown>;
    this.numEnvs = this.envs.length;
    this.singleObservationSpace = first.observationSpace;
    this.singleActionSpace = first.actionSpace;
    this.envs.forEach((env, i) => {
      if (!env.observationSpace.equals(this.singleObservationSpace)) {
        throw new InvalidArgumentError(
          `SyncVectorEnv: env ${i} has observation space ${env.observationSpace}, env 0 has ${this.singleObservationSpace}`,
        );
      }
      if (!env.actionSpace.equals(this.singleActionSpace)) {
        throw new InvalidArgumentError(
          `SyncVectorEnv: env ${i} has action space ${env.actionSpace}, env 0 has ${this.singleActionSpace}`,
        );
      }
    });
    this.observationSpace = batchSpace(this.singleObservationSpace, this.numEnvs) as Space<Obs>;
    this.actionSpace = batchSpace(this.singleActionSpace, this.numEnvs) as Space<Act>;
    this.metadata = { ...first.metadata, autoresetMode: this.autoresetMode };
    this.renderMode = first.renderMode;
    this.runners = this.envs.map((env) => new SubEnvRunner(env, this.autoresetMode));
    this.envObs = new Array<unknown>(this.numEnvs).fill(undefined);
    this.batch = createEmptyArray(this.singleObservationSpace, this.numEnvs) as Obs;
    this.terminated = new Array<boolean>(this.numEnvs).fill(false);
    this.truncated = new Array<boolean>(this.numEnvs).fill(false);
    this.rewards = new Float64Array(this.numEnvs);
  }

  async reset(opts: VectorResetOptions = {}): Promise<[Obs, Infos]> {
    this.assertOpen();
    const seeds = envSeeds(opts.seed, this.numEnvs);
    const { envOptions, resetMask } = splitResetOptions(opts.options, this.numEnvs);
    if (resetMask !== null) {
      const never = this.envObs.findIndex((o, i) => o === undefined && !resetMask[i]);
      if (never >= 0)
        throw new ResetNeededError(
          `reset: env ${never} was never reset; reset all envs before a partial reset with options.resetMask`,
        );
    }
    const infos: Infos = {};
    for (let i = 0; i < this.numEnvs; i++) {
      if (resetMask !== null && !resetMask[i]) continue;
      const [obs, info] = await (this.runners[i] as SubEnvRunner).reset(seeds[i], envOptions);
      this.envObs[i] = obs;
      this.terminated[i] = false;
      this.truncated[i] = false;
      addInfo(infos, info, i, this.numEnvs);
    }
    concatenate(this.singleObservationSpace, this.envObs, this.batch);
    this.needsReset = false;
    return [this.copy ? cloneValue(this.batch) : this.batch, infos];
  }

  async step(actions: Act): Promise<VectorStepResult<Obs>> {
    this.assertOpen();
    if (this.needsReset) throw new ResetNeededError("Cannot call step() on a vector env before calling reset()");
    const list = splitActions(this.singleActionSpace, this.actionSpace, actions, this.numEnvs);
    validateActions(this.singleActionSpace, list);
    if (this.autoresetMode === AutoresetMode.DISABLED) assertNoneEnded(this.runners.map((r) => r.ended));
    const infos: Infos = {};
    for (let i = 0; i < this.numEnvs; i++) {
      const r = await (this.runners[i] as SubEnvRunner).step(list[i]);
      this.envObs[i] = r.obs;
      this.rewards[i] = r.reward;
      this.terminated[i] = r.terminated;
      this.truncated[i] = r.truncated;
      if (r.final !== undefined) addInfo(infos, { finalObs: r.final.obs, finalInfo: r.final.info }, i, this.numEnvs);
      addInfo(infos, r.info, i, this.numEnvs);
    }
    concatenate(this.singleObservationSpace, this.envObs, this.batch);
    return [
      this.copy ? cloneValue(this.batch) : this.batch,
      this.rewards.slice(),
      this.terminated.slice(),
      this.truncated.slice(),
      infos,
    ];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const env of this.envs) await env.close();
  }

  async call(name: string, ...args: unknown[]): Promise<unknown[]> {
    this.assertOpen();
    const out: unknown[] = [];
    for (const r of this.runners) out.push(await r.call(name, args));
    return out;
  }

  async getAttr(name: string): Promise<unknown[]> {
    this.assertOpen();
    return this.runners.map((r) => r.getAttr(name));
  }

  async setAttr(name: string, values: unknown): Promise<void> {
    this.assertOpen();
    const list = perEnvValues(values, this.numEnvs);
    this.runners.forEach((r, i) => r.setAttr(name, list[i]));
  }

  private assertOpen(): void {
    if (this.closed) throw new ClosedEnvError(`${this.toString()} has been closed`);
  }
}
