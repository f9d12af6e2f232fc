import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import type { ActorCritic } from "./agents/agent";
import type { Adam } from "./nn/adam";
import type { PpoHyperparameters, PpoSizes } from "./hyperparameters";
import { normalizeMasked } from "./masked-statistics";
import { ppoLossGradient } from "./ppo-loss";
import { Minibatch } from "./rollout-buffer";
import type { RolloutBuffer } from "./rollout-buffer";

/** CleanRL's logged loss scalars of one update. */
export interface UpdateStats {
  /** losses/policy_loss, value_loss, entropy, old_approx_kl, approx_kl of the last minibatch (as CleanRL). */
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  oldApproxKl: number;
  approxKl: number;
  /** Mean over all minibatches of the fraction of clipped ratios. */
  clipfrac: number;
  /** Epochs actually run (fewer than updateEpochs when targetKl stopped the update). */
  epochs: number;
}

/**
 * The optimisation phase of a PPO iteration: `updateEpochs` epochs over shuffled minibatches of
 * a {@link RolloutBuffer}, each a gradient step on the clipped surrogate, the (clipped) value
 * loss and the entropy bonus, with per-minibatch advantage normalisation over the unmasked rows,
 * global-norm gradient clipping and Adam. Minibatch buffers are allocated once.
 *
 * @example
 * ```ts
 * const update = new PpoUpdate(agent, optimizer, hp);
 * const stats = update.run(buffer, gae.advantages, gae.returns, lr, shuffleRng);
 * ```
 */
export class PpoUpdate {
  private readonly agent: ActorCritic;
  private readonly optimizer: Adam;
  private readonly hp: PpoHyperparameters & PpoSizes;
  private readonly variables: tf.Variable[];
  private readonly mb: Minibatch;
  private readonly buffers: LossBuffers;

  /** @param withActionMasks the rollout stores action masks (the loss then ignores masked actions). */
  constructor(agent: ActorCritic, optimizer: Adam, hp: PpoHyperparameters & PpoSizes, withActionMasks = false) {
    this.agent = agent;
    this.optimizer = optimizer;
    this.hp = hp;
    this.variables = agent.params.variables();
    const M = hp.minibatchSize;
    const n = agent.numActions;
    this.mb = new Minibatch(
      M,
      agent.inputShape.reduce((a, b) => a * b, 1),
      n,
      withActionMasks,
    );
    this.buffers = {
      weights: new Float32Array(M),
      dLogits: new Float64Array(M * n),
      dValues: new Float64Array(M),
      dLogits32: new Float32Array(M * n),
      dValues32: new Float32Array(M),
    };
  }

  /**
   * Run the update on a filled rollout; returns CleanRL's logged loss scalars. Mirrors ppo.py
   * (vwxyzjn/cleanrl fe8d8a0) 241-292: shuffle per epoch (245), minibatches (246-248),
   * per-minibatch advantage normalisation (261-262), one gradient step each (minibatchStep:
   * 250-290), the target-KL stop after an epoch (292).
   */
  run(
    buffer: RolloutBuffer,
    advantages: Float32Array,
    returns: Float32Array,
    lr: number,
    shuffleRng: Rng,
  ): UpdateStats {
    const { batchSize, minibatchSize: M, updateEpochs } = this.hp;
    const mb = this.mb;
    let last: Float32Array = new Float32Array(6);
    let clipfracSum = 0;
    let minibatches = 0;
    let epochs = 0;
    for (let epoch = 0; epoch < updateEpochs; epoch++) {
      epochs++;
      const order = shuffleRng.permutation(batchSize);
      for (let start = 0; start < batchSize; start += M) {
        const count = buffer.gather(order, start, advantages, returns, mb);
        if (count === 0) continue;
        if (this.hp.normAdv) normalizeMasked(mb.advantages, mb.mask, count);
        for (let j = 0; j < M; j++) this.buffers.weights[j] = (mb.mask[j] as number) / count;
        last = this.minibatchStep(lr);
        clipfracSum += last[5] as number;
        minibatches++;
      }
      if (this.hp.targetKl !== null && (last[4] as number) > this.hp.targetKl) break;
    }
    return {
      policyLoss: last[0] as number,
      valueLoss: last[1] as number,
      entropy: last[2] as number,
      oldApproxKl: last[3] as number,
      approxKl: last[4] as number,
      clipfrac: minibatches > 0 ? clipfracSum / minibatches : 0,
      epochs,
    };
  }

  /**
   * One gradient step on the current minibatch; returns [policy loss, value loss, entropy, old
   * approx-KL, approx-KL, clipfrac] (means over the unmasked rows, weighted by mask / count).
   *
   * The network runs in tfjs; the PPO loss and its gradient with respect to the network's
   * outputs are computed in plain JS ({@link ppoLossGradient}: at minibatch sizes, dozens of
   * tiny tfjs ops cost far more than the arithmetic), and tfjs backpropagates them through the
   * network via the surrogate sum(logits * dLogits) + sum(values * dValues), whose parameter
   * gradient is exactly the loss's. Then global-norm clipping and Adam, in tfjs.
   */
  private minibatchStep(lr: number): Float32Array {
    const { mb, buffers: buf } = this;
    const M = mb.size;
    const n = this.agent.numActions;
    let stats: Float32Array = new Float32Array(6);
    tf.tidy(() => {
      const x = tf.tensor(mb.obs, [M, ...this.agent.inputShape]);
      const { grads } = tf.variableGrads(() => {
        const { logits, values } = this.agent.forward(x);
        stats = ppoLossGradient(
          {
            rows: M,
            numActions: n,
            logits: logits.dataSync() as Float32Array,
            values: values.dataSync() as Float32Array,
            actions: mb.actions,
            oldLogProbs: mb.logProbs,
            oldValues: mb.values,
            advantages: mb.advantages,
            returns: mb.returns,
            weights: buf.weights,
            ...(mb.actionMasks !== null ? { actionMasks: mb.actionMasks } : {}),
          },
          this.hp,
          buf.dLogits,
          buf.dValues,
        );
        buf.dLogits32.set(buf.dLogits);
        buf.dValues32.set(buf.dValues);
        return tf.add(
          tf.sum(tf.mul(logits, tf.tensor2d(buf.dLogits32, [M, n]))),
          tf.sum(tf.mul(values, tf.tensor1d(buf.dValues32))),
        ) as tf.Scalar;
      }, this.variables);
      const flat = this.optimizer.flatten(this.variables.map((v) => grads[v.name] as tf.Tensor));
      // ppo.py 289: global-norm clipping (torch.nn.utils.clip_grad_norm_): scale = min(1, max / (norm + 1e-6)); 290: Adam.
      const norm = tf.sqrt(tf.sum(tf.square(flat)));
      const scale = tf.minimum(tf.div(this.hp.maxGradNorm, tf.add(norm, 1e-6)), 1);
      this.optimizer.applyFlat(tf.mul(flat, scale), lr);
    });
    return stats;
  }
}

/** Per-minibatch loss buffers (allocated once). */
interface LossBuffers {
  /** Row weights mask / count [M]. */
  weights: Float32Array;
  /** dLoss/dlogits [M, numActions] and dLoss/dvalues [M], and their float32 copies for upload. */
  dLogits: Float64Array;
  dValues: Float64Array;
  dLogits32: Float32Array;
  dValues32: Float32Array;
}
