import { EnvCheckError, Space } from "../core";
import type { Env, WarningHandler } from "../core";
import { Box, Dict, Discrete, MultiBinary, MultiDiscrete, Tuple } from "../spaces";

/**
 * The passive API checks shared by {@link PassiveEnvChecker} and `checkEnv` (Gymnasium's
 * `passive_env_checker`). A broken contract throws {@link EnvCheckError} naming the check;
 * doubtful but legal things go to `warn`.
 */

/** Whether `x` is a plain `{}` object (an info dict). */
function isInfo(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function typeName(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === "object") return `an instance of ${(x as object).constructor?.name ?? "Object"}`;
  return typeof x;
}

/**
 * Check that `space` is a well-formed Space (Gymnasium's `check_space`): a Space instance;
 * Discrete with n > 0; MultiDiscrete with positive nvec; MultiBinary with positive dimensions;
 * Tuple and Dict non-empty, recursively.
 * Box with a dimension equal to low == high warns.
 * @throws EnvCheckError with check "observation-space" or "action-space".
 */
export function checkSpace(space: unknown, kind: "observation" | "action", warn: WarningHandler): void {
  const check = `${kind}-space`;
  if (!(space instanceof Space)) {
    throw new EnvCheckError(check, `the ${kind} space must be an instance of Space, got ${typeName(space)}`);
  }
  if (space instanceof Box) {
    const low = Array.from(space.low.data as ArrayLike<number>);
    const high = Array.from(space.high.data as ArrayLike<number>);
    if (low.some((l, i) => l === high[i]))
      warn(`A Box ${kind} space maximum and minimum values are equal: ${space.toString()}`);
  } else if (space instanceof Discrete) {
    if (!(space.n > 0)) throw new EnvCheckError(check, `a Discrete ${kind} space needs n > 0, got ${space.n}`);
  } else if (space instanceof MultiDiscrete) {
    const nvec = Array.from(space.nvec.data as ArrayLike<number>);
    if (!nvec.every((n) => n > 0))
      throw new EnvCheckError(
        check,
        `a MultiDiscrete ${kind} space needs every nvec entry > 0, got [${nvec.join(", ")}]`,
      );
  } else if (space instanceof MultiBinary) {
    if (!space.shape.every((d) => d > 0))
      throw new EnvCheckError(
        check,
        `a MultiBinary ${kind} space needs positive dimensions, got [${space.shape.join(", ")}]`,
      );
  } else if (space instanceof Tuple) {
    if (space.spaces.length === 0) throw new EnvCheckError(check, `an empty Tuple ${kind} space is not allowed`);
    for (const sub of space.spaces) checkSpace(sub, kind, warn);
  } else if (space instanceof Dict) {
    const subs = Object.values(space.spaces);
    if (subs.length === 0) throw new EnvCheckError(check, `an empty Dict ${kind} space is not allowed`);
    for (const sub of subs) checkSpace(sub, kind, warn);
  }
}

/**
 * Check an observation against its space (Gymnasium's `check_obs`): Dict observations must be
 * objects with exactly the space's keys and Tuple observations arrays of the right length
 * (else EnvCheckError "<method>-observation"); a value outside the space only warns.
 */
export function checkObs(obs: unknown, space: Space<unknown>, method: "reset" | "step", warn: WarningHandler): void {
  const pre = `The observation returned by ${method}()`;
  structure(obs, space, pre, `${method}-observation`, warn);
  let inside: boolean;
  try {
    inside = space.contains(obs);
  } catch (e) {
    warn(`${pre} is not within the observation space ${space.toString()}: contains() threw ${(e as Error).message}`);
    return;
  }
  if (!inside) warn(`${pre} is not within the observation space ${space.toString()}`);
}

function structure(obs: unknown, space: Space<unknown>, pre: string, check: string, warn: WarningHandler): void {
  if (space instanceof Discrete) {
    if (typeof obs !== "number") warn(`${pre} should be a number for a Discrete space, got ${typeName(obs)}`);
  } else if (space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary) {
    const nd = obs as { data?: unknown; shape?: unknown };
    if (typeof obs !== "object" || obs === null || !Array.isArray(nd.shape) || !ArrayBuffer.isView(nd.data)) {
      warn(`${pre} should be an NdArray on a typed array, got ${typeName(obs)}`);
    } else if (space.dtype !== null && (obs as { dtype?: unknown }).dtype !== space.dtype) {
      warn(`${pre} should have dtype ${space.dtype}, got ${String((obs as { dtype?: unknown }).dtype)}`);
    }
  } else if (space instanceof Tuple) {
    if (!Array.isArray(obs))
      throw new EnvCheckError(check, `${pre} must be an array for a Tuple space, got ${typeName(obs)}`);
    if (obs.length !== space.spaces.length) {
      throw new EnvCheckError(
        check,
        `${pre} has length ${obs.length}, the Tuple space has ${space.spaces.length} entries`,
      );
    }
    space.spaces.forEach((sub: Space<unknown>, i: number) => structure(obs[i], sub, pre, check, warn));
  } else if (space instanceof Dict) {
    if (typeof obs !== "object" || obs === null || Array.isArray(obs))
      throw new EnvCheckError(check, `${pre} must be an object for a Dict space, got ${typeName(obs)}`);
    const keys = Object.keys(obs).sort();
    const spaceKeys = [...space.keys].sort();
    if (keys.join("\u0000") !== spaceKeys.join("\u0000")) {
      throw new EnvCheckError(
        check,
        `${pre} has keys [${keys.join(", ")}], the Dict space has [${spaceKeys.join(", ")}]`,
      );
    }
    for (const k of spaceKeys)
      structure((obs as Record<string, unknown>)[k], space.spaces[k] as Space<unknown>, pre, check, warn);
  }
}

/**
 * Check what reset() resolved to (Gymnasium's `env_reset_passive_checker`): `[obs, info]` with
 * info a plain object.
 * @throws EnvCheckError "reset-return" when it is not a 2-element array or info is not an object.
 */
export function checkResetResult(result: unknown, space: Space<unknown>, warn: WarningHandler): void {
  if (!Array.isArray(result) || result.length !== 2) {
    throw new EnvCheckError("reset-return", `reset() must resolve to [obs, info], got ${typeName(result)}`);
  }
  checkObs(result[0], space, "reset", warn);
  if (!isInfo(result[1]))
    throw new EnvCheckError(
      "reset-return",
      `the info returned by reset() must be a plain object, got ${typeName(result[1])}`,
    );
}

/**
 * Check what step() resolved to (Gymnasium's `env_step_passive_checker`): the 5-tuple
 * `[obs, reward, terminated, truncated, info]` with info a plain object; non-boolean flags, a
 * non-number reward, NaN or infinite rewards warn.
 * @throws EnvCheckError "step-return" when it is not a 5-element array (the old 4-tuple API
 *   included) or info is not an object.
 */
export function checkStepResult(result: unknown, space: Space<unknown>, warn: WarningHandler): void {
  if (!Array.isArray(result))
    throw new EnvCheckError(
      "step-return",
      `step() must resolve to [obs, reward, terminated, truncated, info], got ${typeName(result)}`,
    );
  if (result.length !== 5) {
    const hint = result.length === 4 ? " (the old 4-tuple API with one done flag is not supported)" : "";
    throw new EnvCheckError(
      "step-return",
      `step() must resolve to a 5-element array [obs, reward, terminated, truncated, info], got ${result.length} elements${hint}`,
    );
  }
  const [obs, reward, terminated, truncated, info] = result as unknown[];
  if (typeof terminated !== "boolean")
    warn(`terminated returned by step() should be a boolean, got ${typeName(terminated)}`);
  if (typeof truncated !== "boolean")
    warn(`truncated returned by step() should be a boolean, got ${typeName(truncated)}`);
  checkObs(obs, space, "step", warn);
  if (typeof reward !== "number") warn(`the reward returned by step() should be a number, got ${typeName(reward)}`);
  else if (Number.isNaN(reward)) warn("The reward is a NaN value.");
  else if (!Number.isFinite(reward)) warn("The reward is an infinite value.");
  if (!isInfo(info))
    throw new EnvCheckError("step-return", `the info returned by step() must be a plain object, got ${typeName(info)}`);
}

/**
 * Check the render metadata of an env (Gymnasium's `env_render_passive_checker`, before the
 * render call): renderModes is a string array; renderFps is a positive number when modes exist;
 * renderMode is null or one of renderModes.
 * @throws EnvCheckError "render" when renderFps <= 0 or renderMode is not a declared mode.
 */
export function checkRenderMetadata(env: Env<unknown, unknown>, warn: WarningHandler): void {
  const modes = env.metadata?.renderModes;
  if (!Array.isArray(modes)) {
    warn(
      "No render modes were declared in the environment (metadata.renderModes is not an array); render() may not work",
    );
    return;
  }
  if (!modes.every((m) => typeof m === "string"))
    warn(`metadata.renderModes should hold strings, got ${JSON.stringify(modes)}`);
  if (modes.length > 0) {
    const fps = env.metadata.renderFps;
    if (fps === undefined || fps === null)
      warn(
        "No render fps was declared in the environment (metadata.renderFps); rendering may run at an inconsistent fps",
      );
    else if (typeof fps !== "number") warn(`metadata.renderFps should be a number, got ${typeName(fps)}`);
    else if (!(fps > 0)) throw new EnvCheckError("render", `metadata.renderFps must be > 0, got ${fps}`);
  }
  if (env.renderMode !== null && !modes.includes(env.renderMode)) {
    throw new EnvCheckError(
      "render",
      `renderMode ${JSON.stringify(env.renderMode)} is not one of metadata.renderModes ${JSON.stringify(modes)}`,
    );
  }
}

/**
 * Check a render() result against the render mode (Gymnasium's `_check_render_return`):
 * "rgb_array" -> an NdArray [H, W, 3] on a Uint8Array; "human" -> null; "ansi" -> a string;
 * mismatches warn.
 */
export function checkRenderResult(renderMode: string | null, frame: unknown, warn: WarningHandler): void {
  if (renderMode === "human") {
    if (frame !== null && frame !== undefined) warn(`human rendering should return null, got ${typeName(frame)}`);
  } else if (renderMode === "rgb_array") {
    const nd = frame as { data?: unknown; shape?: unknown } | null;
    if (nd === null || typeof nd !== "object" || !Array.isArray(nd.shape)) {
      warn(`rgb_array rendering should return an NdArray, got ${typeName(frame)}`);
    } else {
      if (!(nd.data instanceof Uint8Array))
        warn(`rgb_array rendering should return uint8 data, got ${typeName(nd.data)}`);
      const shape = nd.shape as number[];
      if (shape.length !== 3 || shape[2] !== 3)
        warn(`rgb_array rendering should return a [H, W, 3] frame, got shape [${shape.join(", ")}]`);
    }
  } else if (renderMode === "ansi") {
    if (typeof frame !== "string") warn(`ansi rendering should return a string, got ${typeName(frame)}`);
  }
}
