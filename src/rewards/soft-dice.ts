import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";

/** Smoothing constant of the reference soft Dice. */
export const SOFT_DICE_EPS = 1e-6;

/**
 * The reference reward's soft Dice of a probability map against a binary mask (not thresholded):
 * (2 * sum(G * S) + 1e-6) / (sum(G) + sum(S) + 1e-6), with G = gt > 0 as 0/1 and S = pred.
 * Two empty maps give 1. For hard (thresholded) Dice use `dice` from the metrics module.
 *
 * @param gt [H, W] ground truth, any value > 0 is foreground.
 * @param pred [H, W] probabilities in [0, 1].
 * @throws InvalidArgumentError when the shapes differ.
 */
export function softDice(gt: NdArray<Uint8Array>, pred: NdArray<Float32Array>): number {
  const [h, w] = gt.shape as [number, number];
  if (gt.dimension !== 2 || pred.dimension !== 2 || pred.shape[0] !== h || pred.shape[1] !== w) {
    throw new InvalidArgumentError(`softDice needs two [H, W] arrays of one shape, got [${gt.shape}] and [${pred.shape}]`);
  }
  let inter = 0;
  let sumG = 0;
  let sumS = 0;
  if (isRowMajor(gt) && isRowMajor(pred)) {
    const g = gt.data;
    const s = pred.data;
    const go = gt.offset;
    const so = pred.offset;
    const n = h * w;
    for (let i = 0; i < n; i++) {
      const p = s[so + i] as number;
      sumS += p;
      if ((g[go + i] as number) > 0) {
        sumG += 1;
        inter += p;
      }
    }
  } else {
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const p = pred.get(r, c);
        sumS += p;
        if (gt.get(r, c) > 0) {
          sumG += 1;
          inter += p;
        }
      }
    }
  }
  return (2 * inter + SOFT_DICE_EPS) / (sumG + sumS + SOFT_DICE_EPS);
}

function isRowMajor(a: NdArray<Uint8Array> | NdArray<Float32Array>): boolean {
  return a.stride[1] === 1 && a.stride[0] === a.shape[1];
}
