import type { Space } from "../../core/space";
import type { Infos, VectorMetadata, VectorResetOptions, VectorStepOptions, VectorStepResult } from "../types";
import { VectorEnv } from "../vector-env";

/**
 * Wraps a vector env to change its behaviour modularly (Gymnasium's `VectorWrapper`): every
 * call is forwarded to `env`; spaces and metadata are the inner env's unless a subclass replaces
 * them; renderMode and spec are copied from it at construction.
 *
 * @example
 * ```ts
 * class CountSteps<O, A> extends VectorWrapper<O, A> {
 *   steps = 0;
 *   override async step(actions: A) { this.steps++; return this.env.step(actions); }
 * }
 * ```
 */
export class VectorWrapper<Obs = unknown, Act = unknown> extends VectorEnv<Obs, Act> {
  /** The wrapped vector env. */
  readonly env: VectorEnv<Obs, Act>;

  constructor(env: VectorEnv<Obs, Act>) {
    super();
    this.env = env;
    this.renderMode = env.renderMode;
    this.spec = env.spec;
  }

  get numEnvs(): number {
    return this.env.numEnvs;
  }
  get singleObservationSpace(): Space<unknown> {
    return this.env.singleObservationSpace;
  }
  get singleActionSpace(): Space<unknown> {
    return this.env.singleActionSpace;
  }
  get observationSpace(): Space<Obs> {
    return this.env.observationSpace;
  }
  get actionSpace(): Space<Act> {
    return this.env.actionSpace;
  }
  get metadata(): VectorMetadata {
    return this.env.metadata;
  }
  reset(opts?: VectorResetOptions): Promise<[Obs, Infos]> {
    return this.env.reset(opts);
  }
  step(actions: Act, opts?: VectorStepOptions): Promise<VectorStepResult<Obs>> {
    return this.env.step(actions, opts);
  }
  close(): Promise<void> {
    return this.env.close();
  }
  call(name: string, ...args: unknown[]): Promise<unknown[]> {
    return this.env.call(name, ...args);
  }
  getAttr(name: string): Promise<unknown[]> {
    return this.env.getAttr(name);
  }
  setAttr(name: string, values: unknown): Promise<void> {
    return this.env.setAttr(name, values);
  }
  override get unwrapped(): VectorEnv<unknown, unknown> {
    return this.env.unwrapped;
  }
  override toString(): string {
    return `<${this.constructor.name}, ${this.env.toString()}>`;
  }
}
