import type { VectorStepOptions, VectorStepResult } from "../types";
import type { VectorEnv } from "../vector-env";
import { VectorWrapper } from "./vector-wrapper";

/**
 * Applies `fn` to the batched rewards of every step (Gymnasium's
 * `wrappers.vector.TransformReward`). `fn` gets the Float64Array [numEnvs] (it may modify it
 * in place) and returns the new rewards.
 *
 * @example
 * ```ts
 * const envs = new VectorTransformReward(makeVec("CartPole-v1", 2), (r) => r.map((x) => 2 * x));
 * ```
 */
export class VectorTransformReward<Obs = unknown, Act = unknown> extends VectorWrapper<Obs, Act> {
  /** The reward transform. */
  readonly fn: (rewards: Float64Array) => ArrayLike<number>;

  constructor(env: VectorEnv<Obs, Act>, fn: (rewards: Float64Array) => ArrayLike<number>) {
    super(env);
    this.fn = fn;
  }

  override async step(actions: Act, opts?: VectorStepOptions): Promise<VectorStepResult<Obs>> {
    const [obs, rewards, terminated, truncated, infos] = await this.env.step(actions, opts);
    const out = this.fn(rewards);
    return [obs, out instanceof Float64Array ? out : Float64Array.from(out), terminated, truncated, infos];
  }
}
