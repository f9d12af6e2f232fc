import type { NdArray } from "ndarray";
import type { Env } from "../core";
import { flatten, flattenSpace } from "../spaces";
import type { SpaceTypedArray } from "../spaces";
import { TransformObservation } from "./transform-observation";

/**
 * Flattens observations to 1-D NdArrays with the spaces' flatten utilities (Gymnasium's
 * `FlattenObservation`): the observation space becomes `flattenSpace(inner space)` and each
 * observation `flatten(inner space, obs)` (Box: row-major elements; Discrete: one-hot; Dict and
 * Tuple: children concatenated, Dict in key order).
 *
 * @example
 * ```ts
 * // inner observations {position: Box [2], gripper: Discrete(2)}
 * const env = new FlattenObservation(inner);
 * env.observationSpace.shape; // [4]: one-hot gripper (2) then position (2)
 * ```
 */
export class FlattenObservation<Obs = unknown, Act = unknown> extends TransformObservation<
  NdArray<SpaceTypedArray>,
  Obs,
  Act
> {
  /** @throws SpaceError when the observation space cannot be flattened. */
  constructor(env: Env<Obs, Act>) {
    const inner = env.observationSpace;
    super(env, (obs) => flatten(inner, obs), flattenSpace(inner));
  }
}
