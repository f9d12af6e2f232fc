import { InvalidArgumentError } from "../core/errors";

/** Fixed-point precision of Pillow's 8-bit resampling: 32 - 8 - 2 bits. */
const PRECISION_BITS = 22;
const HALF = 1 << (PRECISION_BITS - 1);

/** Pillow's bicubic kernel (a = -0.5), support 2. */
function bicubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

/** Per output index: first source index, tap count and fixed-point weights (ksize per index). */
interface Taps {
  first: Int32Array;
  count: Int32Array;
  weights: Int32Array;
  ksize: number;
}

/**
 * Pillow's `precompute_coeffs` for one axis: the kernel widened by the downscale factor (an
 * antialiasing filter when shrinking), taps normalised to sum 1, then rounded to 22-bit fixed
 * point away from zero.
 */
function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize),
    count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const xmin = Math.max(Math.trunc(centre - support + 0.5), 0);
    const n = Math.min(Math.trunc(centre + support + 0.5), inSize) - xmin;
    let sum = 0;
    for (let x = 0; x < n; x++) {
      k[x] = bicubic((x + xmin - centre + 0.5) / filterScale);
      sum += k[x] as number;
    }
    for (let x = 0; x < n; x++) {
      const w = sum !== 0 ? (k[x] as number) / sum : (k[x] as number);
      weights[o * ksize + x] = Math.trunc(w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
    }
    first[o] = xmin;
    count[o] = n;
  }
  return { first, count, weights, ksize };
}

/** Pillow's clip8: the fixed-point sum back to a byte, clamped to [0, 255]. */
function clip8(v: number): number {
  const r = v >> PRECISION_BITS;
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

/**
 * Bicubic resize of a row-major [H, W, C] uint8 image to [outH, outW, C], value for value as
 * Pillow's `Image.resize(size, Image.BICUBIC)` (what torchvision's `Resize(interpolation=BICUBIC)`
 * runs on a PIL image, e.g. CLIP's preprocessing): separable, horizontal pass first (over the
 * source rows the vertical pass needs), then vertical, each rounded to uint8; when shrinking the
 * kernel is widened by the scale factor (antialiasing). Equal sizes on an axis skip that pass.
 *
 * @returns a new Uint8Array [outH * outW * C].
 * @throws InvalidArgumentError on sizes that are not positive integers or data of the wrong length.
 * @example
 * ```ts
 * const small = resizeBicubicPil(rgb, 375, 500, 3, 224, 224); // Uint8Array of 224 * 224 * 3
 * ```
 */
export function resizeBicubicPil(
  src: Uint8Array,
  h: number,
  w: number,
  c: number,
  outH: number,
  outW: number,
): Uint8Array {
  for (const [name, v] of [
    ["h", h],
    ["w", w],
    ["c", c],
    ["outH", outH],
    ["outW", outW],
  ] as const) {
    if (!(Number.isSafeInteger(v) && v > 0))
      throw new InvalidArgumentError(`resizeBicubicPil: ${name} must be a positive integer, got ${v}`);
  }
  if (!(src instanceof Uint8Array) || src.length !== h * w * c) {
    throw new InvalidArgumentError(
      `resizeBicubicPil: src must be a Uint8Array of ${h} x ${w} x ${c} = ${h * w * c} bytes, got ${src?.length}`,
    );
  }
  let cur = src,
    rowOffset = 0;
  const vt = outH !== h ? taps(h, outH) : null;
  if (outW !== w) {
    // Only the source rows the vertical pass reads (Pillow's ybox).
    const y0 = vt ? (vt.first[0] as number) : 0;
    const y1 = vt ? (vt.first[outH - 1] as number) + (vt.count[outH - 1] as number) : h;
    const ht = taps(w, outW);
    const tmp = new Uint8Array((y1 - y0) * outW * c);
    for (let y = y0; y < y1; y++) {
      const srow = y * w * c,
        drow = (y - y0) * outW * c;
      for (let x = 0; x < outW; x++) {
        const f = ht.first[x] as number,
          n = ht.count[x] as number,
          kb = x * ht.ksize;
        for (let ch = 0; ch < c; ch++) {
          let s = HALF;
          for (let i = 0; i < n; i++) s += (src[srow + (f + i) * c + ch] as number) * (ht.weights[kb + i] as number);
          tmp[drow + x * c + ch] = clip8(s);
        }
      }
    }
    cur = tmp;
    rowOffset = y0;
  }
  if (vt === null) return cur === src ? src.slice() : cur;
  const out = new Uint8Array(outH * outW * c);
  const rowLen = outW * c;
  for (let y = 0; y < outH; y++) {
    const f = (vt.first[y] as number) - rowOffset,
      n = vt.count[y] as number,
      kb = y * vt.ksize;
    for (let x = 0; x < rowLen; x++) {
      let s = HALF;
      for (let i = 0; i < n; i++) s += (cur[(f + i) * rowLen + x] as number) * (vt.weights[kb + i] as number);
      out[y * rowLen + x] = clip8(s);
    }
  }
  return out;
}
