import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { DatasetError } from "../../core/errors";
import type { DatasetSample } from "../../data/dataset";
import { resize } from "../../data/resize";
import { show } from "./options";

/** An episode's image and ground truth at the env's image size. */
export interface FittedSample {
  /** [H, W, 3] uint8, the env's own copy. */
  image: NdArray<Uint8Array>;
  /** Instance masks [H, W, K] uint8 (K kept, even K = 1). */
  instances: NdArray<Uint8Array>;
  /** Union of the instances [H, W] uint8 (1 = target). */
  gt: NdArray<Uint8Array>;
}

/**
 * Check a dataset sample and bring it to `size` = [H, W]: the image bilinearly (OpenCV
 * INTER_LINEAR), the masks with nearest neighbour, both copied so the env never shares the
 * dataset's arrays; plus the ground-truth union.
 * @throws DatasetError naming the category (and source) when the sample is malformed.
 */
export function fitSample(sample: DatasetSample, category: string, size: readonly [number, number]): FittedSample {
  const [h, w] = size;
  const { image, masks } = sample ?? ({} as DatasetSample);
  const where = `dataset sample of ${JSON.stringify(category)}${sample?.source ? ` (${sample.source})` : ""}`;
  if (!image || image.dimension !== 3 || image.shape[2] !== 3 || !(image.data instanceof Uint8Array)) {
    throw new DatasetError(`${where}: image must be [h, w, 3] uint8, got shape ${show(image?.shape)}`);
  }
  if (
    !masks ||
    masks.dimension !== 3 ||
    masks.shape[0] !== image.shape[0] ||
    masks.shape[1] !== image.shape[1] ||
    (masks.shape[2] as number) < 1 ||
    !(masks.data instanceof Uint8Array)
  ) {
    throw new DatasetError(
      `${where}: masks must be [h, w, K >= 1] uint8 matching the image [${image.shape}], got ${show(masks?.shape)}`,
    );
  }
  const same = image.shape[0] === h && image.shape[1] === w;
  const outImage = fitImage(image, size);
  const instances = same ? copyDense(masks) : resize(masks, [h, w], "nearest");
  const gt = ndarray(new Uint8Array(h * w), [h, w]);
  const k = instances.shape[2] as number;
  const inst = instances.data;
  const union = gt.data;
  if (k === 1) for (let i = 0; i < h * w; i++) union[i] = inst[i] ? 1 : 0;
  else
    for (let i = 0; i < h * w; i++) {
      let on = 0;
      for (let m = 0; m < k; m++) on |= inst[i * k + m] as number;
      if (on) union[i] = 1;
    }
  return { image: outImage, instances, gt };
}

/**
 * An [h, w, 3] uint8 image at the env's size `size` = [H, W]: a dense copy when it already has
 * that size, else resized bilinearly (OpenCV INTER_LINEAR). These are the pixels the segmenter
 * embeds and the embedding cache is keyed by (`alignsam-gym embed --resize-to H,W` uses it too).
 */
export function fitImage(image: NdArray<Uint8Array>, size: readonly [number, number]): NdArray<Uint8Array> {
  const same = image.shape[0] === size[0] && image.shape[1] === size[1];
  return same ? copyDense(image) : resize(image, [size[0], size[1]], "linear");
}

/** Plane k of a [k, H, W] array as dense row-major data (a view when contiguous, else a copy). */
export function plane(a: NdArray<Float32Array>, k: number): { data: Float32Array; offset: number } {
  const [, h, w] = a.shape as [number, number, number];
  const [s0, s1, s2] = a.stride as [number, number, number];
  if (s2 === 1 && s1 === w) return { data: a.data, offset: a.offset + k * s0 };
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = a.get(k, y, x);
  return { data: out, offset: 0 };
}

/** A dense row-major copy of an [h, w, c] uint8 array. */
function copyDense(a: NdArray<Uint8Array>): NdArray<Uint8Array> {
  const shape = [...a.shape];
  const [, w0, c0] = shape as [number, number, number];
  if (a.stride[2] === 1 && a.stride[1] === c0 && a.stride[0] === w0 * c0)
    return ndarray(a.data.slice(a.offset, a.offset + a.size), shape);
  const out = ndarray(new Uint8Array(a.size), shape);
  const [d0, d1, d2] = shape as [number, number, number];
  let i = 0;
  for (let y = 0; y < d0; y++) for (let x = 0; x < d1; x++) for (let c = 0; c < d2; c++) out.data[i++] = a.get(y, x, c);
  return out;
}
