import * as tf from "@tensorflow/tfjs";
import type { Tensor, Tensor1D, Variable } from "./tensor-types";
import { InvalidArgumentError } from "../../core/errors";

/** Adam's serialisable state: the step count and both moment estimates (flat, parameter order). */
export interface AdamState {
  step: number;
  m: Float32Array;
  v: Float32Array;
}

/**
 * Adam (Kingma & Ba) with PyTorch's update rule, over a fixed list of variables:
 *   m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
 *   p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * The moments of all parameters live in one flat vector, so an update is a handful of tfjs
 * calls whatever the number of layers (per-call overhead dominates small networks). The
 * learning rate is an argument of every step (annealing needs no optimizer surgery) and the
 * state can be read and restored exactly (checkpoints).
 *
 * @example
 * ```ts
 * const adam = new Adam(params.variables(), { epsilon: 1e-5 });
 * adam.apply(grads, 2.5e-4);
 * ```
 */
export class Adam {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Number of updates applied so far (t). */
  step = 0;
  private readonly params: tf.Variable[];
  private readonly sizes: number[];
  private readonly total: number;
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;

  constructor(params: Variable[], opts: { beta1?: number; beta2?: number; epsilon?: number } = {}) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-8;
    for (const [name, b] of [
      ["beta1", this.beta1],
      ["beta2", this.beta2],
    ] as const) {
      if (!(b >= 0 && b < 1)) throw new InvalidArgumentError(`Adam: ${name} must be in [0, 1), got ${b}`);
    }
    if (!(this.epsilon > 0)) throw new InvalidArgumentError(`Adam: epsilon must be > 0, got ${this.epsilon}`);
    if (params.length === 0) throw new InvalidArgumentError("Adam: no parameters to optimise");
    this.params = [...params];
    this.sizes = this.params.map((p) => p.size);
    this.total = this.sizes.reduce((a, b) => a + b, 0);
    this.m = tf.variable(tf.zeros([this.total]), false);
    this.v = tf.variable(tf.zeros([this.total]), false);
  }

  /**
   * Flatten gradients aligned with the parameter list into one vector [total] (for global-norm
   * clipping before {@link applyFlat}).
   * @throws InvalidArgumentError when the number of gradients does not match.
   */
  flatten(grads: Tensor[]): Tensor1D {
    if (grads.length !== this.params.length) {
      throw new InvalidArgumentError(`Adam: ${grads.length} gradients for ${this.params.length} parameters`);
    }
    return tf.tidy(() => tf.concat(grads.map((g) => tf.reshape(g, [-1]))) as tf.Tensor1D);
  }

  /** One update with gradients aligned with the parameter list, at learning rate `lr`. */
  apply(grads: Tensor[], lr: number): void {
    tf.tidy(() => this.applyFlat(this.flatten(grads), lr));
  }

  /** One update from a flat gradient [total] (see {@link flatten}), at learning rate `lr`. */
  applyFlat(grad: Tensor1D, lr: number): void {
    if (grad.size !== this.total)
      throw new InvalidArgumentError(`Adam: flat gradient has ${grad.size} values, expected ${this.total}`);
    this.step += 1;
    const stepSize = lr / (1 - this.beta1 ** this.step);
    const sqrtBias2 = Math.sqrt(1 - this.beta2 ** this.step);
    tf.tidy(() => {
      this.m.assign(tf.add(tf.mul(this.m, this.beta1), tf.mul(grad, 1 - this.beta1)));
      this.v.assign(tf.add(tf.mul(this.v, this.beta2), tf.mul(tf.square(grad), 1 - this.beta2)));
      const update = tf.mul(tf.div(this.m, tf.add(tf.div(tf.sqrt(this.v), sqrtBias2), this.epsilon)), stepSize);
      const pieces = tf.split(update, this.sizes);
      this.params.forEach((p, k) => p.assign(tf.sub(p, tf.reshape(pieces[k] as tf.Tensor, p.shape))));
    });
  }

  /** A copy of the state. */
  getState(): AdamState {
    return {
      step: this.step,
      m: Float32Array.from(this.m.dataSync() as Float32Array),
      v: Float32Array.from(this.v.dataSync() as Float32Array),
    };
  }

  /** Restore a state from {@link getState}. @throws InvalidArgumentError on a size mismatch. */
  setState(state: AdamState): void {
    if (
      state.m.length !== this.total ||
      state.v.length !== this.total ||
      !(Number.isInteger(state.step) && state.step >= 0)
    ) {
      throw new InvalidArgumentError(
        `Adam.setState: expected step >= 0 and moments of ${this.total} values, got ${state.m.length} / ${state.v.length}`,
      );
    }
    this.step = state.step;
    tf.tidy(() => {
      this.m.assign(tf.tensor1d(state.m));
      this.v.assign(tf.tensor1d(state.v));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
