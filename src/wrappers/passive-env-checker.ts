import { Wrapper, warn as defaultWarn } from "../core";
import type { Env, Info, RenderFrame, ResetOptions, StepResult, WarningHandler } from "../core";
import {
  checkRenderMetadata,
  checkRenderResult,
  checkResetResult,
  checkSpace,
  checkStepResult,
} from "./passive-checks";

/** Options of {@link PassiveEnvChecker}. */
export interface PassiveEnvCheckerOptions {
  /** Where warnings go (default: the library's warning handler, see `setWarningHandler`). */
  warn?: WarningHandler;
}

/**
 * Checks that an env follows the API without changing anything it returns (Gymnasium's
 * `PassiveEnvChecker`, added by `make` unless `disableEnvChecker`): the spaces at construction,
 * and only the FIRST reset(), step() and render() results. Broken contracts throw
 * `EnvCheckError`; doubtful values warn. Sets `spec.disableEnvChecker = false`.
 *
 * @example
 * ```ts
 * const env = new PassiveEnvChecker(new CartPoleEnv(), { warn: (m) => console.warn(m) });
 * await env.reset({ seed: 0 }); // checked
 * await env.reset();            // not checked again
 * ```
 */
export class PassiveEnvChecker<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act> {
  private checkedReset = false;
  private checkedStep = false;
  private checkedRender = false;
  private closeCalled = false;
  private readonly warn: WarningHandler;

  /** @throws EnvCheckError when the observation or action space is malformed. */
  constructor(env: Env<Obs, Act>, opts: PassiveEnvCheckerOptions = {}) {
    super(env);
    this.warn = opts.warn ?? defaultWarn;
    checkSpace(env.actionSpace, "action", this.warn);
    checkSpace(env.observationSpace, "observation", this.warn);
    this.spec = env.spec === null ? null : { ...env.spec, disableEnvChecker: false };
  }

  override reset(opts?: ResetOptions): Promise<[Obs, Info]> {
    if (this.checkedReset) return this.env.reset(opts);
    this.checkedReset = true;
    return this.env.reset(opts).then((result) => {
      checkResetResult(result, this.env.observationSpace, this.warn);
      return result;
    });
  }

  override step(action: Act): Promise<StepResult<Obs>> {
    if (this.checkedStep) return this.env.step(action);
    this.checkedStep = true;
    return this.env.step(action).then((result) => {
      checkStepResult(result, this.env.observationSpace, this.warn);
      return result;
    });
  }

  override render(): Promise<RenderFrame | string | null> {
    if (this.checkedRender) return this.env.render();
    this.checkedRender = true;
    checkRenderMetadata(this.env, this.warn);
    return this.env.render().then((frame) => {
      if (this.env.renderMode !== null) checkRenderResult(this.env.renderMode, frame, this.warn);
      return frame;
    });
  }

  /** Closes the env; a second close that throws warns before rethrowing. */
  override async close(): Promise<void> {
    if (!this.closeCalled) {
      this.closeCalled = true;
      return this.env.close();
    }
    try {
      await this.env.close();
    } catch (e) {
      this.warn("Calling close() on a closed environment should be allowed, but it threw an error");
      throw e;
    }
  }
}
