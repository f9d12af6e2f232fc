import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";
import type { SegmenterPrompt } from "./promptable-segmenter";
import { SAM_LOW_RES_SIZE } from "./sam-frame";

/**
 * Check a prompt against the contract of {@link PromptableSegmenter.predict}: points inside the
 * image (x in [0, W], y in [0, H]), one 0/1 label per point, [256, 256] maskInput, boolean
 * multimask and reuseOutput. Throws an InvalidArgumentError naming the bad value.
 */
export function checkPrompt(prompt: SegmenterPrompt): void {
  const { points, labels, imageSize } = prompt;
  if (!Array.isArray(imageSize) || imageSize.length !== 2) {
    throw new InvalidArgumentError(`prompt.imageSize must be [H, W], got ${JSON.stringify(imageSize)}`);
  }
  const [h, w] = imageSize;
  if (!Array.isArray(points) || !Array.isArray(labels) || points.length !== labels.length) {
    throw new InvalidArgumentError(
      `prompt.points and prompt.labels must be arrays of the same length, got ${points?.length} and ${labels?.length}`,
    );
  }
  points.forEach((pt, i) => {
    const [x, y] = pt ?? [];
    if (!Number.isFinite(x) || !Number.isFinite(y) || x < 0 || y < 0 || x > w || y > h) {
      throw new InvalidArgumentError(`prompt.points[${i}] = (${x}, ${y}) is not a point inside the ${h}x${w} image`);
    }
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new InvalidArgumentError(`prompt.labels[${i}] must be 1 (positive) or 0 (negative), got ${labels[i]}`);
    }
  });
  for (const flag of ["multimask", "reuseOutput"] as const) {
    const v: unknown = prompt[flag];
    if (v !== undefined && typeof v !== "boolean") {
      throw new InvalidArgumentError(`prompt.${flag} must be a boolean, got ${JSON.stringify(v) ?? String(v)}`);
    }
  }
  const m = prompt.maskInput;
  if (m !== undefined) {
    const shape = m?.shape;
    const ok =
      Array.isArray(shape) &&
      (shape.length === 2 ||
        (shape.length === 3 && shape[0] === 1) ||
        (shape.length === 4 && shape[0] === 1 && shape[1] === 1));
    if (!ok || shape[shape.length - 1] !== SAM_LOW_RES_SIZE || shape[shape.length - 2] !== SAM_LOW_RES_SIZE) {
      throw new InvalidArgumentError(
        `prompt.maskInput must be [256, 256] low-res logits, got shape [${shape?.join(", ")}]`,
      );
    }
  }
}

/** Throw unless `embedding` has exactly `shape`; returns its data as a dense row-major Float32Array. */
export function denseEmbedding(embedding: NdArray<Float32Array>, shape: readonly number[]): Float32Array {
  const got = embedding?.shape;
  if (!Array.isArray(got) || got.length !== shape.length || got.some((v, i) => v !== shape[i])) {
    throw new InvalidArgumentError(`embedding must have shape [${shape.join(", ")}], got [${got?.join(", ")}]`);
  }
  return denseFloat32(embedding);
}

/** The values of an ndarray as a dense row-major Float32Array (no copy when already dense float32). */
export function denseFloat32(a: NdArray): Float32Array {
  const shape = a.shape;
  const size = shape.reduce((p, v) => p * v, 1);
  let expect = 1,
    dense = a.offset === 0;
  for (let d = shape.length - 1; d >= 0 && dense; d--) {
    if (shape[d] !== 1 && a.stride[d] !== expect) dense = false;
    expect *= shape[d];
  }
  if (dense && a.data instanceof Float32Array && a.data.length === size) return a.data;
  const out = new Float32Array(size);
  const idx = new Array<number>(shape.length).fill(0);
  const src = a.data as ArrayLike<number>;
  for (let i = 0; i < size; i++) {
    let p = a.offset;
    for (let d = 0; d < shape.length; d++) p += idx[d] * a.stride[d];
    out[i] = src[p];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}
