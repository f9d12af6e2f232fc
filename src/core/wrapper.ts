import { Env } from "./env";
import type { Space } from "./space";
import type { Rng } from "./rng";
import type { Info, RenderFrame, ResetOptions, StepResult } from "./types";

/**
 * Wraps an env to change its behaviour modularly (Gymnasium's `Wrapper`). By default every call
 * is forwarded to the inner env; spaces, metadata, renderMode and spec are copied from it at
 * construction and may be replaced by the wrapper. `rng` is the inner env's.
 *
 * @example
 * ```ts
 * class CountSteps<O, A> extends Wrapper<O, A> {
 *   steps = 0;
 *   override async step(a: A) { this.steps++; return this.env.step(a); }
 * }
 * const env = new CountSteps(new CartPoleEnv());
 * ```
 */
export class Wrapper<WObs = unknown, WAct = unknown, Obs = WObs, Act = WAct> extends Env<WObs, WAct> {
  /** The wrapped env. */
  readonly env: Env<Obs, Act>;
  observationSpace: Space<WObs>;
  actionSpace: Space<WAct>;

  constructor(env: Env<Obs, Act>) {
    super();
    this.env = env;
    this.observationSpace = env.observationSpace as unknown as Space<WObs>;
    this.actionSpace = env.actionSpace as unknown as Space<WAct>;
    this.metadata = env.metadata;
    this.renderMode = env.renderMode;
    this.spec = env.spec;
  }

  protected override get rejectsOverlappingCalls(): boolean {
    return false;
  }

  override get rng(): Rng {
    return this.env.rng;
  }

  override set rng(rng: Rng) {
    this.env.rng = rng;
  }

  override get rngSeed(): number | null {
    return this.env.rngSeed;
  }

  reset(opts?: ResetOptions): Promise<[WObs, Info]> {
    return this.env.reset(opts) as unknown as Promise<[WObs, Info]>;
  }

  step(action: WAct): Promise<StepResult<WObs>> {
    return this.env.step(action as unknown as Act) as unknown as Promise<StepResult<WObs>>;
  }

  override render(): Promise<RenderFrame | string | null> {
    return this.env.render();
  }

  override close(): Promise<void> {
    return this.env.close();
  }

  override get unwrapped(): Env<unknown, unknown> {
    return this.env.unwrapped;
  }

  override hasWrapperAttr(name: string): boolean {
    return name in this || this.env.hasWrapperAttr(name);
  }

  override getWrapperAttr(name: string): unknown {
    if (name in this) return (this as unknown as Record<string, unknown>)[name];
    return this.env.getWrapperAttr(name);
  }

  override toString(): string {
    return `<${this.constructor.name}${this.env.toString()}>`;
  }
}

/**
 * A wrapper that transforms observations with `observation(obs)` on reset and step.
 *
 * @example
 * ```ts
 * class Negate extends ObservationWrapper<number, number, number> {
 *   observation(o: number) { return -o; }
 * }
 * ```
 */
export abstract class ObservationWrapper<WObs, Obs, Act> extends Wrapper<WObs, Act, Obs, Act> {
  /** Map an inner observation to the wrapper's observation. */
  abstract observation(obs: Obs): WObs;

  override async reset(opts?: ResetOptions): Promise<[WObs, Info]> {
    const [obs, info] = await this.env.reset(opts);
    return [this.observation(obs), info];
  }

  override async step(action: Act): Promise<StepResult<WObs>> {
    const [obs, reward, terminated, truncated, info] = await this.env.step(action);
    return [this.observation(obs), reward, terminated, truncated, info];
  }
}

/**
 * A wrapper that transforms actions with `action(act)` before the inner env's step.
 *
 * @example
 * ```ts
 * class Flip extends ActionWrapper<number, number, number> { action(a: number) { return 1 - a; } }
 * ```
 */
export abstract class ActionWrapper<Obs, WAct, Act> extends Wrapper<Obs, WAct, Obs, Act> {
  /** Map the wrapper's action to an inner action. */
  abstract action(action: WAct): Act;

  override step(action: WAct): Promise<StepResult<Obs>> {
    return this.env.step(this.action(action));
  }
}

/**
 * A wrapper that transforms rewards with `reward(r)`.
 *
 * @example
 * ```ts
 * class Half<O, A> extends RewardWrapper<O, A> { reward(r: number) { return r / 2; } }
 * ```
 */
export abstract class RewardWrapper<Obs, Act> extends Wrapper<Obs, Act, Obs, Act> {
  /** Map an inner reward. */
  abstract reward(reward: number): number;

  override async step(action: Act): Promise<StepResult<Obs>> {
    const [obs, reward, terminated, truncated, info] = await this.env.step(action);
    return [obs, this.reward(reward), terminated, truncated, info];
  }
}
