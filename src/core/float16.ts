// IEEE 754 binary16 ("half") conversion: float16 embedding cache entries and the bundled prior
// weights. The one copy of the formula.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
let halfTable: Float32Array | null = null;

/**
 * The binary16 bit pattern nearest to `value` (round half to even, like a hardware float32 ->
 * float16 cast): values beyond 65504 become +-Infinity, values below 2^-25 become +-0, NaN stays
 * NaN (quiet), subnormals are kept.
 *
 * @example
 * ```ts
 * float32ToFloat16(1);      // 0x3c00
 * float32ToFloat16(65520);  // 0x7c00 (Infinity)
 * ```
 */
export function float32ToFloat16(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 112; // re-biased exponent (127 -> 15)
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mant | 0x800000,
      shift = 14 - e;
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1),
      half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1) !== 0)) h++;
    return sign | h; // a carry out of the mantissa makes the smallest normal, as it should
  }
  let out = sign | (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (out & 1) !== 0)) out++; // carries into the exponent (up to Infinity)
  return out;
}

/** The value of a binary16 bit pattern (exact: every half is a float32). */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f,
    mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Encode float32 values as binary16 bit patterns (one Uint16 per value, round half to even). */
export function float32ArrayToFloat16(src: Float32Array, out: Uint16Array = new Uint16Array(src.length)): Uint16Array {
  for (let i = 0; i < src.length; i++) out[i] = float32ToFloat16(src[i] as number);
  return out;
}

/** Decode binary16 bit patterns to float32 (through a 65536-entry table built on first use). */
export function float16ArrayToFloat32(
  src: Uint16Array,
  out: Float32Array = new Float32Array(src.length),
): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let b = 0; b < 65536; b++) halfTable[b] = float16ToFloat32(b);
  }
  const table = halfTable;
  for (let i = 0; i < src.length; i++) out[i] = table[src[i] as number] as number;
  return out;
}
