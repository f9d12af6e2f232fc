import * as tf from "@tensorflow/tfjs";
import type { Space } from "../../core/space";
import type { Rng } from "../../core/rng";
import { concatenate, createEmptyArray } from "../../spaces";
import type { ActorCritic } from "./agent";
import { sampleCategorical } from "./categorical";
import { EpisodeActionMask } from "./episode-action-mask";

/** A policy over one env's episodes: `reset` at every episode start, then `act` per step. */
export interface EpisodePolicy {
  /** Start a new episode (clears the no-repeat memory). */
  reset(): void;
  /**
   * The action for one (unbatched) observation of `space`; `rng` overrides the policy's own for
   * this step (null: greedy).
   */
  act(obs: unknown, rng?: Rng | null): Promise<number>;
}

/**
 * An agent acting on one env outside training (evaluation, demos): the policy forward pass of
 * a single observation, restricted by the agent's no-repeat mask of the episode exactly as in
 * training, then the argmax (`rng` null: greedy) or a sample drawn with `rng`.
 *
 * @example
 * ```ts
 * const policy = agentPolicy(agent, env.observationSpace, null); // greedy
 * policy.reset();
 * const action = await policy.act(obs);
 * ```
 */
export function agentPolicy(agent: ActorCritic, space: Space, rng: Rng | null): EpisodePolicy {
  const n = agent.numActions;
  const x = new Float32Array(agent.inputShape.reduce((a, b) => a * b, 1));
  const actions = new Int32Array(1);
  const logp = new Float32Array(1);
  const groups = agent.noRepeatGroups ?? null;
  const mask = groups !== null ? new EpisodeActionMask(1, n, groups) : null;
  const batch = createEmptyArray(space, 1);
  return {
    reset: () => mask?.clear(0),
    act: async (obs, stepRng) => {
      await agent.featurize(concatenate(space, [obs], batch), 1, x);
      const logits = tf.tidy(
        () => agent.forward(tf.tensor(x, [1, ...agent.inputShape])).logits.dataSync() as Float32Array,
      );
      mask?.apply(logits);
      sampleCategorical(logits, 1, n, stepRng === undefined ? rng : stepRng, actions, logp);
      mask?.record(0, actions[0] as number);
      return actions[0] as number;
    },
  };
}
