import type { Env } from "../core/env";
import { Wrapper } from "../core/wrapper";
import type { Info } from "../core/types";
import { AutoresetMode } from "./autoreset-mode";
import { cloneValue } from "./clone-value";

/** What one sub-env did during one vector step. */
export interface SubEnvStep {
  obs: unknown;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
  /** SAME_STEP only, when the episode ended: the ending observation (a copy) and info. */
  final?: { obs: unknown; info: Info };
}

/**
 * Drives one sub-env of a vector env with the autoreset rule of `mode` (Gymnasium 1.x): the
 * one place that rule lives, used in-process by SyncVectorEnv and inside each worker of
 * AsyncVectorEnv, so both behave identically. It does not batch anything.
 *
 * @example
 * ```ts
 * const runner = new SubEnvRunner(new CartPoleEnv(), AutoresetMode.NEXT_STEP);
 * await runner.reset(0, undefined);
 * const { obs, reward, terminated } = await runner.step(1);
 * ```
 */
export class SubEnvRunner {
  /** The driven env. */
  readonly env: Env<unknown, unknown>;
  /** The autoreset rule. */
  readonly mode: AutoresetMode;
  /** Whether the last step ended the episode (and no reset happened since). */
  ended = false;

  constructor(env: Env<unknown, unknown>, mode: AutoresetMode) {
    this.env = env;
    this.mode = mode;
  }

  /** Reset the env (seed undefined: continue its stream) and clear the ended flag. */
  async reset(seed: number | undefined, options: Record<string, unknown> | undefined): Promise<[unknown, Info]> {
    const result = await this.env.reset({ seed, options });
    this.ended = false;
    return result;
  }

  /**
   * One step under the autoreset rule. NEXT_STEP after an end: reset instead (action ignored),
   * reward 0, flags false. SAME_STEP: an ending step resets at once and reports the ending
   * observation and info in `final`. DISABLED: a plain step (callers refuse ended envs first).
   */
  async step(action: unknown): Promise<SubEnvStep> {
    if (this.mode === AutoresetMode.NEXT_STEP && this.ended) {
      const [obs, info] = await this.env.reset();
      this.ended = false;
      return { obs, reward: 0, terminated: false, truncated: false, info };
    }
    const [obs, reward, terminated, truncated, info] = await this.env.step(action);
    this.ended = terminated || truncated;
    if (this.mode === AutoresetMode.SAME_STEP && this.ended) {
      const final = { obs: cloneValue(obs), info };
      const [resetObs, resetInfo] = await this.env.reset();
      this.ended = false;
      return { obs: resetObs, reward, terminated, truncated, info: resetInfo, final };
    }
    return { obs, reward, terminated, truncated, info };
  }

  /** The value of attribute `name` on the outermost layer that has it. */
  getAttr(name: string): unknown {
    return this.env.getWrapperAttr(name);
  }

  /** Call method `name` (awaiting a promise result) or, for a non-function attribute, return it. */
  async call(name: string, args: readonly unknown[]): Promise<unknown> {
    const owner = findLayer(this.env, name) ?? this.env;
    const attr = (owner as unknown as Record<string, unknown>)[name];
    if (typeof attr === "function") return await (attr as (...a: unknown[]) => unknown).apply(owner, [...args]);
    return this.env.getWrapperAttr(name);
  }

  /**
   * Set attribute `name` on the outermost layer that has it, or on the outermost layer when
   * none has it (Gymnasium's `set_wrapper_attr`).
   */
  setAttr(name: string, value: unknown): void {
    const owner = findLayer(this.env, name) ?? this.env;
    (owner as unknown as Record<string, unknown>)[name] = value;
  }
}

/** The outermost layer of a wrapper stack that has attribute `name`, or null. */
function findLayer(env: Env<unknown, unknown>, name: string): Env<unknown, unknown> | null {
  for (let layer: Env<unknown, unknown> = env; ; layer = (layer as Wrapper).env) {
    if (name in layer) return layer;
    if (!(layer instanceof Wrapper)) return null;
  }
}
