import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";

/** Smoothing constant of the reference soft Dice. */
export const SOFT_DICE_EPS = 1e-6;

/** The sums behind the soft Dice and the IoU at 0.5 of a probability map against a ground truth. */
export interface OverlapSums {
  /** sum(S) */
  sum: number;
  /** sum(G * S) */
  inter: number;
  /** count(G), the foreground pixels */
  gtCount: number;
  /** count(S > 0.5) */
  hardPred: number;
  /** count(G and S > 0.5) */
  hardInter: number;
}

/**
 * The overlap sums of n probabilities `pred[predOffset ..]` (float32) against n ground-truth
 * values `gt[gtOffset ..]` (foreground: > 0). The float64 sums sum(S) and sum(G * S) use one
 * fixed order, which SamSegEnv's WebAssembly kernel uses too (so the numbers are identical):
 * element i goes into partial sum i mod 4 for i < 4 * floor(n / 4); the partials combine as
 * (p0 + p1) + (p2 + p3); the last n mod 4 elements are then added in index order.
 */
export function overlapSums(gt: Uint8Array, gtOffset: number, pred: Float32Array, predOffset: number, n: number): OverlapSums {
  const partialSum = new Float64Array(4);
  const partialInter = new Float64Array(4);
  const out: OverlapSums = { sum: 0, inter: 0, gtCount: 0, hardPred: 0, hardInter: 0 };
  const body = n - (n % 4);
  for (let i = 0; i < n; i++) {
    if (i === body) {
      out.sum = partialSum[0]! + partialSum[1]! + (partialSum[2]! + partialSum[3]!);
      out.inter = partialInter[0]! + partialInter[1]! + (partialInter[2]! + partialInter[3]!);
    }
    const p = pred[predOffset + i] as number;
    const foreground = (gt[gtOffset + i] as number) > 0;
    const hard = p > 0.5 ? 1 : 0;
    out.hardPred += hard;
    if (foreground) {
      out.gtCount++;
      out.hardInter += hard;
    }
    if (i < body) {
      partialSum[i & 3] += p;
      if (foreground) partialInter[i & 3] += p;
    } else {
      out.sum += p;
      if (foreground) out.inter += p;
    }
  }
  if (body === n) {
    out.sum = partialSum[0]! + partialSum[1]! + (partialSum[2]! + partialSum[3]!);
    out.inter = partialInter[0]! + partialInter[1]! + (partialInter[2]! + partialInter[3]!);
  }
  return out;
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
