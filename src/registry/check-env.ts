import { Env, EnvCheckError, warn as defaultWarn } from "../core";
import type { Info, Space, StepResult, WarningHandler } from "../core";
import { Box, Dict, Tuple } from "../spaces";
import { checkRenderMetadata, checkRenderResult, checkResetResult, checkSpace, checkStepResult } from "../wrappers";
import { dataEquivalence, deepCopyData } from "./data-equivalence";
import { make } from "./registration";

/** Options of {@link checkEnv}. */
export interface CheckEnvOptions {
  /** Skip the render checks (default false). */
  skipRenderCheck?: boolean;
  /** Skip the close-twice check (default false). */
  skipCloseCheck?: boolean;
  /** Where warnings go (default: the library's warning handler, see `setWarningHandler`). */
  warn?: WarningHandler;
}

type AnyEnv = Env<unknown, unknown>;

/**
 * Check that an env follows the Gymnasium API (Gymnasium's `check_env`), calling reset, step,
 * render and close with a variety of arguments. Checks, in order (the name is the
 * `EnvCheckError.check` of a failure):
 * - "env-type": an `Env` instance (a wrapped env only warns);
 * - "action-space", "observation-space": valid spaces (infinite Box bounds warn);
 * - "reset-return": reset() resolves to [obs, info], obs inside the space, info a plain object;
 * - "reset-seed-determinism": reset({seed: 123}) twice gives the same obs and the same
 *   `env.unwrapped.rng` state, reset() after each gives the same obs, reset({seed: 456}) gives a
 *   different rng state (obs are only compared unless `spec.nondeterministic`);
 * - "reset-options": reset({options: {}}) works;
 * - "step-return": step(actionSpace.sample()) resolves to the 5-tuple with boolean flags, a
 *   finite number reward, obs inside the space and a plain-object info;
 * - "step-determinism": the same seed and action give the same obs, reward, flags, info and rng
 *   state, and one step does not truncate (unless `spec.nondeterministic`);
 * - "observation-reuse": an observation already returned never changes afterwards (the env
 *   must not reuse and mutate its observation buffer); observations are deep-copied on receipt;
 * - "render": declared render modes and fps are sane and render() returns what the mode promises;
 *   with a spec, every declared mode is made, reset and rendered;
 * - "close": close() can be called twice. With a spec a fresh env is made for it; without one,
 *   the checked env itself is closed (twice) at the end.
 *
 * @example
 * ```ts
 * await checkEnv(new CartPoleEnv(), { warn: (m) => console.log("warning:", m) });
 * ```
 * @throws EnvCheckError naming the first failed check.
 */
export async function checkEnv(env: Env<unknown, unknown>, opts: CheckEnvOptions = {}): Promise<void> {
  const warn = opts.warn ?? defaultWarn;
  if (!(env instanceof Env))
    throw new EnvCheckError("env-type", `the environment must be an instance of Env, got ${String(env)}`);
  if (env.unwrapped !== env) {
    warn(
      `The environment ${env.toString()} is wrapped (unwrapped: ${env.unwrapped.toString()}); wrappers may affect the checks, consider checking env.unwrapped`,
    );
  }
  checkSpace(env.actionSpace, "action", warn);
  warnSpaceLimits(env.actionSpace, "action", warn);
  checkSpace(env.observationSpace, "observation", warn);
  warnSpaceLimits(env.observationSpace, "observation", warn);

  const ledger = new ObservationLedger();
  await checkResetReturn(env, warn, ledger);
  await checkResetSeedDeterminism(env, ledger);
  await call("reset-options", "reset({options: {}})", () => env.reset({ options: {} }));
  await checkStepReturn(env, warn, ledger);
  await checkStepDeterminism(env, ledger);

  if (!opts.skipRenderCheck) await checkRender(env, warn);
  if (!opts.skipCloseCheck) await checkCloseTwice(env);
}

/** Remembers returned observations with a deep copy taken on receipt, to detect later mutation. */
class ObservationLedger {
  private readonly entries: Array<{ label: string; raw: unknown; copy: unknown }> = [];

  record(label: string, obs: unknown): void {
    this.verify();
    if (typeof obs === "object" && obs !== null) this.entries.push({ label, raw: obs, copy: deepCopyData(obs) });
  }

  /** @throws EnvCheckError "observation-reuse" when an earlier observation changed. */
  verify(): void {
    for (const e of this.entries) {
      if (!dataEquivalence(e.raw, e.copy, { exact: true })) {
        throw new EnvCheckError(
          "observation-reuse",
          `the observation returned by ${e.label} was changed by a later call: the env reuses and mutates its observation buffer; return a fresh array (or copy) every time`,
        );
      }
    }
  }
}

async function call<T>(check: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof EnvCheckError) throw e;
    throw new EnvCheckError(
      check,
      `${what} threw ${(e as Error)?.name ?? "an error"}: ${(e as Error)?.message ?? String(e)}`,
    );
  }
}

function assertInSpace(check: string, obs: unknown, space: Space<unknown>, what: string): void {
  let inside = false;
  try {
    inside = space.contains(obs);
  } catch {
    inside = false;
  }
  if (!inside)
    throw new EnvCheckError(
      check,
      `the observation returned by ${what} is not within the observation space ${space.toString()}`,
    );
}

function rngState(env: AnyEnv): string {
  return JSON.stringify(env.unwrapped.rng.getState());
}

async function checkResetReturn(env: AnyEnv, warn: WarningHandler, ledger: ObservationLedger): Promise<void> {
  const result: unknown = await call("reset-return", "reset()", () => env.reset());
  checkResetResult(result, env.observationSpace, warn);
  const [obs] = result as [unknown, Info];
  assertInSpace("reset-return", obs, env.observationSpace, "reset()");
  ledger.record("reset()", obs);
}

async function checkResetSeedDeterminism(env: AnyEnv, ledger: ObservationLedger): Promise<void> {
  const check = "reset-seed-determinism";
  const reset = async (seed: number | undefined): Promise<unknown> => {
    const what = seed === undefined ? "reset()" : `reset({seed: ${seed}})`;
    const result = await call(check, what, () => (seed === undefined ? env.reset() : env.reset({ seed })));
    if (!Array.isArray(result) || result.length !== 2)
      throw new EnvCheckError("reset-return", `${what} must resolve to [obs, info]`);
    const obs: unknown = result[0];
    assertInSpace(check, obs, env.observationSpace, what);
    ledger.record(what, obs);
    return deepCopyData(obs);
  };
  const obs1 = await reset(123);
  const rng1 = rngState(env);
  const obs2 = await reset(undefined);
  const obs3 = await reset(123);
  const rng3 = rngState(env);
  const obs4 = await reset(undefined);
  if (env.spec?.nondeterministic !== true) {
    if (!dataEquivalence(obs1, obs3))
      throw new EnvCheckError(
        check,
        "reset({seed: 123}) is not deterministic: two calls returned different observations",
      );
    if (!dataEquivalence(obs2, obs4))
      throw new EnvCheckError(
        check,
        "reset({seed: 123}) then reset() is not deterministic: the two reset() observations differ",
      );
  }
  if (rng1 !== rng3) {
    throw new EnvCheckError(
      check,
      "reset({seed: 123}) twice left env.unwrapped.rng in different states; reset() must call this.seedRng(opts?.seed) and take all randomness from this.rng",
    );
  }
  await reset(456);
  if (rngState(env) === rng1) {
    throw new EnvCheckError(
      check,
      "reset({seed: 456}) left env.unwrapped.rng in the same state as seed 123; reset() must call this.seedRng(opts?.seed)",
    );
  }
  ledger.verify();
}

async function checkStepReturn(env: AnyEnv, warn: WarningHandler, ledger: ObservationLedger): Promise<void> {
  const check = "step-return";
  const [obs] = await call("reset-return", "reset()", () => env.reset());
  ledger.record("reset()", obs);
  const action = env.actionSpace.sample();
  const result: unknown = await call(check, "step(actionSpace.sample())", () => env.step(action));
  checkStepResult(result, env.observationSpace, warn);
  const [stepObs, reward, terminated, truncated] = result as StepResult<unknown>;
  if (typeof terminated !== "boolean" || typeof truncated !== "boolean") {
    throw new EnvCheckError(
      check,
      `terminated and truncated must be booleans, got ${typeof terminated} and ${typeof truncated}`,
    );
  }
  if (typeof reward !== "number" || !Number.isFinite(reward))
    throw new EnvCheckError(check, `the reward must be a finite number, got ${String(reward)}`);
  assertInSpace(check, stepObs, env.observationSpace, "step()");
  ledger.record("step()", stepObs);
}

async function checkStepDeterminism(env: AnyEnv, ledger: ObservationLedger): Promise<void> {
  const check = "step-determinism";
  if (env.spec?.nondeterministic === true) return;
  env.actionSpace.seed(123);
  const action = env.actionSpace.sample();
  const run = async (): Promise<[StepResult<unknown>, string]> => {
    const [obs] = await call(check, "reset({seed: 123})", () => env.reset({ seed: 123 }));
    ledger.record("reset({seed: 123})", obs);
    const result = await call(check, "step()", () => env.step(deepCopyData(action)));
    ledger.record("step()", result[0]);
    return [deepCopyData(result), rngState(env)];
  };
  const [r0, rng0] = await run();
  const [r1, rng1] = await run();
  if (!dataEquivalence(r0[0], r1[0]))
    throw new EnvCheckError(check, "the same seed and action gave different step observations");
  if (!dataEquivalence(r0[1], r1[1]))
    throw new EnvCheckError(check, `the same seed and action gave different rewards (${r0[1]} vs ${r1[1]})`);
  if (r0[2] !== r1[2]) throw new EnvCheckError(check, "the same seed and action gave different terminated flags");
  if (r0[3] !== false || r1[3] !== false)
    throw new EnvCheckError(check, "the env truncates after one step, something has gone very wrong");
  if (!dataEquivalence(r0[4], r1[4])) throw new EnvCheckError(check, "the same seed and action gave different infos");
  if (rng0 !== rng1)
    throw new EnvCheckError(check, "the same seed and action left env.unwrapped.rng in different states");
  ledger.verify();
}

async function checkRender(env: AnyEnv, warn: WarningHandler): Promise<void> {
  if (env.renderMode !== null) {
    checkRenderMetadata(env, warn);
    const frame = await call("render", "render()", () => env.render());
    checkRenderResult(env.renderMode, frame, warn);
  }
  if (env.spec === null) {
    warn("Not able to test alternative render modes: the environment has no spec; make it with make() to check them");
    return;
  }
  const modes = env.metadata?.renderModes ?? [];
  for (const mode of modes) {
    const other = await call("render", `make(${env.spec.id}, {renderMode: ${JSON.stringify(mode)}})`, async () =>
      make(env.spec!, { renderMode: mode }),
    );
    try {
      await call("render", `reset() in render mode ${mode}`, () => other.reset());
      checkRenderMetadata(other, warn);
      const frame = await call("render", `render() in render mode ${mode}`, () => other.render());
      checkRenderResult(mode, frame, warn);
    } finally {
      await other.close();
    }
  }
}

async function checkCloseTwice(env: AnyEnv): Promise<void> {
  const target = env.spec === null ? env : await call("close", `make(${env.spec.id})`, async () => make(env.spec!));
  await call("close", "the first close()", () => target.close());
  await call("close", "a second close() (closing twice must be allowed)", () => target.close());
}

function warnSpaceLimits(space: Space<unknown>, kind: string, warn: WarningHandler): void {
  if (space instanceof Box) {
    const low = Array.from(space.low.data as ArrayLike<number>);
    const high = Array.from(space.high.data as ArrayLike<number>);
    if (low.some((v) => v === -Infinity))
      warn(`A Box ${kind} space minimum value is -infinity. This is probably too low.`);
    if (high.some((v) => v === Infinity))
      warn(`A Box ${kind} space maximum value is infinity. This is probably too high.`);
    if (kind === "action" && space.shape?.length === 1) {
      const unnormalised = low.some(
        (l, i) => (l !== 0 && Math.abs(l) !== Math.abs(high[i] as number)) || l < -1 || (high[i] as number) > 1,
      );
      if (unnormalised)
        warn("For Box action spaces, a symmetric and normalized range ([-1, 1] or [0, 1]) is recommended.");
    }
  } else if (space instanceof Tuple) {
    for (const sub of space.spaces) warnSpaceLimits(sub, kind, warn);
  } else if (space instanceof Dict) {
    for (const sub of Object.values(space.spaces)) warnSpaceLimits(sub as Space<unknown>, kind, warn);
  }
}
