import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";
import { overlapSums } from "./overlap-sums";

/** Smoothing constant of the reference soft Dice. */
export const SOFT_DICE_EPS = 1e-6;

/**
 * The reference reward's soft Dice of a probability map against a binary mask (not thresholded):
 * (2 * sum(G * S) + 1e-6) / (sum(G) + sum(S) + 1e-6), with G = gt > 0 as 0/1 and S = pred, the
 * sums taken in the order of {@link overlapSums} (row-major element order). Two empty maps give 1.
 * For hard (thresholded) Dice use `dice` from the metrics module.
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
  const g = isRowMajor(gt) ? gt : ndarray(rowMajor(gt, new Uint8Array(h * w)), [h, w]);
  const p = isRowMajor(pred) ? pred : ndarray(rowMajor(pred, new Float32Array(h * w)), [h, w]);
  const s = overlapSums(g.data, g.offset, p.data, p.offset, h * w);
  return (2 * s.inter + SOFT_DICE_EPS) / (s.gtCount + s.sum + SOFT_DICE_EPS);
}

function isRowMajor(a: NdArray<Uint8Array> | NdArray<Float32Array>): boolean {
  return a.stride[1] === 1 && a.stride[0] === a.shape[1];
}

/** The elements of a 2-D array in row-major order, written into `out`. */
function rowMajor<T extends Uint8Array | Float32Array>(a: NdArray<T>, out: T): T {
  const [h, w] = a.shape as [number, number];
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) out[r * w + c] = a.get(r, c);
  return out;
}
