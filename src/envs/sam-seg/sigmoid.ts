/**
 * Fast logistic sigmoid for float32 maps: 1 / (1 + exp(-x)) with exp computed by range
 * reduction (x = k ln2 + r, |r| <= ln2 / 2) and a degree-8 Taylor polynomial, about twice as
 * fast as Math.exp in V8. Relative error < 5e-10 (measured max 2.7e-10), far below float32's
 * half ulp (3e-8): stored as float32 it equals the correctly rounded value except at rare
 * near-ties, where it is 1 ulp away (as different float32 libm implementations are).
 */

const LOG2E = 1.4426950408889634;
// ln 2 split in two so that k * LN2_HI is exact for |k| < 2^11.
const LN2_HI = 0.693145751953125;
const LN2_LO = 1.428606820309417232e-6;
const POW2_BIAS = 160;
/** 2^k for k in [-160, 160]. */
const POW2 = Float64Array.from({ length: 2 * POW2_BIAS + 1 }, (_, i) => Math.pow(2, i - POW2_BIAS));

/** sigmoid(x); exactly 0 below -104 and 1 above 40 (where float32 rounds to those anyway). NaN stays NaN. */
export function sigmoid(x: number): number {
  const y = -x;
  if (y > 104) return 0;
  if (y < -40) return 1;
  const k = Math.floor(y * LOG2E + 0.5); // nearest integer (floor is cheaper than Math.round in V8)
  const r = y - k * LN2_HI - k * LN2_LO;
  const e =
    1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040 + r * (1 / 40320))))))));
  return 1 / (1 + e * (POW2[k + POW2_BIAS] as number));
}

/** out[i] = sigmoid(src[offset + i]) for i in [0, out.length). */
export function sigmoidInto(src: Float32Array, offset: number, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = sigmoid(src[offset + i] as number);
}

/** Sums of one fused pass: soft intersection and sum, hard (p > 0.5) intersection and prediction size. */
export interface OverlapSums {
  inter: number;
  sum: number;
  hardInter: number;
  hardPred: number;
}

/**
 * prob[i] = sigmoid(logits.data[logits.offset + i]) (float32) for i in [0, prob.length), and in the
 * same pass the sums of the soft Dice and of the IoU at 0.5 against `gt` (> 0 = foreground),
 * summing the stored float32 values as the reference sums float32 maps. Lives next to `sigmoid`
 * so the call inlines.
 */
export function sigmoidWithOverlap(logits: { data: Float32Array; offset: number }, prob: Float32Array, gt: Uint8Array): OverlapSums {
  const src = logits.data;
  const off = logits.offset;
  let inter = 0, sum = 0, hardInter = 0, hardPred = 0;
  for (let i = 0; i < prob.length; i++) {
    prob[i] = sigmoid(src[off + i] as number);
    const pf = prob[i] as number; // the stored float32 value, as the reference sums float32 maps
    sum += pf;
    const hard = pf > 0.5 ? 1 : 0;
    hardPred += hard;
    if (gt[i] !== 0) {
      inter += pf;
      hardInter += hard;
    }
  }
  return { inter, sum, hardInter, hardPred };
}
