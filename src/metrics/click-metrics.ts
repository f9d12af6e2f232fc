import { InvalidArgumentError } from "../core/errors";

function checkThreshold(threshold: number): void {
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new InvalidArgumentError(`threshold must be an IoU in [0, 1], got ${threshold}`);
  }
}

function checkMaxClicks(maxClicks: number): void {
  if (!Number.isInteger(maxClicks) || maxClicks < 1) {
    throw new InvalidArgumentError(`maxClicks must be a positive integer, got ${maxClicks}`);
  }
}

/**
 * Number of clicks to reach an IoU threshold for one sample: 1 + the index of the first entry
 * of `ious` (IoU after click 1, 2, ...) that is >= `threshold`, or `maxClicks` if none of the
 * first `maxClicks` entries reaches it (the standard NoC@85 / NoC@90 convention).
 *
 * @example
 * ```ts
 * nocAt([0.7, 0.88, 0.93], 0.9);  // 3
 * nocAt([0.7, 0.88], 0.9, 20);    // 20 (never reached)
 * ```
 */
export function nocAt(ious: ArrayLike<number>, threshold: number, maxClicks = 20): number {
  checkThreshold(threshold);
  checkMaxClicks(maxClicks);
  const n = Math.min(ious.length, maxClicks);
  for (let i = 0; i < n; i++) if (ious[i] >= threshold) return i + 1;
  return maxClicks;
}

/**
 * Number of failures NoF@t: how many samples never reach `threshold` within `maxClicks` clicks.
 * `iousPerSample[s][i]` is the IoU of sample s after click i + 1.
 *
 * @example
 * ```ts
 * nofAt([[0.95], [0.5, 0.6]], 0.9); // 1
 * ```
 */
export function nofAt(iousPerSample: ReadonlyArray<ArrayLike<number>>, threshold: number, maxClicks = 20): number {
  checkThreshold(threshold);
  checkMaxClicks(maxClicks);
  let failures = 0;
  for (const ious of iousPerSample) {
    const n = Math.min(ious.length, maxClicks);
    let reached = false;
    for (let i = 0; i < n && !reached; i++) reached = ious[i] >= threshold;
    if (!reached) failures++;
  }
  return failures;
}

/**
 * Mean NoC@t over samples (the figure papers report).
 *
 * @example
 * ```ts
 * meanNocAt([[0.95], [0.5, 0.92]], 0.9); // (1 + 2) / 2 = 1.5
 * ```
 */
export function meanNocAt(iousPerSample: ReadonlyArray<ArrayLike<number>>, threshold: number, maxClicks = 20): number {
  if (iousPerSample.length === 0) throw new InvalidArgumentError("meanNocAt needs at least one sample");
  let sum = 0;
  for (const ious of iousPerSample) sum += nocAt(ious, threshold, maxClicks);
  return sum / iousPerSample.length;
}

/**
 * mIoU@k: mean over samples of the IoU after k clicks. A sample whose curve is shorter than k
 * (its run stopped early) contributes its last IoU.
 *
 * @example
 * ```ts
 * meanIouAt([[0.5, 0.8], [0.7, 0.9]], 2); // 0.85
 * ```
 */
export function meanIouAt(iousPerSample: ReadonlyArray<ArrayLike<number>>, k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`k must be a positive integer, got ${k}`);
  if (iousPerSample.length === 0) throw new InvalidArgumentError("meanIouAt needs at least one sample");
  let sum = 0;
  for (const [s, ious] of iousPerSample.entries()) {
    if (ious.length === 0) throw new InvalidArgumentError(`sample ${s} has an empty IoU curve`);
    sum += ious[Math.min(k, ious.length) - 1];
  }
  return sum / iousPerSample.length;
}
