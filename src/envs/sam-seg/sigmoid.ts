/**
 * Logistic sigmoid for float32 maps, exact in float32: every value stored into a Float32Array
 * equals `Math.fround(1 / (1 + Math.exp(-x)))` (the straightforward formula), at about half its
 * cost in V8.
 *
 * How: exp(y) = 2^(k/64) * exp(r) with k = round(64 y / ln 2), |r| <= ln 2 / 128, a table of
 * 2^(k/64) and a degree-4 Taylor polynomial for exp(r); s = 1 / (1 + exp(-x)) is then within
 * 5e-14 relative of the exact value (and the formula within 1e-15). Rounding s to float32 drops
 * the low 29 bits of its 52-bit mantissa; unless those bits are within 2048 units (>= 2.2e-13
 * relative) of the round-half point 2^28, the exact value, the formula and s all round to the
 * same float32. Near-ties (a few per million) and x outside the table (x < -87, where float32
 * turns subnormal, or x > 40) use the formula itself. The map loop defers those to a fix-up
 * pass so that the hot loop makes no call.
 */

const LOG2E = 1.4426950408889634;
/** Table steps per octave. */
const STEPS = 64;
const K_PER_UNIT = STEPS * LOG2E;
// ln 2 / 64 split in two (fdlibm's ln2_hi has its low 21 bits zero, so k * Y_STEP_HI is exact).
const Y_STEP_HI = 6.93147180369123816490e-1 / STEPS;
const Y_STEP_LO = 1.90821492927058770002e-10 / STEPS;
/** The fast path covers y = -x in [Y_MIN, Y_MAX]; elsewhere the formula is used. */
const Y_MIN = -40;
const Y_MAX = 87;
/** Table index offset: index = k + K_BIAS > 0 for y >= Y_MIN. */
const K_BIAS = Math.ceil(-Y_MIN * K_PER_UNIT) + 2;
const K_BIAS_ROUND = K_BIAS + 0.5;
/** 2^(k / 64) for k in [-K_BIAS, Y_MAX * 64 / ln 2 + 2]. */
const POW2_FRAC = Float64Array.from({ length: K_BIAS + Math.ceil(Y_MAX * K_PER_UNIT) + 3 }, (_, i) => Math.pow(2, (i - K_BIAS) / STEPS));
/** The float64 mantissa bits that float32 rounding drops (all in the low 32-bit word), and their half point. */
const DROPPED_MASK = 0x1fffffff;
const HALF_POINT = 0x10000000;
/** Distance from the half point (in units of the last float64 bit) below which the formula decides. */
const TIE_MARGIN = 2048;
/** A float64 seen as two 32-bit words; LOW_WORD is the index of the low one on this machine. */
const F64 = new Float64Array(1);
const F64_WORDS = new Uint32Array(F64.buffer);
F64[0] = 1;
const LOW_WORD = F64_WORDS[0] === 0 ? 0 : 1;

/** The straightforward formula, 1 / (1 + exp(-x)), with 0 below x = -104 (where float32 rounds to 0 anyway). */
export function sigmoidFormula(x: number): number {
  return x < -104 ? 0 : 1 / (1 + Math.exp(-x));
}

/** The fast value of 1 / (1 + exp(y)) for y = -x clamped to [Y_MIN, Y_MAX]. Small enough to inline. */
function fastValue(yc: number): number {
  const i = (yc * K_PER_UNIT + K_BIAS_ROUND) | 0; // round(64 y / ln 2) + K_BIAS (positive, so | 0 floors)
  const k = i - K_BIAS;
  const r = yc - k * Y_STEP_HI - k * Y_STEP_LO;
  const expR = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24))));
  return 1 / (1 + expR * (POW2_FRAC[i] as number));
}

/** True when float32 rounding of the fast value `s` could differ from the formula's (a near-tie). */
function nearTie(s: number): boolean {
  F64[0] = s;
  return Math.abs(((F64_WORDS[LOW_WORD] as number) & DROPPED_MASK) - HALF_POINT) < TIE_MARGIN;
}

/**
 * sigmoid(x) = 1 / (1 + exp(-x)) in float64 within 5e-14 relative, with
 * Math.fround(sigmoid(x)) === Math.fround(sigmoidFormula(x)) for every x.
 * 0 below -104, 1 above 40, NaN stays NaN.
 */
export function sigmoid(x: number): number {
  const y = -x;
  const yc = y < Y_MIN ? Y_MIN : y > Y_MAX ? Y_MAX : y;
  const s = fastValue(yc);
  return yc !== y || nearTie(s) ? sigmoidFormula(x) : s;
}

/**
 * out[i] = sigmoid(src[offset + i]) for i in [0, out.length), rounded to float32 exactly as the
 * formula. `scratch` (length >= out.length) holds the indices of the fix-up pass; allocated
 * when omitted.
 */
export function sigmoidInto(src: Float32Array, offset: number, out: Float32Array, scratch: Int32Array = new Int32Array(out.length)): void {
  const n = out.length;
  let pending = 0;
  for (let i = 0; i < n; i++) {
    const y = -(src[offset + i] as number);
    const yc = y < Y_MIN ? Y_MIN : y > Y_MAX ? Y_MAX : y; // NaN stays NaN (and goes to the fix-up)
    const s = fastValue(yc);
    out[i] = s;
    if (yc !== y || nearTie(s)) scratch[pending++] = i;
  }
  for (let j = 0; j < pending; j++) {
    const i = scratch[j] as number;
    out[i] = sigmoidFormula(src[offset + i] as number);
  }
}

/** Sums of the soft Dice and of the IoU at 0.5 of a probability map against a ground truth. */
export interface OverlapSums {
  /** sum(G * S) */
  inter: number;
  /** sum(S) */
  sum: number;
  /** count(G and S > 0.5) */
  hardInter: number;
  /** count(S > 0.5) */
  hardPred: number;
}

/**
 * The overlap sums of `prob` (float32 probabilities) against the ground truth given as the
 * ascending list of its foreground indices (`foreground[0 .. foregroundCount)`), summing the
 * float32 values in index order in float64, as softDice does (so the results are identical).
 */
export function overlapSums(prob: Float32Array, foreground: Int32Array, foregroundCount: number): OverlapSums {
  let sum = 0;
  let hardPred = 0;
  for (let i = 0; i < prob.length; i++) {
    const p = prob[i] as number;
    sum += p;
    hardPred += p > 0.5 ? 1 : 0;
  }
  let inter = 0;
  let hardInter = 0;
  for (let j = 0; j < foregroundCount; j++) {
    const p = prob[foreground[j] as number] as number;
    inter += p;
    hardInter += p > 0.5 ? 1 : 0;
  }
  return { inter, sum, hardInter, hardPred };
}

/** Writes the ascending indices i with mask[i] !== 0 into `out` (length >= mask.length); returns their count. */
export function foregroundIndices(mask: Uint8Array, out: Int32Array): number {
  let count = 0;
  for (let i = 0; i < mask.length; i++) {
    out[count] = i;
    count += mask[i] !== 0 ? 1 : 0;
  }
  return count;
}
