import type { NdArray } from "ndarray";

/** Auxiliary information returned by reset() and step(). */
export type Info = Record<string, unknown>;

/** An RGB frame: [H, W, 3] uint8. */
export type RenderFrame = NdArray<Uint8Array>;

/** Options of `Env.reset`. */
export interface ResetOptions {
  /** Reseed the env RNG (a non-negative integer); omitted -> continue the current stream. */
  seed?: number;
  /** Env-specific reset options. */
  options?: Record<string, unknown>;
}

/** The 5-tuple of `Env.step`: observation, reward, terminated, truncated, info. */
export type StepResult<Obs> = [obs: Obs, reward: number, terminated: boolean, truncated: boolean, info: Info];

/** Env metadata (Gymnasium's `metadata`). */
export interface EnvMetadata {
  /** Render modes the env supports, e.g. ["rgb_array", "human"]. */
  renderModes: string[];
  /** Frames per second for human rendering. */
  renderFps?: number;
  /** Whether the env is safe to autoreset... and any other key. */
  [key: string]: unknown;
}

/**
 * The registration record of an env (Gymnasium's EnvSpec); defined here, filled by the registry.
 */
export interface EnvSpec {
  id: string;
  entryPoint: unknown;
  rewardThreshold: number | null;
  nondeterministic: boolean;
  maxEpisodeSteps: number | null;
  orderEnforce: boolean;
  disableEnvChecker: boolean;
  kwargs: Record<string, unknown>;
  additionalWrappers: unknown[];
  [key: string]: unknown;
}
