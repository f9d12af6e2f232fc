import { InvalidArgumentError } from "../core";
import type { Env, Space } from "../core";
import { Dict, Tuple } from "../spaces";
import { TransformObservation } from "./transform-observation";

/**
 * Keeps only some entries of Dict or Tuple observations (Gymnasium's `FilterObservation`):
 * string keys for a Dict space (the new Dict orders them as Dict does: sorted), integer indices
 * for a Tuple space (the new Tuple follows the order of `filterKeys`).
 *
 * @example
 * ```ts
 * // inner observations {image, mask, step}
 * const env = new FilterObservation(inner, ["image", "mask"]); // observations {image, mask}
 * ```
 */
export class FilterObservation<Act = unknown> extends TransformObservation<unknown, unknown, Act> {
  /** The kept keys (Dict) or indices (Tuple). */
  readonly filterKeys: readonly (string | number)[];

  /**
   * @throws InvalidArgumentError when the space is neither Dict nor Tuple, a key is missing, of
   *   the wrong kind or repeated, or nothing would be left.
   */
  constructor(env: Env<unknown, Act>, filterKeys: readonly (string | number)[]) {
    const space = env.observationSpace;
    if (!Array.isArray(filterKeys))
      throw new InvalidArgumentError(`FilterObservation: filterKeys must be an array, got ${String(filterKeys)}`);
    if (filterKeys.length === 0)
      throw new InvalidArgumentError("FilterObservation: filterKeys is empty; the observation space would be empty");
    if (new Set(filterKeys).size !== filterKeys.length)
      throw new InvalidArgumentError(`FilterObservation: duplicate keys in [${filterKeys.join(", ")}]`);
    if (space instanceof Dict) {
      const keys = filterKeys as readonly string[];
      if (!keys.every((k) => typeof k === "string"))
        throw new InvalidArgumentError(
          `FilterObservation: keys of a Dict space must be strings, got [${filterKeys.join(", ")}]`,
        );
      const missing = keys.filter((k) => !space.keys.includes(k));
      if (missing.length > 0) {
        throw new InvalidArgumentError(
          `FilterObservation: keys [${missing.join(", ")}] are not in the observation space (keys: [${space.keys.join(", ")}])`,
        );
      }
      const sub: Record<string, Space<unknown>> = {};
      for (const k of keys) sub[k] = space.spaces[k] as Space<unknown>;
      super(env, (obs) => pick(obs as Record<string, unknown>, keys), new Dict(sub));
    } else if (space instanceof Tuple) {
      const idx = filterKeys as readonly number[];
      const n = space.spaces.length;
      if (!idx.every((i) => Number.isInteger(i)))
        throw new InvalidArgumentError(
          `FilterObservation: keys of a Tuple space must be integers, got [${filterKeys.join(", ")}]`,
        );
      const bad = idx.filter((i) => i < 0 || i >= n);
      if (bad.length > 0)
        throw new InvalidArgumentError(
          `FilterObservation: indices [${bad.join(", ")}] are outside the Tuple of length ${n}`,
        );
      super(
        env,
        (obs) => idx.map((i) => (obs as unknown[])[i]),
        new Tuple(idx.map((i) => space.spaces[i] as Space<unknown>)),
      );
    } else {
      throw new InvalidArgumentError(
        `FilterObservation works with Dict and Tuple observation spaces, got ${String(space)}`,
      );
    }
    this.filterKeys = [...filterKeys];
  }
}

function pick(obs: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = obs[k];
  return out;
}
