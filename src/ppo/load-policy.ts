// A trained policy from a checkpoint, for use from code (Stable-Baselines3's model.predict role).
import { Rng } from "../core/rng";
import type { Space } from "../core/space";
import * as registry from "../registry";
import type { ActorCritic } from "./agents/agent";
import { selectBackend } from "./nn/backend";
import type { BackendName } from "./nn/backend";
import { loadCheckpoint, parseCheckpoint } from "./persist/checkpoint";
import type { Checkpoint } from "./persist/checkpoint";
import { createAgent } from "./agents/create-agent";
import { agentPolicy } from "./agents/agent-policy";
import type { EpisodePolicy } from "./agents/agent-policy";

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
  const ckpt: Checkpoint =
    typeof source === "string" ? loadCheckpoint(source) : parseCheckpoint(source, "checkpoint bytes");
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

/** {@link LoadedPolicy} over a rebuilt agent: the agent's episode policy, greedy or sampled per call. */
class CheckpointPolicy implements LoadedPolicy {
  readonly envId: string;
  readonly envKwargs: Readonly<Record<string, unknown>>;
  private readonly policy: EpisodePolicy;
  private readonly rng: Rng;

  constructor(
    ckpt: Checkpoint,
    readonly agent: ActorCritic,
    space: Space<unknown>,
    seed: number,
  ) {
    this.envId = ckpt.envId;
    this.envKwargs = ckpt.envKwargs;
    this.policy = agentPolicy(agent, space, null);
    this.rng = new Rng(seed);
  }

  act(obs: unknown, options: ActOptions = {}): Promise<number> {
    return this.policy.act(obs, options.greedy === false ? this.rng : null);
  }

  reset(): void {
    this.policy.reset();
  }

  dispose(): void {
    this.agent.dispose();
  }
}
