// A trained policy from a checkpoint, for use from code (Stable-Baselines3's model.predict role).
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { InvalidArgumentError } from "../core/errors";
import { Rng } from "../core/rng";
import type { Space } from "../core/space";
import * as registry from "../registry";
import { concatenate, createEmptyArray } from "../spaces";
import type { ActorCritic } from "./agents/agent";
import { selectBackend } from "./nn/backend";
import type { BackendName } from "./nn/backend";
import { sampleCategorical } from "./agents/categorical";
import { parseCheckpoint } from "./persist/checkpoint";
import type { Checkpoint } from "./persist/checkpoint";
import { createAgent } from "./agents/create-agent";
import { EpisodeActionMask } from "./agents/episode-action-mask";

/** Options of {@link loadPolicy}. */
export interface LoadPolicyOptions {
  /** TensorFlow.js backend to select first (default "auto"; "keep" leaves the current one). */
  backend?: BackendName | "keep";
  /** Seed of the sampling stream of `act(obs, { greedy: false })` (default 0). */
  seed?: number;
  /**
   * The env's single observation and action spaces. Default: read from an env made with the
   * checkpoint's env id and options (the env id must be registered in this process).
   */
  spaces?: { observationSpace: Space<unknown>; actionSpace: Space<unknown> };
}

/** Options of {@link LoadedPolicy.act}. */
export interface ActOptions {
  /** true (default): the most probable action (argmax); false: a sample from the policy. */
  greedy?: boolean;
}

/** A policy loaded by {@link loadPolicy}. */
export interface LoadedPolicy {
  /** The env the policy was trained on, and its options. */
  readonly envId: string;
  readonly envKwargs: Readonly<Record<string, unknown>>;
  /** The rebuilt agent (weights loaded). */
  readonly agent: ActorCritic;
  /** The action for one observation of the env (as returned by its reset / step). */
  act(obs: unknown, options?: ActOptions): Promise<number>;
  /**
   * Start a new episode: clears the agent's no-repeat memory (agents with `noRepeat` never pick
   * the same click patch twice in an episode). Call it after every env.reset().
   */
  reset(): void;
  /** Release the agent's tensors. */
  dispose(): void;
}

/**
 * Load a trained policy from a checkpoint written by `alignsam-gym train` (checkpoint.bin or
 * best.bin): the agent is rebuilt from its config and weights, and `act` maps one observation
 * to one action, greedily or by sampling, with the agent's no-repeat mask as in training.
 * @param source the checkpoint's path or its bytes.
 * @throws InvalidArgumentError when the source is not a checkpoint.
 *
 * @example
 * ```ts
 * import { make } from "alignsam-gym";
 * import { loadPolicy } from "alignsam-gym/ppo";
 *
 * const policy = await loadPolicy("runs/CartPole-v1__ppo__1__1700000000/checkpoint.bin");
 * const env = make(policy.envId, policy.envKwargs);
 * let [obs] = await env.reset({ seed: 42 });
 * policy.reset();
 * for (let done = false; !done; ) {
 *   const [next, , terminated, truncated] = await env.step(await policy.act(obs, { greedy: true }));
 *   obs = next;
 *   done = terminated || truncated;
 * }
 * policy.dispose();
 * ```
 */
export async function loadPolicy(source: string | Uint8Array, options: LoadPolicyOptions = {}): Promise<LoadedPolicy> {
  let ckpt: Checkpoint;
  if (typeof source === "string") {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(source);
    } catch (err) {
      throw new InvalidArgumentError(`loadPolicy: cannot read checkpoint ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    ckpt = parseCheckpoint(bytes, source);
  } else {
    ckpt = parseCheckpoint(source, "checkpoint bytes");
  }
  if ((options.backend ?? "auto") !== "keep") await selectBackend((options.backend ?? "auto") as BackendName);
  let spaces = options.spaces;
  if (spaces === undefined) {
    const env = registry.make(ckpt.envId, { ...ckpt.envKwargs });
    spaces = { observationSpace: env.observationSpace, actionSpace: env.actionSpace };
    await env.close();
  }
  const agent = createAgent(ckpt.agent, spaces.observationSpace, spaces.actionSpace, 0);
  agent.params.load(ckpt.params);
  return new CheckpointPolicy(ckpt, agent, spaces.observationSpace, options.seed ?? 0);
}

/** {@link LoadedPolicy} over a rebuilt agent: featurize one observation, forward, mask, pick. */
class CheckpointPolicy implements LoadedPolicy {
  readonly envId: string;
  readonly envKwargs: Readonly<Record<string, unknown>>;
  private readonly x: Float32Array;
  private readonly actions = new Int32Array(1);
  private readonly logp = new Float32Array(1);
  private readonly mask: EpisodeActionMask | null;
  private readonly rng: Rng;
  private readonly batch: unknown;

  constructor(ckpt: Checkpoint, readonly agent: ActorCritic, private readonly space: Space<unknown>, seed: number) {
    this.envId = ckpt.envId;
    this.envKwargs = ckpt.envKwargs;
    this.x = new Float32Array(agent.inputShape.reduce((a, b) => a * b, 1));
    const groups = agent.noRepeatGroups ?? null;
    this.mask = groups !== null ? new EpisodeActionMask(1, agent.numActions, groups) : null;
    this.rng = new Rng(seed);
    this.batch = createEmptyArray(space, 1);
  }

  async act(obs: unknown, options: ActOptions = {}): Promise<number> {
    const agent = this.agent;
    await agent.featurize(concatenate(this.space, [obs], this.batch), 1, this.x);
    const logits = tf.tidy(() => agent.forward(tf.tensor(this.x, [1, ...agent.inputShape])).logits.dataSync() as Float32Array);
    this.mask?.apply(logits);
    sampleCategorical(logits, 1, agent.numActions, options.greedy === false ? this.rng : null, this.actions, this.logp);
    const action = this.actions[0] as number;
    this.mask?.record(0, action);
    return action;
  }

  reset(): void {
    this.mask?.clear(0);
  }

  dispose(): void {
    this.agent.dispose();
  }
}
