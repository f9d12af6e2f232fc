import { ObservationWrapper, InvalidArgumentError } from "../core";
import type { Env, Space } from "../core";

/**
 * Applies `func` to every observation of `reset()` and `step()` (Gymnasium's
 * `TransformObservation`). When the transformed observations leave the inner observation space,
 * pass the new `observationSpace`; otherwise the inner one is kept.
 *
 * @example
 * ```ts
 * const env = new TransformObservation(
 *   new CartPoleEnv(),
 *   (obs) => ndarray(obs.data.map((v) => 2 * v), [4]),
 *   new Box({ low: -Infinity, high: Infinity, shape: [4], dtype: "float32" }),
 * );
 * ```
 */
export class TransformObservation<WObs = unknown, Obs = unknown, Act = unknown> extends ObservationWrapper<
  WObs,
  Obs,
  Act
> {
  /** The observation map. */
  readonly func: (obs: Obs) => WObs;

  /**
   * @param func maps an inner observation to the wrapper's observation.
   * @param observationSpace the space of `func`'s outputs; omitted -> the inner env's space.
   */
  constructor(env: Env<Obs, Act>, func: (obs: Obs) => WObs, observationSpace?: Space<WObs>) {
    super(env);
    if (typeof func !== "function")
      throw new InvalidArgumentError(`TransformObservation: func must be a function, got ${typeof func}`);
    this.func = func;
    if (observationSpace !== undefined) this.observationSpace = observationSpace;
  }

  observation(obs: Obs): WObs {
    return this.func(obs);
  }
}
