import { ClosedEnvError, ConcurrentCallError } from "./errors";

/** The methods of an env the guard wraps. */
type GuardedMethod = "reset" | "step" | "render" | "close";

/** What {@link installCallGuard} checks on a layer. */
export interface CallGuardOptions {
  /**
   * Also refuse a reset()/step() while another reset()/step() of the same object is pending
   * (default true). Wrappers pass false: their calls reach the guarded env below them, and a
   * wrapper may legitimately call its own reset() from inside its step().
   */
  rejectOverlap?: boolean;
}

/**
 * Guard an env object's public calls, once, at construction (the Env constructor does this for
 * every env and wrapper, so the rule holds whether the env was built by `make` or by `new`):
 *
 * - after `close()`, `reset()`, `step()` and `render()` reject with {@link ClosedEnvError}
 *   (`close()` itself is always forwarded: each env keeps its own "safe to call twice" duty,
 *   which checkEnv verifies);
 * - with `rejectOverlap`, a `reset()` or `step()` called while another one is still pending
 *   rejects with {@link ConcurrentCallError} and leaves the episode untouched (an env's state
 *   is a single episode; two interleaved steps would corrupt it). `render()` is not an episode
 *   change and is allowed during a step (SamSegEnv renders from inside its step).
 *
 * The guard reads the methods from the object's prototype chain when it is installed and
 * defines own, writable properties of the same names, so subclasses override methods as usual.
 */
export function installCallGuard(target: object, describe: () => string, options: CallGuardOptions = {}): void {
  const rejectOverlap = options.rejectOverlap ?? true;
  const self = target as Record<GuardedMethod, (...args: unknown[]) => Promise<unknown>>;
  const original = {
    reset: self.reset,
    step: self.step,
    render: self.render,
    close: self.close,
  };
  let closed = false;
  let pending: "reset" | "step" | null = null;

  const closedError = (method: string): ClosedEnvError =>
    new ClosedEnvError(`Cannot call ${method}() on ${describe()}: the environment has been closed`);

  const episodeCall = (method: "reset" | "step") =>
    function (this: unknown, ...args: unknown[]): Promise<unknown> {
      if (closed) return Promise.reject(closedError(method));
      if (!rejectOverlap) return original[method].apply(this, args);
      if (pending !== null) {
        return Promise.reject(
          new ConcurrentCallError(
            `Cannot call ${method}() on ${describe()} while ${pending}() is still pending; await it first`,
          ),
        );
      }
      pending = method;
      let result: Promise<unknown>;
      try {
        result = Promise.resolve(original[method].apply(this, args));
      } catch (e) {
        pending = null;
        return Promise.reject(e);
      }
      return result.finally(() => {
        pending = null;
      });
    };

  const define = (name: GuardedMethod, fn: (...args: unknown[]) => Promise<unknown>): void => {
    Object.defineProperty(target, name, { value: fn, writable: true, configurable: true, enumerable: false });
  };
  if (typeof original.reset === "function") define("reset", episodeCall("reset"));
  if (typeof original.step === "function") define("step", episodeCall("step"));
  if (typeof original.render === "function") {
    define("render", function (this: unknown, ...args: unknown[]): Promise<unknown> {
      if (closed) return Promise.reject(closedError("render"));
      return original.render.apply(this, args);
    });
  }
  if (typeof original.close === "function") {
    define("close", function (this: unknown, ...args: unknown[]): Promise<unknown> {
      closed = true;
      return original.close.apply(this, args);
    });
  }
}
