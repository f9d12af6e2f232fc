import { Wrapper, ResetNeededError } from "../core";
import type { Env, Info, RenderFrame, ResetOptions, StepResult } from "../core";

/** Options of {@link OrderEnforcing}. */
export interface OrderEnforcingOptions {
  /** Allow render() before the first reset() (default false). */
  disableRenderOrderEnforcing?: boolean;
}

/**
 * Throws {@link ResetNeededError} when `step()` (or `render()`, unless disabled) is called before
 * the first `reset()` (Gymnasium's `OrderEnforcing`). Sets `spec.orderEnforce = true`.
 *
 * @example
 * ```ts
 * const env = new OrderEnforcing(new CartPoleEnv());
 * await env.step(0);            // rejects with ResetNeededError
 * await env.reset(); await env.step(0); // fine
 * ```
 */
export class OrderEnforcing<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act> {
  private _hasReset = false;
  private readonly disableRenderOrderEnforcing: boolean;

  constructor(env: Env<Obs, Act>, opts: OrderEnforcingOptions = {}) {
    super(env);
    this.disableRenderOrderEnforcing = opts.disableRenderOrderEnforcing ?? false;
    this.spec = env.spec === null ? null : { ...env.spec, orderEnforce: true };
  }

  /** Whether reset() has been called at least once. */
  get hasReset(): boolean {
    return this._hasReset;
  }

  override reset(opts?: ResetOptions): Promise<[Obs, Info]> {
    this._hasReset = true;
    return this.env.reset(opts);
  }

  /** @throws ResetNeededError before the first reset. */
  override step(action: Act): Promise<StepResult<Obs>> {
    if (!this._hasReset)
      return Promise.reject(new ResetNeededError("Cannot call env.step() before calling env.reset()"));
    return this.env.step(action);
  }

  /** @throws ResetNeededError before the first reset, unless `disableRenderOrderEnforcing`. */
  override render(): Promise<RenderFrame | string | null> {
    if (!this.disableRenderOrderEnforcing && !this._hasReset) {
      return Promise.reject(
        new ResetNeededError(
          "Cannot call env.render() before calling env.reset(); to allow it, pass {disableRenderOrderEnforcing: true} to OrderEnforcing",
        ),
      );
    }
    return this.env.render();
  }
}
