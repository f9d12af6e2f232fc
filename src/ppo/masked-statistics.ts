/**
 * Statistics over rollout rows that skip masked rows (NEXT_STEP reset rows): per-minibatch
 * advantage normalisation and CleanRL's explained variance. Pure functions over typed arrays.
 */

/**
 * In place: x <- (x - mean) / (std + 1e-8) over the rows with mask 1 (unbiased std, as
 * torch's `Tensor.std`); rows with mask 0 are set to 0. `count` is the number of rows with mask 1.
 */
export function normalizeMasked(x: Float32Array, mask: Float32Array, count: number): void {
  let mean = 0;
  for (let j = 0; j < x.length; j++) mean += (x[j] as number) * (mask[j] as number);
  mean /= count;
  let sq = 0;
  for (let j = 0; j < x.length; j++) if (mask[j]) sq += ((x[j] as number) - mean) ** 2;
  const std = count > 1 ? Math.sqrt(sq / (count - 1)) : 0;
  for (let j = 0; j < x.length; j++) x[j] = mask[j] ? ((x[j] as number) - mean) / (std + 1e-8) : 0;
}

/**
 * CleanRL's explained variance 1 - Var(target - pred) / Var(target) over the rows whose
 * `resetRows` entry is 0 (population variances); NaN when no row counts or Var(target) = 0.
 */
export function explainedVariance(pred: Float32Array, target: Float32Array, resetRows: Uint8Array): number {
  let n = 0,
    my = 0,
    md = 0;
  for (let k = 0; k < pred.length; k++) {
    if (resetRows[k]) continue;
    n++;
    my += target[k] as number;
    md += (target[k] as number) - (pred[k] as number);
  }
  if (n === 0) return NaN;
  my /= n;
  md /= n;
  let vy = 0,
    vd = 0;
  for (let k = 0; k < pred.length; k++) {
    if (resetRows[k]) continue;
    vy += ((target[k] as number) - my) ** 2;
    vd += ((target[k] as number) - (pred[k] as number) - md) ** 2;
  }
  return vy === 0 ? NaN : 1 - vd / vy;
}
