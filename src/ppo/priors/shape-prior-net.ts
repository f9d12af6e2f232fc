import * as tf from "@tensorflow/tfjs";
import type { Tensor4D } from "../nn/tensor-types";
import { Rng } from "../../core/rng";
import { InvalidArgumentError } from "../../core/errors";
import { SHAPE_PRIOR_CLASSES } from "../../priors/shape-prior-input";
import { float16ToFloat32, float32ToFloat16 } from "../../core/float16";
import { addConv, conv } from "../nn/layers";
import { ParameterSet } from "../nn/parameters";

/**
 * The synthetic-shapes prior network: a small fully convolutional classifier that maps an RGB
 * image, box-filtered to [96, 128], to per-cell class logits [24, 32, 7] over
 * {@link SHAPE_PRIOR_CLASSES} (background, then the six synthetic shape categories). It plays
 * the part CLIP Surgery plays in the reference: pretrained knowledge of what each category looks
 * like, trained once by `scripts/train-shape-prior.ts` on generated scenes (a seed no env or
 * eval set uses) and bundled as float16 weights (`src/priors/generated/shape-prior-weights.ts`).
 *
 * Layers (3x3 convs, ReLU, "same" padding): 16 @96x128, 32 @48x64 (stride 2), 32, 48 @24x32
 * (stride 2), 48 (the skip), 64 @12x16 (stride 2), 64, then the 12x16 features upsampled 2x
 * (nearest), concatenated with the skip, a 3x3 conv to 48 and a 1x1 conv to the 7 logits.
 *
 * @example
 * ```ts
 * const net = new ShapePriorNet(0);
 * const x = new Float32Array(96 * 128 * 3);
 * shapePriorInput(image, x, 0);
 * const logits = net.forward(tf.tensor4d(x, [1, 96, 128, 3])); // [1, 24, 32, 7]
 * ```
 */
export class ShapePriorNet {
  readonly params = new ParameterSet();
  private readonly up = tf.keep(tf.ones([1, 1, 2, 1, 2, 1]));

  /** @param seed seeds the orthogonal initialisation (weights are usually loaded afterwards). */
  constructor(seed: number) {
    const rng = new Rng(seed);
    for (const [name, inC, outC] of TRUNK) addConv(this.params, name, inC, outC, 3, Math.SQRT2, rng);
    addConv(this.params, "head", 64 + 48, 48, 3, Math.SQRT2, rng);
    addConv(this.params, "logits", 48, SHAPE_PRIOR_CLASSES.length, 1, 1, rng);
  }

  /** x [B, 96, 128, 3] (see {@link shapePriorInput}) -> class logits [B, 24, 32, 7]. */
  forward(x: Tensor4D): Tensor4D {
    return tf.tidy(() => {
      let h = x;
      let skip: tf.Tensor4D | null = null;
      for (const [name, , , stride] of TRUNK) {
        h = tf.relu(conv(this.params, name, h, stride, "same"));
        if (name === SKIP_LAYER) skip = h;
      }
      const [b, gh, gw, c] = h.shape;
      const upsampled = tf.mul(h.reshape([b, gh, 1, gw, 1, c]), this.up).reshape([b, 2 * gh, 2 * gw, c]) as tf.Tensor4D;
      const fused = tf.concat([upsampled, skip as tf.Tensor4D], 3) as tf.Tensor4D;
      return conv(this.params, "logits", tf.relu(conv(this.params, "head", fused, 1, "same")), 1, "same");
    });
  }

  /** All weights as float16 bits, in parameter order. */
  toFloat16(): Uint16Array {
    const arrays = this.params.toArrays();
    const out = new Uint16Array(this.params.count);
    let offset = 0;
    for (const { data } of arrays) {
      for (let i = 0; i < data.length; i++) out[offset + i] = float32ToFloat16(data[i] as number);
      offset += data.length;
    }
    return out;
  }

  /**
   * Load float16 weights written by {@link toFloat16}.
   * @throws InvalidArgumentError when the count does not match this network.
   */
  loadFloat16(bits: Uint16Array): void {
    const total = this.params.count;
    if (bits.length !== total)
      throw new InvalidArgumentError(`shape prior weights: ${bits.length} values for a network of ${total}`);
    let offset = 0;
    const arrays = this.params.toArrays().map(({ name, shape, data }) => {
      for (let i = 0; i < data.length; i++) data[i] = float16ToFloat32(bits[offset + i] as number);
      offset += data.length;
      return { name, shape, data };
    });
    this.params.load(arrays);
  }

  /** Free the weights. */
  dispose(): void {
    this.params.dispose();
    this.up.dispose();
  }
}

/** Trunk convs: name, input channels, output channels, stride. */
const TRUNK: ReadonlyArray<readonly [string, number, number, number]> = [
  ["conv1", 3, 16, 1],
  ["conv2", 16, 32, 2],
  ["conv3", 32, 32, 1],
  ["conv4", 32, 48, 2],
  ["conv5", 48, 48, 1],
  ["conv6", 48, 64, 2],
  ["conv7", 64, 64, 1],
];
const SKIP_LAYER = "conv5";
