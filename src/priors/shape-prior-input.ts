import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";
import { SYNTHETIC_SHAPES } from "../data/synthetic/shapes";

// The tfjs-free half of the synthetic-shapes prior: its classes, sizes and input encoding. The
// network itself (tfjs) is src/ppo/priors/shape-prior-net.ts.

/** Classes of the prior network's logits: background, then {@link SYNTHETIC_SHAPES}. */
export const SHAPE_PRIOR_CLASSES: readonly string[] = Object.freeze(["background", ...SYNTHETIC_SHAPES]);

/** Input size [H, W] of the prior network. */
export const SHAPE_PRIOR_INPUT: readonly [number, number] = [96, 128];

/** Output size [h, w] of the prior network (a quarter of the input). */
export const SHAPE_PRIOR_OUTPUT: readonly [number, number] = [24, 32];

/**
 * Box-filter an [H, W, C] uint8 or float array to [h, w, C] into out[offset..]: output pixel
 * (y, x) is the mean of source rows floor(y H / h) .. floor((y + 1) H / h) - 1 and the same
 * columns (every source pixel counts once). Needs h <= H and w <= W. Pure.
 */
export function boxDownsample(
  src: ArrayLike<number>,
  srcSize: readonly [number, number],
  channels: number,
  dstSize: readonly [number, number],
  out: Float32Array,
  offset: number,
): void {
  const [H, W] = srcSize;
  const [h, w] = dstSize;
  if (!(h >= 1 && w >= 1 && h <= H && w <= W))
    throw new InvalidArgumentError(`boxDownsample: cannot shrink [${H}, ${W}] to [${h}, ${w}]`);
  const acc = new Float64Array(w * channels);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * H) / h),
      y1 = Math.floor(((y + 1) * H) / h);
    acc.fill(0);
    for (let sy = y0; sy < y1; sy++) {
      for (let x = 0; x < w; x++) {
        const x0 = Math.floor((x * W) / w),
          x1 = Math.floor(((x + 1) * W) / w);
        for (let sx = x0; sx < x1; sx++) {
          const s = (sy * W + sx) * channels;
          for (let c = 0; c < channels; c++)
            acc[x * channels + c] = (acc[x * channels + c] as number) + (src[s + c] as number);
        }
      }
    }
    for (let x = 0; x < w; x++) {
      const n = (y1 - y0) * (Math.floor(((x + 1) * W) / w) - Math.floor((x * W) / w));
      for (let c = 0; c < channels; c++)
        out[offset + (y * w + x) * channels + c] = (acc[x * channels + c] as number) / n;
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
  if (image.shape.length !== 3 || C !== 3)
    throw new InvalidArgumentError(`shape prior: image must be [H, W, 3], got [${image.shape.join(", ")}]`);
  if (image.stride[0] === W * 3 && image.stride[1] === 3 && image.stride[2] === 1)
    return image.data.subarray(image.offset, image.offset + H * W * 3);
  const data = new Uint8Array(H * W * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) data[(y * W + x) * 3 + c] = image.get(y, x, c);
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
  for (let i = 0; i < h * w; i++)
    for (let c = 0; c < 3; c++) mean[c] = (mean[c] as number) + (out[offset + i * 3 + c] as number);
  for (let c = 0; c < 3; c++) mean[c] = (mean[c] as number) / (h * w);
  for (let i = 0; i < h * w; i++)
    for (let c = 0; c < 3; c++)
      out[offset + i * 3 + c] = ((out[offset + i * 3 + c] as number) - (mean[c] as number)) / 64;
}
