import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";
import { overlapSums } from "./overlap-sums";
import type { OverlapSums } from "./overlap-sums";

/** Smoothing constant of the reference soft Dice. */
export const SOFT_DICE_EPS = 1e-6;

/**
 * The reference soft Dice from overlap sums: (2 * sum(G * S) + 1e-6) / (sum(G) + sum(S) + 1e-6).
 * The one copy of the formula ({@link softDice} and SamSegEnv's step both use it).
 */
export function softDiceFromSums(s: OverlapSums): number {
  return (2 * s.inter + SOFT_DICE_EPS) / (s.gtCount + s.sum + SOFT_DICE_EPS);
}

/**
 * IoU of the prediction thresholded at 0.5 (S > 0.5) against the ground truth, from overlap
 * sums: count(G and S > 0.5) / count(G or S > 0.5); 1 when both are empty.
 */
export function hardIouFromSums(s: OverlapSums): number {
  const union = s.gtCount + s.hardPred - s.hardInter;
  return union === 0 ? 1 : s.hardInter / union;
}

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
    throw new InvalidArgumentError(
      `softDice needs two [H, W] arrays of one shape, got [${gt.shape}] and [${pred.shape}]`,
    );
  }
  const g = isRowMajor(gt) ? gt : ndarray(rowMajor(gt, new Uint8Array(h * w)), [h, w]);
  const p = isRowMajor(pred) ? pred : ndarray(rowMajor(pred, new Float32Array(h * w)), [h, w]);
  return softDiceFromSums(overlapSums(g.data, g.offset, p.data, p.offset, h * w));
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
