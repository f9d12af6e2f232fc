import type { EnvMetadata } from "../core/types";
import type { AutoresetMode } from "./autoreset-mode";

/**
 * Batched infos of a vector env: every key of the sub-envs' info dicts maps to an array of
 * length numEnvs (numbers -> Float64Array, booleans -> boolean[], anything else -> an array with
 * null where an env gave nothing) plus a mask `_key` (boolean[]) saying which envs supplied it.
 * Nested info dicts become nested Infos with their own masks.
 */
export type Infos = Record<string, unknown>;

/** Metadata of a vector env: the sub-envs' metadata plus the autoreset mode. */
export interface VectorMetadata extends EnvMetadata {
  autoresetMode: AutoresetMode;
}

/** Options of `VectorEnv.reset`. */
export interface VectorResetOptions {
  /**
   * Seeds: a number s seeds env i with s + i; an array gives one seed (or null) per env;
   * omitted -> each env keeps (or lazily draws) its own random stream.
   */
  seed?: number | readonly (number | null | undefined)[];
  /**
   * Options passed to every sub-env's reset, except `resetMask`: boolean[numEnvs] with at least
   * one true, which resets only those envs (the others keep their observation and state).
   */
  options?: Record<string, unknown> & { resetMask?: ArrayLike<boolean> };
  /** AsyncVectorEnv only: this call's timeout in ms (default: the constructor's timeoutMs). */
  timeoutMs?: number;
}

/** Options of `VectorEnv.step`. */
export interface VectorStepOptions {
  /** AsyncVectorEnv only: this call's timeout in ms (default: the constructor's timeoutMs). */
  timeoutMs?: number;
}

/**
 * The result of a vector step: batched observations, rewards [numEnvs] float64, terminated and
 * truncated flags (boolean[numEnvs]) and batched infos.
 */
export type VectorStepResult<Obs> = [
  obs: Obs,
  rewards: Float64Array,
  terminated: boolean[],
  truncated: boolean[],
  infos: Infos,
];
