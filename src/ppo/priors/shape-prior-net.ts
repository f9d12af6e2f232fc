import * as tf from "@tensorflow/tfjs";
import type { NdArray } from "ndarray";
import { Rng } from "../../core/rng";
import { InvalidArgumentError } from "../../core/errors";
import { SYNTHETIC_SHAPES } from "../../data/synthetic/shapes";
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
  forward(x: tf.Tensor4D): tf.Tensor4D {
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
    if (bits.length !== total) throw new InvalidArgumentError(`shape prior weights: ${bits.length} values for a network of ${total}`);
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

/** Classes of the prior network's logits: background, then {@link SYNTHETIC_SHAPES}. */
export const SHAPE_PRIOR_CLASSES: readonly string[] = Object.freeze(["background", ...SYNTHETIC_SHAPES]);

/** Input size [H, W] of the prior network. */
export const SHAPE_PRIOR_INPUT: readonly [number, number] = [96, 128];

/** Output size [h, w] of the prior network (a quarter of the input). */
export const SHAPE_PRIOR_OUTPUT: readonly [number, number] = [24, 32];

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

/**
 * Box-filter an [H, W, C] uint8 or float array to [h, w, C] into out[offset..]: output pixel
 * (y, x) is the mean of source rows floor(y H / h) .. floor((y + 1) H / h) - 1 and the same
 * columns (every source pixel counts once). Needs h <= H and w <= W. Pure.
 */
export function boxDownsample(src: ArrayLike<number>, srcSize: readonly [number, number], channels: number, dstSize: readonly [number, number], out: Float32Array, offset: number): void {
  const [H, W] = srcSize;
  const [h, w] = dstSize;
  if (!(h >= 1 && w >= 1 && h <= H && w <= W)) throw new InvalidArgumentError(`boxDownsample: cannot shrink [${H}, ${W}] to [${h}, ${w}]`);
  const acc = new Float64Array(w * channels);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * H) / h), y1 = Math.floor(((y + 1) * H) / h);
    acc.fill(0);
    for (let sy = y0; sy < y1; sy++) {
      for (let x = 0; x < w; x++) {
        const x0 = Math.floor((x * W) / w), x1 = Math.floor(((x + 1) * W) / w);
        for (let sx = x0; sx < x1; sx++) {
          const s = (sy * W + sx) * channels;
          for (let c = 0; c < channels; c++) acc[x * channels + c] = (acc[x * channels + c] as number) + (src[s + c] as number);
        }
      }
    }
    for (let x = 0; x < w; x++) {
      const n = (y1 - y0) * (Math.floor(((x + 1) * W) / w) - Math.floor((x * W) / w));
      for (let c = 0; c < channels; c++) out[offset + (y * w + x) * channels + c] = (acc[x * channels + c] as number) / n;
    }
  }
}

/**
 * The bytes of an RGB image [H, W, 3] uint8 in row-major order: a view of its data when it is
 * laid out densely (also a view into a batch), else a copy.
 * @throws InvalidArgumentError when the image is not [H, W, 3].
 */
export function rgbBytes(image: NdArray<Uint8Array>): Uint8Array {
  const [H, W, C] = image.shape as [number, number, number];
  if (image.shape.length !== 3 || C !== 3) throw new InvalidArgumentError(`shape prior: image must be [H, W, 3], got [${image.shape.join(", ")}]`);
  if (image.stride[0] === W * 3 && image.stride[1] === 3 && image.stride[2] === 1) return image.data.subarray(image.offset, image.offset + H * W * 3);
  const data = new Uint8Array(H * W * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) data[(y * W + x) * 3 + c] = image.get(y, x, c);
  return data;
}

/**
 * The network input of an RGB image [H, W, 3] uint8 (any size of at least 96x128): the image
 * box-filtered to [96, 128, 3], minus its per-channel mean, divided by 64, written at
 * out[offset..offset + 96 * 128 * 3].
 */
export function shapePriorInput(image: NdArray<Uint8Array>, out: Float32Array, offset: number): void {
  const [H, W] = image.shape as [number, number, number];
  const data = rgbBytes(image);
  const [h, w] = SHAPE_PRIOR_INPUT;
  boxDownsample(data, [H, W], 3, [h, w], out, offset);
  const mean = [0, 0, 0];
  for (let i = 0; i < h * w; i++) for (let c = 0; c < 3; c++) mean[c] = (mean[c] as number) + (out[offset + i * 3 + c] as number);
  for (let c = 0; c < 3; c++) mean[c] = (mean[c] as number) / (h * w);
  for (let i = 0; i < h * w; i++) for (let c = 0; c < 3; c++) out[offset + i * 3 + c] = ((out[offset + i * 3 + c] as number) - (mean[c] as number)) / 64;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half-precision bits of a float32 value (round to nearest even; overflow to Inf). */
export function float32ToFloat16(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && (m & 1))) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1))) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

/** The float value of IEEE half-precision bits. */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
