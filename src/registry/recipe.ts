import { RegistryError } from "../core";
import type { Env } from "../core";
import { make } from "./registration";
import type { MakeOptions } from "./registration";

/**
 * A serialisable description of how to rebuild an env: `make(recipe.id, recipe.kwargs)`.
 * `kwargs` holds the env constructor options together with the make options
 * (`maxEpisodeSteps`, -1 for none, and `disableEnvChecker`). It survives `JSON.stringify` and
 * `postMessage`, so another thread or process can rebuild the env from it (AsyncVectorEnv's
 * workers take `{id, kwargs, registry}` specs, see makeVec, not recipes).
 *
 * @example
 * ```ts
 * const recipe: EnvRecipe = { id: "CartPole-v1", kwargs: { maxEpisodeSteps: 200 } };
 * const env = makeFromRecipe(recipe);
 * ```
 */
export interface EnvRecipe {
  /** A registered env id. */
  id: string;
  /** Options for `make` (constructor options plus make options); plain data only. */
  kwargs: MakeOptions;
}

/**
 * The recipe that rebuilds `env` (an env made by `make`) from its `spec`.
 * @throws RegistryError when the env has no spec (it was not made by `make`) or a constructor
 *   option is not plain data (functions, class instances, ...), which a worker could not receive.
 */
export function envRecipe(env: Env<unknown, unknown>): EnvRecipe {
  const s = env.spec;
  if (s === null)
    throw new RegistryError(`envRecipe: ${env.toString()} has no spec; build it with make() to get a recipe`);
  for (const [key, value] of Object.entries(s.kwargs)) {
    const bad = firstNonPlain(value, key);
    if (bad !== null)
      throw new RegistryError(`envRecipe(${s.id}): option ${bad} is not plain data and cannot be serialised`);
  }
  return {
    id: s.id,
    kwargs: { ...s.kwargs, maxEpisodeSteps: s.maxEpisodeSteps ?? -1, disableEnvChecker: s.disableEnvChecker },
  };
}

/** `make(recipe.id, recipe.kwargs)`. @throws RegistryError as {@link make}. */
export function makeFromRecipe<Obs = unknown, Act = unknown>(recipe: EnvRecipe): Env<Obs, Act> {
  if (recipe === null || typeof recipe !== "object" || typeof recipe.id !== "string") {
    throw new RegistryError(`makeFromRecipe: expected {id, kwargs}, got ${JSON.stringify(recipe)}`);
  }
  return make<Obs, Act>(recipe.id, recipe.kwargs ?? {});
}

/** The path of the first value inside `v` that is not plain data, or null. */
function firstNonPlain(v: unknown, path: string): string | null {
  if (v === null || v === undefined) return null;
  const t = typeof v;
  if (t === "string" || t === "number" || t === "boolean") return null;
  if (t !== "object") return path;
  if (ArrayBuffer.isView(v)) return null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = firstNonPlain(v[i], `${path}[${i}]`);
      if (bad !== null) return bad;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return path;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const bad = firstNonPlain(x, `${path}.${k}`);
    if (bad !== null) return bad;
  }
  return null;
}
