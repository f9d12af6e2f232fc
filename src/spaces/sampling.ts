import { SpaceError } from "../core/errors";
import type { Rng } from "../core/rng";
import { formatValue } from "./nd";

/** Mask and probability helpers shared by the spaces' `sample` methods (internal to src/spaces). */

/** Options of `sample` for spaces that accept a mask or a probability vector. */
export interface SpaceSampleOptions<M = unknown, P = unknown> {
  /** Which values are allowed (Gymnasium's `mask`); see each space for its form. */
  mask?: M;
  /** Probability of each value (Gymnasium's `probability`); see each space for its form. */
  probability?: P;
}

/** Throws when both a mask and a probability are given (Gymnasium allows only one). */
export function checkOneOf(space: string, opts: SpaceSampleOptions | undefined): void {
  if (opts !== undefined && opts.mask != null && opts.probability != null) {
    throw new SpaceError(`${space}.sample: only one of mask or probability can be given, got both`);
  }
}

function isArrayLikeOfNumbers(x: unknown): x is ArrayLike<number> {
  if (ArrayBuffer.isView(x) && !(x instanceof DataView))
    return typeof (x as unknown as ArrayLike<unknown>)[0] !== "bigint";
  return Array.isArray(x);
}

/**
 * Check a 0/1 mask of length `n` (a Uint8Array/Int8Array or number array).
 * @returns the number of ones.
 * @throws SpaceError naming the mask when its length or values are wrong.
 */
export function validateMask01(mask: unknown, n: number, what: string): number {
  if (!isArrayLikeOfNumbers(mask))
    throw new SpaceError(`${what} must be a Uint8Array (or array) of 0/1 values, got ${formatValue(mask)}`);
  if (mask.length !== n)
    throw new SpaceError(`${what} must have length ${n}, got length ${mask.length}: ${formatValue(mask)}`);
  let ones = 0;
  for (let i = 0; i < n; i++) {
    const v = mask[i];
    if (v === 1) ones++;
    else if (v !== 0) throw new SpaceError(`${what} values must be 0 or 1, got ${formatValue(v)} at index ${i}`);
  }
  return ones;
}

/** The index of a uniformly chosen 1 of a validated mask holding `ones` ones (ones > 0). */
export function sampleMaskIndex(rng: Rng, mask: ArrayLike<number>, ones: number): number {
  let k = rng.integers(0, ones);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 1 && k-- === 0) return i;
  }
  throw new SpaceError("sampleMaskIndex: mask changed while sampling");
}

/**
 * Check a probability vector of length `n`: every value in [0, 1] and the sum close to 1
 * (NumPy's isclose: |sum - 1| <= 1e-8 + 1e-5).
 * @returns the sum.
 * @throws SpaceError naming the vector when its length, values or sum are wrong.
 */
export function validateProbability(p: unknown, n: number, what: string): number {
  if (!isArrayLikeOfNumbers(p))
    throw new SpaceError(`${what} must be a Float64Array (or array) of probabilities, got ${formatValue(p)}`);
  if (p.length !== n) throw new SpaceError(`${what} must have length ${n}, got length ${p.length}: ${formatValue(p)}`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = p[i] as number;
    if (!(v >= 0 && v <= 1))
      throw new SpaceError(`${what} values must be in [0, 1], got ${formatValue(v)} at index ${i}`);
    sum += v;
  }
  if (!(Math.abs(sum - 1) <= 1e-8 + 1e-5))
    throw new SpaceError(`${what} must sum to 1, got sum ${sum}: ${formatValue(p)}`);
  return sum;
}

/** An index drawn with the probabilities of a validated vector (its sum given). */
export function sampleProbabilityIndex(rng: Rng, p: ArrayLike<number>, sum: number): number {
  const u = rng.random() * sum;
  let acc = 0;
  let last = -1;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    if (v > 0) last = i;
    acc += v;
    if (u < acc && v > 0) return i;
  }
  return last;
}
