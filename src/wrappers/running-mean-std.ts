/**
 * Running mean and variance of a stream of scalars (Chan et al.'s parallel update, as
 * Gymnasium's `RunningMeanStd` with `shape=()`). Starts at mean 0, variance 1 and a pseudo-count
 * `epsilon`, so the first updates are slightly shrunk towards that prior.
 *
 * @example
 * ```ts
 * const rms = new RunningMeanStd();
 * for (const x of [1, 2, 3]) rms.update(x);
 * rms.mean; rms.var; // ~2, ~0.667
 * ```
 */
export class RunningMeanStd {
  /** Running mean. */
  mean = 0;
  /** Running (population) variance. */
  var = 1;
  /** Number of samples seen, plus the initial pseudo-count. */
  count: number;

  constructor(epsilon = 1e-4) {
    this.count = epsilon;
  }

  /** Add one sample. */
  update(x: number): void {
    this.updateFromMoments(x, 0, 1);
  }

  /** Merge a batch summarised by its mean, (population) variance and size. */
  updateFromMoments(batchMean: number, batchVar: number, batchCount: number): void {
    const delta = batchMean - this.mean;
    const total = this.count + batchCount;
    const m2 = this.var * this.count + batchVar * batchCount + (delta * delta * this.count * batchCount) / total;
    this.mean += (delta * batchCount) / total;
    this.var = m2 / total;
    this.count = total;
  }
}
