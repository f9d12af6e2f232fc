import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { Env } from "../../core/env";
import { InvalidArgumentError } from "../../core/errors";
import type { ModuleEnvSpec, RegistryEnvSpec, VectorEnvSpec } from "./env-spec";

/** The part of a registry module the loader uses (the spec names the module: vector/ never imports registry/). */
interface RegistryModule {
  make(id: string, opts?: Record<string, unknown>): Env<unknown, unknown>;
}

/** Load a module by require, falling back to import() for ES modules. */
async function load(module: string): Promise<Record<string, unknown>> {
  try {
    return require(module) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: string }).code !== "ERR_REQUIRE_ESM") throw e;
    return (await import(isAbsolute(module) ? pathToFileURL(module).href : module)) as Record<string, unknown>;
  }
}

/**
 * Build the env an env spec describes (in a worker, or in the main thread for a probe):
 * `{id, kwargs, imports}` -> require each import, then the registry's `make(id, kwargs)`;
 * `{module, exportName, args}` -> `new Export(...args)` for an Env class, `await Export(...args)`
 * for a factory function.
 * @throws InvalidArgumentError when the export is missing or does not produce an Env.
 */
export async function buildEnv(spec: VectorEnvSpec): Promise<Env<unknown, unknown>> {
  if ("id" in spec) {
    const s = spec as RegistryEnvSpec;
    for (const m of s.imports ?? []) await load(m);
    return instantiateRegistered(s, (await load(registryOf(s))) as unknown as RegistryModule);
  }
  const s = spec as ModuleEnvSpec;
  return checkEnv(await instantiate(s, await load(s.module)), s);
}

/**
 * {@link buildEnv} without awaiting (CommonJS modules and synchronous factories only), for the
 * main-thread probe that reads the spaces.
 * @throws InvalidArgumentError when that is not possible (an ES module, an async factory).
 */
export function buildEnvSync(spec: VectorEnvSpec): Env<unknown, unknown> {
  if ("id" in spec) {
    const s = spec as RegistryEnvSpec;
    for (const m of s.imports ?? []) require(m);
    return instantiateRegistered(s, require(registryOf(s)) as RegistryModule);
  }
  const s = spec as ModuleEnvSpec;
  let mod: Record<string, unknown>;
  try {
    mod = require(s.module) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: string }).code !== "ERR_REQUIRE_ESM") throw e;
    throw new InvalidArgumentError(
      `${s.module} is an ES module: pass observationSpace and actionSpace to AsyncVectorEnv so that it need not load it in this thread`,
    );
  }
  const env = instantiate(s, mod);
  if (env instanceof Promise) {
    void env.then((e: Env<unknown, unknown>) => e.close()).catch(() => undefined);
    throw new InvalidArgumentError(
      `${s.module}#${s.exportName ?? "default"} returns a promise: pass observationSpace and actionSpace to AsyncVectorEnv`,
    );
  }
  return checkEnv(env, s);
}

function registryOf(s: RegistryEnvSpec): string {
  if (s.registry === undefined)
    throw new InvalidArgumentError(
      `env spec ${JSON.stringify(s.id)} names no registry module (normalizeEnvSpec sets it)`,
    );
  return s.registry;
}

function instantiateRegistered(s: RegistryEnvSpec, registry: RegistryModule): Env<unknown, unknown> {
  return registry.make(s.id, s.kwargs ?? {});
}

function instantiate(s: ModuleEnvSpec, mod: Record<string, unknown>): unknown {
  const name = s.exportName ?? "default";
  const exported = mod[name] ?? (name === "default" ? mod : undefined);
  if (typeof exported !== "function")
    throw new InvalidArgumentError(`module ${s.module} has no function or class export ${JSON.stringify(name)}`);
  const proto = (exported as { prototype?: { step?: unknown } }).prototype;
  const args = s.args ?? [];
  return proto !== undefined && typeof proto.step === "function"
    ? new (exported as new (...a: unknown[]) => unknown)(...args)
    : (exported as (...a: unknown[]) => unknown)(...args);
}

function checkEnv(env: unknown, s: ModuleEnvSpec): Env<unknown, unknown> {
  const e = env as Partial<Env<unknown, unknown>> | null;
  if (e === null || typeof e !== "object" || typeof e.reset !== "function" || typeof e.step !== "function") {
    throw new InvalidArgumentError(
      `${s.module}#${s.exportName ?? "default"} did not produce an Env (got ${String(env)})`,
    );
  }
  return env as Env<unknown, unknown>;
}
