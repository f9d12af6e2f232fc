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
export function overlapSums(
  gt: Uint8Array,
  gtOffset: number,
  pred: Float32Array,
  predOffset: number,
  n: number,
): OverlapSums {
  const partialSum = new Float64Array(4);
  const partialInter = new Float64Array(4);
  const body = n - (n % 4);
  let gtCount = 0;
  let hardPred = 0;
  let hardInter = 0;
  for (let i = 0; i < body; i++) {
    const p = pred[predOffset + i] as number;
    const hard = p > 0.5 ? 1 : 0;
    hardPred += hard;
    partialSum[i & 3] += p;
    if ((gt[gtOffset + i] as number) > 0) {
      gtCount++;
      hardInter += hard;
      partialInter[i & 3] += p;
    }
  }
  const out: OverlapSums = {
    sum: partialSum[0]! + partialSum[1]! + (partialSum[2]! + partialSum[3]!),
    inter: partialInter[0]! + partialInter[1]! + (partialInter[2]! + partialInter[3]!),
    gtCount,
    hardPred,
    hardInter,
  };
  addOverlapTail(out, gt, gtOffset, pred, predOffset, body, n);
  return out;
}

/**
 * Adds elements `from .. n - 1` to `sums` one by one in index order: the tail step of
 * overlapSums' order, shared with the WebAssembly kernel's caller (which sums the body itself).
 * Internal: not exported from the package.
 */
export function addOverlapTail(
  sums: OverlapSums,
  gt: Uint8Array,
  gtOffset: number,
  pred: Float32Array,
  predOffset: number,
  from: number,
  n: number,
): void {
  for (let i = from; i < n; i++) {
    const p = pred[predOffset + i] as number;
    const hard = p > 0.5 ? 1 : 0;
    sums.sum += p;
    sums.hardPred += hard;
    if ((gt[gtOffset + i] as number) > 0) {
      sums.gtCount++;
      sums.inter += p;
      sums.hardInter += hard;
    }
  }
}
