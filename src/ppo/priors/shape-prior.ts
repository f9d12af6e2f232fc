import * as tf from "@tensorflow/tfjs";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../../core/errors";
import type { PriorMaps, SemanticPriorProvider } from "../../priors/semantic-prior";
import {
  SHAPE_PRIOR_CLASSES,
  SHAPE_PRIOR_INPUT,
  SHAPE_PRIOR_OUTPUT,
  rgbBytes,
  shapePriorInput,
} from "../../priors/shape-prior-input";
import { bundledShapePriorWeights } from "../../priors/shape-prior-weights";
import { ShapePriorNet } from "./shape-prior-net";

/** Names of the bundled semantic prior providers (an ExplicitAgentConfig's `priorProvider`). */
export type BuiltinPriorName = "synthetic-shapes";

/** The bundled provider names. */
export const BUILTIN_PRIORS: readonly BuiltinPriorName[] = ["synthetic-shapes"];

/**
 * 64-bit content key of an image [h, w, 3] given as row-major bytes: two 32-bit multiplicative
 * hashes (FNV-1a and MurmurHash2 style) over the size and the bytes, read four at a time as
 * 32-bit words when the bytes start on a 4-byte boundary (as a batch's images do), so a cache hit
 * on a 375 x 500 image costs about 140,000 word steps, not 560,000 byte steps. Equal bytes give
 * equal keys either way within one process (the word order is the platform's; keys are never
 * stored).
 */
function imageKey(bytes: Uint8Array, h: number, w: number): string {
  let a = 0x811c9dc5 ^ h,
    b = 0x01000193 ^ w;
  const words = bytes.byteOffset % 4 === 0 ? bytes.length >>> 2 : 0;
  if (words > 0) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    for (let i = 0; i < words; i++) {
      const v = view[i] as number;
      a = Math.imul(a ^ v, 0x01000193);
      b = Math.imul(b ^ v, 0x5bd1e995) ^ (b >>> 15);
    }
  }
  for (let i = words << 2; i < bytes.length; i++) {
    const v = bytes[i] as number;
    a = Math.imul(a ^ v, 0x01000193);
    b = Math.imul(b ^ v, 0x5bd1e995) ^ (b >>> 15);
  }
  return `${h}x${w}:${(a >>> 0).toString(16)}:${(b >>> 0).toString(16)}`;
}

/**
 * The bundled semantic prior of the synthetic shapes dataset (the default SamSegEnv-v0 data):
 * for an image and a category among disc, box, triangle, star, blob and ring, one map
 * [1, 24, 32] float32 of the probability that each cell shows that shape, from the pretrained
 * {@link ShapePriorNet}. It stands in for the reference's CLIP-Surgery prior on data CLIP was
 * never trained for. By default the class probabilities are the mean over the image and its three
 * mirror images (flipped left-right, top-bottom, both; each output mirrored back), one batch of
 * four through the network: the network was trained with random flips, and the average scores a
 * mean shape IoU of 0.745 on its validation scenes against 0.693 for the image alone
 * (`flipAverage: false`). The class probabilities of the last `cacheSize` images are cached by
 * image content, so the episode's later steps cost a hash, not a forward pass.
 *
 * Needs an initialised TensorFlow.js backend (see `selectBackend`).
 *
 * @example
 * ```ts
 * await selectBackend("auto");
 * const prior = new SyntheticShapePrior();
 * const { data, height, width } = await prior.prior(image, "star"); // [24 * 32], 24, 32
 * const agent = new ExplicitAgent(obsSpace, actSpace, {}, 1, prior);
 * ```
 */
export class SyntheticShapePrior implements SemanticPriorProvider {
  readonly channels = 1;
  /** The categories it knows. */
  readonly categories: readonly string[] = SHAPE_PRIOR_CLASSES.slice(1);
  private readonly net: ShapePriorNet;
  private readonly input = new Float32Array(SHAPE_PRIOR_INPUT[0] * SHAPE_PRIOR_INPUT[1] * 3);
  private readonly cache = new Map<string, Float32Array>();
  private readonly cacheSize: number;
  /** Whether the class probabilities average the image and its three mirror images. */
  readonly flipAverage: boolean;

  /**
   * @param options.cacheSize images whose class probabilities are kept (default 256, 21 KiB each:
   *   the whole default synthetic set of 200 images, so a long run computes each image's once).
   * @param options.flipAverage average over the image and its mirror images (default true).
   * @param options.weights float16 weights of the network as `ShapePriorNet.toFloat16` writes
   *   them (default: the bundled ones; `scripts/train-shape-prior.ts` trains others).
   * @throws InvalidArgumentError on a cacheSize that is not a non-negative integer, a
   *   flipAverage that is not a boolean, or weights of the wrong count.
   */
  constructor(options: { cacheSize?: number; flipAverage?: boolean; weights?: Uint16Array } = {}) {
    const size = options.cacheSize ?? 256;
    if (!(Number.isInteger(size) && size >= 0))
      throw new InvalidArgumentError(`SyntheticShapePrior: cacheSize must be a non-negative integer, got ${size}`);
    const flipAverage = options.flipAverage ?? true;
    if (typeof flipAverage !== "boolean")
      throw new InvalidArgumentError(`SyntheticShapePrior: flipAverage must be a boolean, got ${String(flipAverage)}`);
    this.cacheSize = size;
    this.flipAverage = flipAverage;
    this.net = new ShapePriorNet(0);
    try {
      this.net.loadFloat16(options.weights ?? bundledShapePriorWeights());
    } catch (e) {
      this.net.dispose();
      throw e;
    }
  }

  /**
   * Class probabilities [24, 32, 7] (background first) of an image [H, W, 3] uint8 of at least
   * 96x128 pixels.
   */
  async classProbabilities(image: NdArray<Uint8Array>): Promise<Float32Array> {
    const [H, W] = image.shape as [number, number];
    const bytes = rgbBytes(image); // one view (or one copy) serves the key and the input
    const key = imageKey(bytes, H, W);
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.cache.delete(key); // most recently used last
      this.cache.set(key, hit);
      return hit;
    }
    if (!(H >= SHAPE_PRIOR_INPUT[0] && W >= SHAPE_PRIOR_INPUT[1])) {
      throw new InvalidArgumentError(
        `SyntheticShapePrior: images must be at least ${SHAPE_PRIOR_INPUT[0]}x${SHAPE_PRIOR_INPUT[1]}, got ${H}x${W}`,
      );
    }
    shapePriorInput(ndarray(bytes, [H, W, 3]), this.input, 0);
    const probs = tf.tidy(() => {
      const x = tf.tensor4d(this.input, [1, SHAPE_PRIOR_INPUT[0], SHAPE_PRIOR_INPUT[1], 3]);
      if (!this.flipAverage) return tf.softmax(this.net.forward(x), -1);
      // Batch [image, mirrored in x, in y, in both] -> probabilities, each mirrored back, mean.
      // Each mirror is its own inverse, so one helper flips the views and flips the outputs back.
      const mirror = (t: tf.Tensor, axes: number[]): tf.Tensor => (axes.length ? tf.reverse(t, axes) : t);
      const views = tf.concat(FLIP_AXES.map((axes) => mirror(x, axes)));
      const p = tf.split(tf.softmax(this.net.forward(views as tf.Tensor4D), -1), FLIP_AXES.length);
      return tf.mul(tf.addN(p.map((v, i) => mirror(v, FLIP_AXES[i] as number[]))), 1 / FLIP_AXES.length);
    });
    const data = (await probs.data()) as Float32Array;
    probs.dispose();
    if (this.cacheSize > 0) {
      if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, data);
    }
    return data;
  }

  /**
   * The probability map [1, 24, 32] of `category` in `image`.
   * @throws InvalidArgumentError on a category that is not a synthetic shape, or a small image.
   */
  async prior(image: NdArray<Uint8Array>, category: string): Promise<PriorMaps> {
    const k = SHAPE_PRIOR_CLASSES.indexOf(category);
    if (k < 1) {
      throw new InvalidArgumentError(
        `SyntheticShapePrior knows the synthetic shapes ${this.categories.join(", ")}, not ${JSON.stringify(category)}`,
      );
    }
    const probs = await this.classProbabilities(image);
    const [h, w] = SHAPE_PRIOR_OUTPUT;
    const K = SHAPE_PRIOR_CLASSES.length;
    const data = new Float32Array(h * w);
    for (let i = 0; i < h * w; i++) data[i] = probs[i * K + k] as number;
    return { data, height: h, width: w };
  }

  /** Free the network's weights. */
  dispose(): void {
    this.net.dispose();
    this.cache.clear();
  }
}

/** Axes ([B, H, W, C]) of the four views the flip average runs: none, x, y, both. */
const FLIP_AXES: ReadonlyArray<number[]> = [[], [2], [1], [1, 2]];

/**
 * The bundled provider of a name.
 * @throws InvalidArgumentError on an unknown name.
 */
export function builtinPrior(name: string): SemanticPriorProvider & { dispose(): void } {
  if (name === "synthetic-shapes") return new SyntheticShapePrior();
  throw new InvalidArgumentError(
    `unknown prior provider ${JSON.stringify(name)}; bundled: ${BUILTIN_PRIORS.join(", ")}`,
  );
}
