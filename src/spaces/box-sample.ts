import type { Rng } from "../core/rng";
import type { BoxDtype, DtypeInfo, TypedArrayOf } from "./dtypes";

/**
 * The Box sampler (internal to src/spaces), written as tight typed-array loops: a
 * [256, 64, 64] float32 sample is 1 M draws. Random words come from `Rng.fillUint32` in
 * blocks, so the generator state stays in registers.
 */

/** Bounds of a Box, row-major, as stored by the Box. */
export interface BoxBounds {
  low: ArrayLike<number>;
  high: ArrayLike<number>;
  boundedBelow: Uint8Array;
  boundedAbove: Uint8Array;
  /** Set when all elements share bounds and boundedness (enables the fast paths). */
  uniform: { lo: number; hi: number; below: boolean; above: boolean } | null;
}

const BLOCK = 4096;
const TWO_POW_M32 = 1 / 4294967296;
const TWO_POW_M53 = 1 / 9007199254740992;
/** Scratch block of random words, reused across calls (single-threaded per isolate). */
const words = new Uint32Array(2 * BLOCK);

/** Fill `out` with one Box sample. */
export function boxSample<D extends BoxDtype>(
  rng: Rng,
  out: TypedArrayOf[D],
  info: DtypeInfo<D>,
  bounds: BoxBounds,
): void {
  const u = bounds.uniform;
  if (u !== null && u.below && u.above) {
    if (info.kind === "float") (info.bits === 32 ? uniformFloat32 : uniformFloat64)(rng, out, u.lo, u.hi);
    else uniformInteger(rng, out, u.lo, u.hi);
    return;
  }
  mixedBounds(rng, out, info, bounds);
}

/**
 * Uniform float32s on [lo, hi] from 32 random bits each: lo + (hi - lo) * t with t = k / 2^32.
 * No clamp is needed: t <= 1 - 2^-32 leaves a margin of (hi - lo) * 2^-32 below hi, far more
 * than the float64 rounding error (~2^-52 relative), so the rounded float32 never exceeds hi;
 * and lo + p >= lo because rounding is monotonic and lo is representable.
 */
function uniformFloat32(rng: Rng, out: TypedArrayOf[BoxDtype], lo: number, hi: number): void {
  const n = out.length;
  const range = hi - lo;
  for (let start = 0; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start);
    rng.fillUint32(words.subarray(0, m));
    for (let i = 0; i < m; i++) out[start + i] = lo + range * ((words[i] as number) * TWO_POW_M32);
  }
}

/** Uniform float64s on [lo, hi] from 53 random bits each (clamped: the margin is only ~2^-53). */
function uniformFloat64(rng: Rng, out: TypedArrayOf[BoxDtype], lo: number, hi: number): void {
  const n = out.length;
  const range = hi - lo;
  const finite = Number.isFinite(range);
  for (let start = 0; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start);
    rng.fillUint32(words.subarray(0, 2 * m));
    for (let i = 0; i < m; i++) {
      const r = ((words[2 * i] as number) >>> 5) * 67108864 + ((words[2 * i + 1] as number) >>> 6);
      const t = r * TWO_POW_M53;
      let v = finite ? lo + range * t : lo * (1 - t) + hi * t;
      if (v > hi) v = hi;
      out[start + i] = v;
    }
  }
}

/**
 * Uniform integers on [lo, hi] (inclusive): floor(lo + (hi + 1 - lo) * t). t has 32 random
 * bits for spans up to 2^16 (bias below 2^-16) and 53 bits for wider spans.
 */
function uniformInteger(rng: Rng, out: TypedArrayOf[BoxDtype], lo: number, hi: number): void {
  const n = out.length;
  const span = hi + 1 - lo;
  const wide = span > 65536;
  for (let start = 0; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start);
    rng.fillUint32(words.subarray(0, wide ? 2 * m : m));
    for (let i = 0; i < m; i++) {
      const t = wide
        ? (((words[2 * i] as number) >>> 5) * 67108864 + ((words[2 * i + 1] as number) >>> 6)) * TWO_POW_M53
        : (words[i] as number) * TWO_POW_M32;
      let v = Math.floor(lo + span * t);
      if (v > hi) v = hi;
      out[start + i] = v;
    }
  }
}

/** Element by element, choosing the distribution from each element's boundedness (Gymnasium's rules). */
function mixedBounds(rng: Rng, out: TypedArrayOf[BoxDtype], info: DtypeInfo, b: BoxBounds): void {
  const isInt = info.kind !== "float";
  for (let i = 0; i < out.length; i++) {
    const lo = b.low[i] as number;
    const hi = b.high[i] as number;
    const top = isInt ? hi + 1 : hi; // integer boxes draw over [low, high + 1) then floor
    const below = b.boundedBelow[i] === 1;
    const above = b.boundedAbove[i] === 1;
    let v: number;
    if (below && above) v = lo + (top - lo) * rng.random();
    else if (below) v = lo + rng.exponential();
    else if (above) v = top - rng.exponential();
    else v = rng.normal();
    if (isInt) {
      v = Math.floor(v);
      // clip to the dtype range (Gymnasium) and to the bounds (an Exp(1) draw of exactly 0 would give high + 1)
      if (v < lo) v = lo;
      if (v > hi) v = hi;
    } else if (v > hi) {
      v = hi;
    }
    out[i] = v;
  }
}
