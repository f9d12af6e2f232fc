/**
 * The logistic sigmoid of SamSegEnv's probability maps, s = 1 / (1 + exp(-x)), computed in
 * float32 arithmetic by one fixed sequence of IEEE float32 operations, so that the WebAssembly
 * SIMD kernel (sigmoid-kernel.wat, four values at a time) and this scalar JS version (each
 * operation rounded with Math.fround, which for + - * / equals the float32 operation) give
 * bit-identical maps on every machine. Accuracy: within 4 float32 ulps of the exact value
 * (checked on every float32 of 12 whole binades by the tests), the error class of torch.sigmoid
 * in float32.
 *
 * The sequence: y = -x clamped to [-87, 88]; n = roundTiesToEven(y * log2 e);
 * r = (y - n * LN2_HI) - n * LN2_LO (|r| <= 0.35, LN2_HI exact in 9 bits so n * LN2_HI is exact);
 * exp(r) by the degree-7 Taylor polynomial, evaluated by Estrin's scheme
 * ((C0 + C1 r) + (C2 + C3 r) r^2) + ((C4 + C5 r) + (C6 + C7 r) r^2) r^4 (truncation error < 6e-9
 * relative; Estrin's shallow tree keeps the SIMD kernel's dependency chains short);
 * exp(y) = exp(r) * 2^n; s = 1 / (1 + exp(y)). Then s = 0 where y > 88 (x < -88, where the
 * exact value is below 6.1e-39), and NaN stays NaN. x > 17 gives exactly 1.
 */

/** y = -x is clamped to [Y_MIN, Y_MAX] (2^n stays a normal float32). */
export const Y_MIN = -87;
export const Y_MAX = 88;
/** log2(e) in float32. */
export const LOG2E_F32 = Math.fround(Math.LOG2E);
/** ln 2 = LN2_HI + LN2_LO: LN2_HI = 355 / 512 (9 significant bits), LN2_LO its float32 remainder. */
export const LN2_HI = 0.693359375;
export const LN2_LO = Math.fround(Math.LN2 - LN2_HI);
/** Taylor coefficients C0 .. C7 of exp (1, 1, 1/2!, ..., 1/7!), in float32. */
export const EXP_COEFFS: readonly number[] = [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040].map(Math.fround);

const fr = Math.fround;
const [C0, C1, C2, C3, C4, C5, C6, C7] = EXP_COEFFS as [number, number, number, number, number, number, number, number];
/** POW2[n + 126] = 2^n for the n in [-126, 127] the clamp allows. */
const POW2 = Float64Array.from({ length: 254 }, (_, i) => 2 ** (i - 126));

/** x rounded to the nearest integer, ties to even (WebAssembly's f32.nearest). */
function nearestEven(x: number): number {
  const r = Math.round(x); // ties toward +infinity
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * sigmoid(x) = 1 / (1 + exp(-x)) for a float32 `x`, as float32 (see the module comment):
 * within 2 ulps of the exact value, 0 below x = -88, 1 above x = 17, NaN for NaN.
 */
export function sigmoid32(x: number): number {
  if (x !== x) return NaN;
  const y = -x;
  const lo = Y_MIN < y ? y : Y_MIN;
  const yc = lo < Y_MAX ? lo : Y_MAX;
  const n = nearestEven(fr(yc * LOG2E_F32));
  const r = fr(fr(yc - fr(n * LN2_HI)) - fr(n * LN2_LO));
  const r2 = fr(r * r);
  const low = fr(fr(C0 + fr(C1 * r)) + fr(fr(C2 + fr(C3 * r)) * r2));
  const high = fr(fr(C4 + fr(C5 * r)) + fr(fr(C6 + fr(C7 * r)) * r2));
  const p = fr(low + fr(high * fr(r2 * r2)));
  const e = fr(p * (POW2[n + 126] as number));
  const s = fr(1 / fr(1 + e));
  return y > Y_MAX ? 0 : s;
}

/**
 * out[i] = sigmoid32(src[offset + i]) for i in [0, out.length): the scalar path, bit-identical
 * to the WebAssembly kernel (see `ProbabilityMaps`), used where WebAssembly SIMD is unavailable.
 */
export function sigmoidInto(src: Float32Array, offset: number, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = sigmoid32(src[offset + i] as number);
}
