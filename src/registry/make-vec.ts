import { join } from "node:path";
import { InvalidArgumentError } from "../core/errors";
import { checkOptionKeys } from "../core/own-options";
import { AsyncVectorEnv, SyncVectorEnv } from "../vector";
import { setDefaultRegistryModule } from "../vector/async/env-spec";
import type { AsyncVectorEnvOptions, SyncVectorEnvOptions, VectorEnv } from "../vector";
import { make, spec } from "./registration";
import type { MakeOptions } from "./registration";

/** This registry's module (index.js in lib/, index.ts in src/): workers load it to `make` `{id}` specs. */
const REGISTRY_MODULE = join(__dirname, "index");
setDefaultRegistryModule(REGISTRY_MODULE);

/** Options of {@link makeVec}: vectorization options plus `make` options for every sub-env. */
export interface MakeVecOptions extends MakeOptions {
  /** "sync" (default): SyncVectorEnv in this thread; "async": AsyncVectorEnv on worker threads. */
  vectorizationMode?: "sync" | "async";
  /** Options of the vector env (autoresetMode, copy; for async also concurrency, timeoutMs, ...). */
  vectorKwargs?: SyncVectorEnvOptions & AsyncVectorEnvOptions;
  /**
   * Async only: modules each worker requires before `make` (the module that registers `id` when
   * it is not a built-in env: a worker has its own fresh registry).
   */
  imports?: string[];
}

/**
 * Build a vector env of `numEnvs` copies of a registered env (Gymnasium's `make_vec`): each
 * sub-env is `make(id, envKwargs)`, where envKwargs are the options other than
 * vectorizationMode / vectorKwargs / imports. In async mode the sub-envs are built in worker
 * threads from `{id, kwargs}`, so the kwargs must be plain data. The result's `spec` is the
 * registered spec of `id`.
 *
 * @example
 * ```ts
 * const envs = makeVec("CartPole-v1", 8);                                 // SyncVectorEnv
 * const par = makeVec("CartPole-v1", 2, { vectorizationMode: "async", maxEpisodeSteps: 200,
 *   vectorKwargs: { autoresetMode: AutoresetMode.SAME_STEP } });           // AsyncVectorEnv
 * ```
 * @throws RegistryError for an unknown id; InvalidArgumentError for a bad numEnvs or mode.
 */
export function makeVec<Obs = unknown, Act = unknown>(
  id: string,
  numEnvs: number,
  opts: MakeVecOptions = {},
): VectorEnv<Obs, Act> {
  const envSpec = spec(id);
  if (!Number.isSafeInteger(numEnvs) || numEnvs < 1)
    throw new InvalidArgumentError(`makeVec(${id}): numEnvs must be a positive integer, got ${String(numEnvs)}`);
  checkOptionKeys(opts, `makeVec(${id})`);
  const { vectorizationMode = "sync", vectorKwargs = {}, imports, ...envKwargs } = opts;
  let envs: VectorEnv<Obs, Act>;
  if (vectorizationMode === "sync") {
    envs = new SyncVectorEnv<Obs, Act>(
      Array.from({ length: numEnvs }, () => () => make(id, envKwargs)),
      vectorKwargs,
    );
  } else if (vectorizationMode === "async") {
    const kwargs = Object.fromEntries(Object.entries(envKwargs).filter(([, v]) => v !== undefined));
    envs = new AsyncVectorEnv<Obs, Act>(
      Array.from({ length: numEnvs }, () => ({ id, kwargs, imports, registry: REGISTRY_MODULE })),
      vectorKwargs,
    );
  } else {
    throw new InvalidArgumentError(
      `makeVec(${id}): vectorizationMode must be "sync" or "async", got ${JSON.stringify(vectorizationMode)}`,
    );
  }
  envs.spec = envSpec;
  return envs;
}
