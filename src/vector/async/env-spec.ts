import { isAbsolute, resolve } from "node:path";
import { InvalidArgumentError } from "../../core/errors";

/**
 * A registered env for a vector-env worker: `make(id, kwargs)` in the worker. `imports` are
 * modules the worker requires first (e.g. the module that registers `id`, since a worker has
 * its own fresh registry). Everything must survive a structured clone.
 */
export interface RegistryEnvSpec {
  id: string;
  kwargs?: Record<string, unknown>;
  imports?: string[];
  /**
   * The module whose `make(id, kwargs)` builds the env (a path or package name); default: the
   * package's registry, whose module path the registry hands over when it loads (see
   * {@link setDefaultRegistryModule}): vector/ never imports registry/.
   */
  registry?: string;
}

/** The registry module of `{id}` specs that name none (set by src/registry when it loads). */
let defaultRegistryModule: string | null = null;

/**
 * Set the module that workers load to `make` the envs of `{id}` specs (src/registry calls this
 * with its own path; vector/ stays below registry/).
 */
export function setDefaultRegistryModule(module: string): void {
  defaultRegistryModule = module;
}

/**
 * An env built from a module in a vector-env worker: `exportName` of `module` (a package name or
 * a path; relative paths are resolved against the current directory) is either an Env class,
 * constructed with `new Export(...args)`, or a function called as `Export(...args)` that returns
 * an Env (or a promise of one). `exportName` defaults to "default".
 */
export interface ModuleEnvSpec {
  module: string;
  exportName?: string;
  args?: unknown[];
}

/**
 * A serialisable description of how a worker builds one sub-env of an AsyncVectorEnv.
 *
 * @example
 * ```ts
 * const specs: VectorEnvSpec[] = [{ id: "CartPole-v1", kwargs: { maxEpisodeSteps: 200 } },
 *   { module: "./my-env.js", exportName: "MyEnv", args: [{ size: 8 }] }];
 * ```
 */
export type VectorEnvSpec = RegistryEnvSpec | ModuleEnvSpec;

/**
 * Check an env spec and make module paths absolute (workers may not share the caller's cwd
 * assumptions).
 * @throws InvalidArgumentError naming the index of a malformed spec.
 */
export function normalizeEnvSpec(spec: VectorEnvSpec, index: number): VectorEnvSpec {
  const where = `envSpecs[${index}]`;
  if (typeof spec !== "object" || spec === null)
    throw new InvalidArgumentError(`${where} must be {id, kwargs} or {module, exportName, args}, got ${String(spec)}`);
  const absolute = (m: string): string => (m.startsWith(".") || isAbsolute(m) ? resolve(m) : m);
  if ("id" in spec) {
    if (typeof spec.id !== "string")
      throw new InvalidArgumentError(`${where}.id must be a string, got ${String(spec.id)}`);
    if (
      spec.imports !== undefined &&
      !(Array.isArray(spec.imports) && spec.imports.every((m) => typeof m === "string"))
    ) {
      throw new InvalidArgumentError(`${where}.imports must be an array of module names`);
    }
    const registry = spec.registry ?? defaultRegistryModule;
    if (typeof registry !== "string") {
      throw new InvalidArgumentError(
        `${where}: {id} specs need the registry module: load alignsam-gym's registry or pass registry`,
      );
    }
    return {
      id: spec.id,
      kwargs: spec.kwargs ?? {},
      imports: (spec.imports ?? []).map(absolute),
      registry: absolute(registry),
    };
  }
  if ("module" in spec && typeof spec.module === "string") {
    if (spec.args !== undefined && !Array.isArray(spec.args))
      throw new InvalidArgumentError(`${where}.args must be an array`);
    return { module: absolute(spec.module), exportName: spec.exportName ?? "default", args: spec.args ?? [] };
  }
  throw new InvalidArgumentError(
    `${where} must be {id, kwargs} or {module, exportName, args}, got ${JSON.stringify(spec)}`,
  );
}
