// "Watch the agent": a trained checkpoint (bytes) rebuilt as its agent, stepped greedily click by
// click in a SamSegEnv holding the current scene (as the CLI's eval does, in the page).
import * as tf from "@tensorflow/tfjs";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { InMemoryDataset } from "../../src/testing";
import {
  SYNTHETIC_SHAPES,
  SamSegEnv,
  concatenate,
  createEmptyArray,
  type GeodesicSegmenter,
  type SamSegEnvOptions,
  type SamSegObservation,
} from "../../src/browser";
import {
  EpisodeActionMask,
  ExplicitAgent,
  checkpointFromBytes,
  createAgent,
  type ActorCritic,
  type Checkpoint,
} from "../../src/ppo/browser";
import type { Scene } from "./scene";

/** One step of an agent episode, as the page shows it. */
export interface AgentStep {
  step: number;
  click: { x: number; y: number; positive: boolean };
  reward: number;
  rewardTerms: Record<string, number>;
  iou: number;
  dice: number;
  /** Foreground [H, W] 0/1 after the step. */
  mask: NdArray<Uint8Array>;
  /** Policy + segmenter time of the step, ms. */
  ms: number;
}

/** The prior map of an explicit agent: [height, width] probabilities of the target category. */
export interface PriorMap {
  data: Float32Array;
  height: number;
  width: number;
}

/** Env options a checkpoint may carry that do not apply in the page (files, datasets). */
const NOT_IN_PAGE = new Set(["dataset", "syntheticDataset", "renderMode", "renderDir", "embeddingCache", "segmenter"]);

/** A loaded checkpoint, ready to run episodes on scenes. */
export class AgentRunner {
  private constructor(
    readonly checkpoint: Checkpoint,
    readonly name: string,
  ) {}

  /** Parse checkpoint bytes (a fetched file or an uploaded one). */
  static fromBytes(bytes: Uint8Array, name: string): AgentRunner {
    const ckpt = checkpointFromBytes(bytes, name);
    if (ckpt.envId !== "SamSegEnv-v0")
      throw new Error(`${name}: a SamSegEnv-v0 checkpoint is needed, got ${ckpt.envId}`);
    return new AgentRunner(ckpt, name);
  }

  /**
   * Run one episode (maxSteps clicks) on `scene` for target `category`; `onStep` sees each step
   * (and may await, to draw). Returns the steps and the prior map (explicit agents).
   */
  async run(
    scene: Scene,
    category: string,
    segmenter: GeodesicSegmenter,
    onStart: (prior: PriorMap | null) => void | Promise<void>,
    onStep: (s: AgentStep) => void | Promise<void>,
  ): Promise<AgentStep[]> {
    const masks = scene.objects.filter((o) => o.category === category).map((o) => o.mask);
    if (masks.length === 0) throw new Error(`the scene has no ${category}`);
    const [h, w] = scene.image.shape as [number, number];
    const stack = new Uint8Array(h * w * masks.length);
    masks.forEach((m, k) => m.data.forEach((v, p) => (stack[p * masks.length + k] = v)));
    const samples: Record<string, Array<{ image: NdArray<Uint8Array>; masks: NdArray<Uint8Array> }>> = {};
    for (const c of SYNTHETIC_SHAPES) samples[c] = [];
    samples[category] = [{ image: scene.image, masks: ndarray(stack, [h, w, masks.length]) }];
    const kwargs = Object.fromEntries(Object.entries(this.checkpoint.envKwargs).filter(([k]) => !NOT_IN_PAGE.has(k)));
    const options: SamSegEnvOptions = {
      ...(kwargs as SamSegEnvOptions),
      dataset: new InMemoryDataset(samples),
      segmenter,
      targetCategories: [category],
      embeddingCache: null,
      renderMode: null,
    };
    const env = new SamSegEnv(options);
    const agent = createAgent(this.checkpoint.agent, env.observationSpace, env.actionSpace, 0);
    try {
      agent.params.load(this.checkpoint.params);
      let [obs] = await env.reset({ seed: 0 });
      const provider = agent instanceof ExplicitAgent ? agent.priorProvider : null;
      await onStart(provider === null ? null : await provider.prior(scene.image, category));
      const policy = greedyPolicy(agent, env);
      const steps: AgentStep[] = [];
      for (let done = false, k = 1; !done; k++) {
        const t0 = performance.now();
        const action = await policy(obs);
        const [next, reward, terminated, truncated, info] = await env.step(action);
        const prob = env.predictedProbability as NdArray<Float32Array>;
        const mask = ndarray(
          Uint8Array.from(prob.data, (p) => (p > 0.5 ? 1 : 0)),
          [h, w],
        );
        const ms = performance.now() - t0;
        const points = info.lastInputPoints as number[][];
        const labels = info.lastInputLabels as number[];
        const last = points[points.length - 1] as number[];
        const step: AgentStep = {
          step: k,
          click: { x: last[0] as number, y: last[1] as number, positive: labels[labels.length - 1] === 1 },
          reward,
          rewardTerms: info.rewardTerms as Record<string, number>,
          iou: info.iou as number,
          dice: info.dice as number,
          mask,
          ms,
        };
        steps.push(step);
        await onStep(step);
        obs = next;
        done = terminated || truncated;
      }
      return steps;
    } finally {
      agent.dispose();
      await env.close();
    }
  }
}

/** The agent's argmax action under its no-repeat rule (the CLI eval's "greedy" policy). */
function greedyPolicy(agent: ActorCritic, env: SamSegEnv): (obs: SamSegObservation) => Promise<number> {
  const n = agent.numActions;
  const x = new Float32Array(agent.inputShape.reduce((a, b) => a * b, 1));
  const groups = agent.noRepeatGroups ?? null;
  const mask = groups !== null ? new EpisodeActionMask(1, n, groups) : null;
  mask?.clear(0);
  return async (obs) => {
    await agent.featurize(concatenate(env.observationSpace, [obs], createEmptyArray(env.observationSpace, 1)), 1, x);
    const logits = tf.tidy(
      () => agent.forward(tf.tensor(x, [1, ...agent.inputShape])).logits.dataSync() as Float32Array,
    );
    mask?.apply(logits);
    let best = 0;
    for (let a = 1; a < n; a++) if ((logits[a] as number) > (logits[best] as number)) best = a;
    mask?.record(0, best);
    return best;
  };
}
