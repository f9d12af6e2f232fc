import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "../nn/tensor-types";
import type { Space } from "../../core/space";
import { Rng } from "../../core/rng";
import { InvalidArgumentError } from "../../core/errors";
import type { ActorCritic, MlpAgentConfig, PolicyOutput } from "./agent";
import { addDense, dense } from "../nn/layers";
import { ParameterSet } from "../nn/parameters";
import { discreteSize, flatFeatureSize, writeFlatFeatures } from "./observation-features";

/** A dense layer's weights copied out of tfjs for the plain-JS forward. */
interface DenseWeights {
  w: Float32Array; // [in, out]
  b: Float32Array; // [out]
  inSize: number;
  outSize: number;
}

/**
 * CleanRL's PPO agent for vector observations: separate actor and critic MLPs (default 64-64,
 * tanh), orthogonal init with gain sqrt(2) for hidden layers, 0.01 for the actor head and 1 for
 * the critic head, zero biases. Box/Dict observations are flattened (Discrete parts one-hot).
 *
 * It also has a plain typed-array forward (`fastForward`) used during rollouts: at these sizes
 * one tfjs call costs more than the arithmetic, and the JS forward computes the same function.
 *
 * @example
 * ```ts
 * const agent = new MlpAgent(env.singleObservationSpace, env.singleActionSpace, { kind: "mlp" }, 1);
 * const { logits, values } = agent.forward(tf.zeros([8, 4]));
 * ```
 */
export class MlpAgent implements ActorCritic {
  readonly config: MlpAgentConfig;
  readonly numActions: number;
  readonly inputShape: readonly number[];
  readonly params = new ParameterSet();
  private readonly observationSpace: Space;
  private readonly hidden: number[];
  private fast: { actor: DenseWeights[]; critic: DenseWeights[] } | null = null;
  private scratch = new Float64Array(0);

  /**
   * @param seed seeds the orthogonal initialisation (same seed, same weights).
   * @throws InvalidArgumentError on a non-Discrete action space or bad hidden sizes.
   */
  constructor(observationSpace: Space, actionSpace: Space, config: MlpAgentConfig, seed: number) {
    const hidden = config.hidden ?? [64, 64];
    if (hidden.length === 0 || !hidden.every((h) => Number.isInteger(h) && h > 0)) {
      throw new InvalidArgumentError(
        `MlpAgent: hidden must be a non-empty list of positive integers, got ${JSON.stringify(hidden)}`,
      );
    }
    this.config = { kind: "mlp", hidden: [...hidden] };
    this.hidden = hidden;
    this.observationSpace = observationSpace;
    this.numActions = discreteSize(actionSpace);
    const inputSize = flatFeatureSize(observationSpace);
    this.inputShape = [inputSize];
    const rng = new Rng(seed);
    for (const head of ["actor", "critic"] as const) {
      let inSize = inputSize;
      hidden.forEach((h, i) => {
        addDense(this.params, `${head}.${i}`, inSize, h, Math.SQRT2, rng);
        inSize = h;
      });
      const outSize = head === "actor" ? this.numActions : 1;
      addDense(this.params, `${head}.${hidden.length}`, inSize, outSize, head === "actor" ? 0.01 : 1, rng);
    }
  }

  featurize(obs: unknown, numEnvs: number, out: Float32Array): void {
    writeFlatFeatures(obs, this.observationSpace, numEnvs, out);
  }

  forward(x: Tensor): PolicyOutput {
    return tf.tidy(() => {
      const input = x.reshape([x.shape[0] as number, this.inputShape[0] as number]) as tf.Tensor2D;
      const mlp = (head: string): tf.Tensor2D => {
        let h = input;
        for (let i = 0; i < this.hidden.length; i++) h = tf.tanh(dense(this.params, `${head}.${i}`, h));
        return dense(this.params, `${head}.${this.hidden.length}`, h);
      };
      return { logits: mlp("actor"), values: mlp("critic").reshape([-1]) as tf.Tensor1D };
    });
  }

  syncFastForward(): void {
    const copy = (head: string): DenseWeights[] =>
      Array.from({ length: this.hidden.length + 1 }, (_, i) => {
        const w = this.params.get(`${head}.${i}.weight`);
        return {
          w: Float32Array.from(w.dataSync() as Float32Array),
          b: Float32Array.from(this.params.get(`${head}.${i}.bias`).dataSync() as Float32Array),
          inSize: w.shape[0] as number,
          outSize: w.shape[1] as number,
        };
      });
    this.fast = { actor: copy("actor"), critic: copy("critic") };
    const widest = Math.max(...this.hidden, this.inputShape[0] as number, this.numActions);
    this.scratch = new Float64Array(2 * widest);
  }

  fastForward(x: Float32Array, batch: number, logits: Float32Array, values: Float32Array): void {
    if (this.fast === null) this.syncFastForward();
    const fast = this.fast as { actor: DenseWeights[]; critic: DenseWeights[] };
    const inSize = this.inputShape[0] as number;
    for (let s = 0; s < batch; s++) {
      this.mlpForward(fast.actor, x, s * inSize, logits, s * this.numActions);
      this.mlpForward(fast.critic, x, s * inSize, values, s);
    }
  }

  /** One sample through one MLP: tanh hidden layers, linear output written to out[outOffset..]. */
  private mlpForward(
    layers: DenseWeights[],
    x: Float32Array,
    xOffset: number,
    out: Float32Array,
    outOffset: number,
  ): void {
    const scratch = this.scratch;
    const half = scratch.length / 2;
    const inputSize = this.inputShape[0] as number;
    for (let i = 0; i < inputSize; i++) scratch[i] = x[xOffset + i] as number;
    let inBase = 0;
    for (let l = 0; l < layers.length; l++) {
      const { w, b, inSize, outSize } = layers[l] as DenseWeights;
      const outBase = inBase === 0 ? half : 0;
      for (let o = 0; o < outSize; o++) scratch[outBase + o] = b[o] as number;
      for (let i = 0; i < inSize; i++) {
        const xi = scratch[inBase + i] as number;
        const row = i * outSize;
        for (let o = 0; o < outSize; o++)
          scratch[outBase + o] = (scratch[outBase + o] as number) + xi * (w[row + o] as number);
      }
      if (l === layers.length - 1) {
        for (let o = 0; o < outSize; o++) out[outOffset + o] = scratch[outBase + o] as number;
      } else {
        for (let o = 0; o < outSize; o++) scratch[outBase + o] = Math.tanh(scratch[outBase + o] as number);
      }
      inBase = outBase;
    }
  }

  dispose(): void {
    this.params.dispose();
  }
}
