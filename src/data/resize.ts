import ndarray, { type NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";
import { Float32Resizer } from "./resize-float32";
import { axisTable } from "./resize-axis";
import type { Interpolation } from "./resize-axis";

export { Float32Resizer } from "./resize-float32";

export type { Interpolation } from "./resize-axis";

/** Arrays {@link resize} accepts: [H, W] or [H, W, C], uint8 or float32. */
export type ResizableArray = NdArray<Uint8Array> | NdArray<Float32Array>;

const COEF_BITS = 11; // OpenCV's INTER_RESIZE_COEF_BITS
const COEF_SCALE = 1 << COEF_BITS;
const f32 = Math.fround;

/** C's cvRound / saturate_cast from float: round half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Contiguous row-major copy of `src` as [H, W, C] data (C = 1 for 2-D input). */
function contiguous(src: ResizableArray): { data: Uint8Array | Float32Array; h: number; w: number; c: number } {
  const [h, w, c = 1] = src.shape as number[];
  const n = (h as number) * (w as number) * c;
  const is2d = src.shape.length === 2;
  const expected = is2d ? [w, 1] : [(w as number) * c, c, 1];
  const dense = src.offset === 0 && src.stride.every((s, i) => s === expected[i]) && src.data.length >= n;
  if (dense) return { data: src.data, h: h as number, w: w as number, c };
  const out = src.data instanceof Uint8Array ? new Uint8Array(n) : new Float32Array(n);
  let k = 0;
  for (let y = 0; y < (h as number); y++)
    for (let x = 0; x < (w as number); x++)
      for (let ch = 0; ch < c; ch++) out[k++] = is2d ? (src.get(y, x) as number) : (src.get(y, x, ch) as number);
  return { data: out, h: h as number, w: w as number, c };
}

function checkArgs(src: ResizableArray, size: readonly number[], interpolation: string): void {
  if (!src || !Array.isArray(src.shape) || (src.shape.length !== 2 && src.shape.length !== 3)) {
    throw new InvalidArgumentError(`resize: src must be [H, W] or [H, W, C], got shape ${JSON.stringify(src?.shape)}`);
  }
  if (!(src.data instanceof Uint8Array) && !(src.data instanceof Float32Array)) {
    throw new InvalidArgumentError("resize: src must be backed by a Uint8Array or a Float32Array");
  }
  if (src.shape.some((d) => d <= 0))
    throw new InvalidArgumentError(`resize: empty src shape [${src.shape.join(", ")}]`);
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isSafeInteger(v) && v > 0)) {
    throw new InvalidArgumentError(`resize: size must be [H, W] positive integers, got ${JSON.stringify(size)}`);
  }
  if (interpolation !== "linear" && interpolation !== "nearest") {
    throw new InvalidArgumentError(
      `resize: interpolation must be 'linear' or 'nearest', got ${JSON.stringify(interpolation)}`,
    );
  }
}

/**
 * Resize [H, W] or [H, W, C] (uint8 or float32) to `size` = [H', W'] with OpenCV 4.x
 * `cv2.resize(src, (W', H'), interpolation=...)` semantics, value for value:
 *
 * - 'nearest' (INTER_NEAREST): src index = min(floor(dst * (1 / (W' / W))), W - 1) per axis.
 * - 'linear' (INTER_LINEAR): half-pixel centres, fx = float((dx + 0.5) * scale - 0.5),
 *   clamped at the borders; uint8 runs OpenCV's fixed-point path (11-bit coefficients, a
 *   horizontal pass into int, a vertical pass that rounds like OpenCV's 128-bit SIMD kernel for
 *   the leading elements of each row and like its scalar tail, `(sum + (1 << 21)) >> 22`, for
 *   the rest); float32 follows OpenCV's own float32 path (OpenCV builds with Intel IPP hand
 *   float32 INTER_LINEAR to IPP, whose rounding may differ in the last bits). Exact 2x
 *   downscales go, as in OpenCV, through the 2x2 block mean of INTER_AREA.
 *
 * Returns a new array of the same dtype; equal sizes return a copy.
 * @throws InvalidArgumentError on a bad shape, dtype, size or interpolation.
 * @example
 * ```ts
 * const small = resize(image, [375, 500], "linear"); // [375, 500, 3] uint8
 * ```
 */
export function resize<T extends ResizableArray>(
  src: T,
  size: readonly [number, number],
  interpolation: Interpolation = "linear",
): T {
  checkArgs(src, size, interpolation);
  const { data, h, w, c } = contiguous(src);
  const [dh, dw] = size;
  const shape = src.shape.length === 2 ? [dh, dw] : [dh, dw, c];
  let out: Uint8Array | Float32Array;
  if (data instanceof Float32Array) {
    out = new Float32Array(dh * dw * c);
    new Float32Resizer([h, w], [dh, dw], c, interpolation).run(data, 0, out, 0);
  } else if (dh === h && dw === w) out = data.slice(0, h * w * c);
  else if (interpolation === "nearest") out = resizeNearestU8(data, h, w, c, dh, dw);
  else if (h === 2 * dh && w === 2 * dw) out = resizeHalfU8(data, h, w, c, dh, dw);
  else out = resizeLinearU8(data, h, w, c, dh, dw);
  return ndarray(out, shape) as T;
}

function resizeNearestU8(data: Uint8Array, h: number, w: number, c: number, dh: number, dw: number): Uint8Array {
  const out = new Uint8Array(dh * dw * c);
  const ifx = 1 / (dw / w);
  const ify = 1 / (dh / h);
  const xofs = new Int32Array(dw);
  for (let x = 0; x < dw; x++) xofs[x] = Math.min(Math.floor(x * ifx), w - 1) * c;
  let k = 0;
  for (let y = 0; y < dh; y++) {
    const row = Math.min(Math.floor(y * ify), h - 1) * w * c;
    for (let x = 0; x < dw; x++) {
      const s = row + (xofs[x] as number);
      for (let ch = 0; ch < c; ch++) out[k++] = data[s + ch] as number;
    }
  }
  return out;
}

/**
 * Exact 2x downscale of uint8 data, which OpenCV's INTER_LINEAR hands to its fast INTER_AREA
 * path: the mean of each 2x2 block, rounded (sum + 2) >> 2 for 1, 3 or 4 channels (its vector
 * path) and half to even otherwise.
 */
function resizeHalfU8(data: Uint8Array, h: number, w: number, c: number, dh: number, dw: number): Uint8Array {
  const out = new Uint8Array(dh * dw * c);
  const fastU8 = c === 1 || c === 3 || c === 4;
  const rowStride = w * c;
  let k = 0;
  for (let y = 0; y < dh; y++) {
    const r0 = 2 * y * rowStride;
    const r1 = r0 + rowStride;
    for (let x = 0; x < dw; x++) {
      for (let ch = 0; ch < c; ch++) {
        const i = 2 * x * c + ch;
        const sum =
          (data[r0 + i] as number) +
          (data[r0 + i + c] as number) +
          (data[r1 + i] as number) +
          (data[r1 + i + c] as number);
        out[k++] = fastU8 ? (sum + 2) >> 2 : roundHalfEven(sum * 0.25);
      }
    }
  }
  return out;
}

/** Number of leading elements of a row of `width` that OpenCV's 128-bit SIMD vertical kernel writes. */
function simdPrefix(width: number): number {
  let x = 0;
  for (; x <= width - 16; x += 16);
  for (; x < width - 8; x += 8);
  return x;
}

/** True when typed arrays are little-endian, so four output bytes can be written as one uint32. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Horizontal taps of the uint8 linear path, interleaved per destination x as
 * [first source element offset, second source element offset, weight 0, weight 1] (11-bit weights).
 */
function horizontalTapsU8(w: number, dw: number, c: number): Int32Array {
  const tx = axisTable(w, dw, true);
  const taps = new Int32Array(4 * dw);
  for (let dx = 0; dx < dw; dx++) {
    const f = tx.frac[dx] as number;
    const s = tx.ofs[dx] as number;
    const t = 4 * dx;
    taps[t] = s * c;
    if (s + 1 >= w) {
      // Right border (s = W - 1): OpenCV multiplies the last pixel by 2048 alone.
      taps[t + 1] = s * c;
      taps[t + 2] = COEF_SCALE;
      taps[t + 3] = 0;
    } else {
      taps[t + 1] = (s + 1) * c;
      taps[t + 2] = roundHalfEven(f32(1 - f) * COEF_SCALE);
      taps[t + 3] = roundHalfEven(f * COEF_SCALE);
    }
  }
  return taps;
}

/**
 * Horizontal pass of one source row (starting at element `base`) into `row`: exact int sums
 * src[p0] * a0 + src[p1] * a1 per destination element. For 3 channels, the first `adjacent`
 * destination pixels (those whose two source pixels are neighbours, p1 = p0 + 3) read their six
 * bytes with two little-endian DataView loads instead of six indexed ones.
 */
function horizontalPassU8(
  src: Uint8Array,
  view: DataView,
  base: number,
  taps: Int32Array,
  dw: number,
  c: number,
  adjacent: number,
  row: Int32Array,
): void {
  const n = 4 * dw;
  let t = 0;
  let k = 0;
  if (c === 3) {
    for (const end = 4 * adjacent; t < end; t += 4, k += 3) {
      const p0 = base + (taps[t] as number);
      const a0 = taps[t + 2] as number;
      const a1 = taps[t + 3] as number;
      const v = view.getUint32(p0, true); // bytes p0 .. p0 + 3: R0 G0 B0 R1
      const u = view.getUint16(p0 + 4, true); // bytes p0 + 4, p0 + 5: G1 B1
      row[k] = (v & 255) * a0 + (v >>> 24) * a1;
      row[k + 1] = ((v >>> 8) & 255) * a0 + (u & 255) * a1;
      row[k + 2] = ((v >>> 16) & 255) * a0 + (u >>> 8) * a1;
    }
  }
  for (; t < n; t += 4) {
    const p0 = base + (taps[t] as number);
    const p1 = base + (taps[t + 1] as number);
    const a0 = taps[t + 2] as number;
    const a1 = taps[t + 3] as number;
    for (let ch = 0; ch < c; ch++) row[k++] = (src[p0 + ch] as number) * a0 + (src[p1 + ch] as number) * a1;
  }
}

/**
 * Vertical pass of one output row (elements o .. o + rowLen - 1) from horizontal rows r0, r1 with
 * 11-bit weights b0, b1. The first `vec` elements round like OpenCV's SIMD kernel:
 * ((S >> 4) * b) >> 16 per row in int16 lanes, summed, then (t + 2) >> 2; the rest like its scalar
 * tail, (S0 * b0 + S1 * b1 + 2^21) >> 22 (the products fit in 2^31 for uint8 input). Weights are
 * non-negative and sum to about 2048, so no result leaves [0, 255]: no saturation needed.
 * `out32` (a little-endian uint32 view of `out`, or null) lets aligned groups of four be stored at once.
 */
function verticalPassU8(
  r0: Int32Array,
  r1: Int32Array,
  b0: number,
  b1: number,
  out: Uint8Array,
  out32: Uint32Array | null,
  o: number,
  vec: number,
  rowLen: number,
): void {
  let x = 0;
  if (out32 !== null) {
    for (; x < vec && ((o + x) & 3) !== 0; x++) {
      out[o + x] = (((((r0[x] as number) >> 4) * b0) >> 16) + ((((r1[x] as number) >> 4) * b1) >> 16) + 2) >> 2;
    }
    for (let q = (o + x) >> 2; x + 4 <= vec; x += 4, q++) {
      const v0 = (((((r0[x] as number) >> 4) * b0) >> 16) + ((((r1[x] as number) >> 4) * b1) >> 16) + 2) >> 2;
      const v1 = (((((r0[x + 1] as number) >> 4) * b0) >> 16) + ((((r1[x + 1] as number) >> 4) * b1) >> 16) + 2) >> 2;
      const v2 = (((((r0[x + 2] as number) >> 4) * b0) >> 16) + ((((r1[x + 2] as number) >> 4) * b1) >> 16) + 2) >> 2;
      const v3 = (((((r0[x + 3] as number) >> 4) * b0) >> 16) + ((((r1[x + 3] as number) >> 4) * b1) >> 16) + 2) >> 2;
      out32[q] = v0 | (v1 << 8) | (v2 << 16) | (v3 << 24);
    }
  }
  for (; x < vec; x++)
    out[o + x] = (((((r0[x] as number) >> 4) * b0) >> 16) + ((((r1[x] as number) >> 4) * b1) >> 16) + 2) >> 2;
  for (; x < rowLen; x++) out[o + x] = ((r0[x] as number) * b0 + (r1[x] as number) * b1 + (1 << 21)) >> 22;
}

function resizeLinearU8(src: Uint8Array, h: number, w: number, c: number, dh: number, dw: number): Uint8Array {
  const taps = horizontalTapsU8(w, dw, c);
  const ty = axisTable(h, dh, false);
  const rowLen = dw * c;
  const srcRowLen = w * c;
  // Two horizontal-pass rows reused across output rows, as OpenCV keeps them: `top` holds source
  // row `topY`, `bottom` holds `bottomY` (-1: nothing yet).
  let top = new Int32Array(rowLen);
  let bottom = new Int32Array(rowLen);
  let topY = -1;
  let bottomY = -1;
  const out = new Uint8Array(dh * rowLen);
  const out32 = LITTLE_ENDIAN ? new Uint32Array(out.buffer, out.byteOffset, out.length >> 2) : null;
  const vec = simdPrefix(rowLen);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  // Leading destination pixels whose second tap is the next source pixel (all but the right border).
  let adjacent = 0;
  while (adjacent < dw && taps[4 * adjacent + 1] === (taps[4 * adjacent] as number) + c) adjacent++;
  for (let dy = 0; dy < dh; dy++) {
    const sy = ty.ofs[dy] as number;
    const fy = ty.frac[dy] as number;
    const b0 = roundHalfEven(f32(1 - fy) * COEF_SCALE);
    const b1 = roundHalfEven(fy * COEF_SCALE);
    const y0 = Math.min(Math.max(sy, 0), h - 1);
    const y1 = Math.min(Math.max(sy + 1, 0), h - 1);
    if (topY !== y0) {
      if (bottomY === y0) {
        const t = top;
        top = bottom;
        bottom = t;
        bottomY = topY;
      } else {
        horizontalPassU8(src, view, y0 * srcRowLen, taps, dw, c, adjacent, top);
      }
      topY = y0;
    }
    if (y1 !== y0 && bottomY !== y1) {
      horizontalPassU8(src, view, y1 * srcRowLen, taps, dw, c, adjacent, bottom);
      bottomY = y1;
    }
    verticalPassU8(top, y1 === y0 ? top : bottom, b0, b1, out, out32, dy * rowLen, vec, rowLen);
  }
  return out;
}

/**
 * Size of an image of [h, w] whose longest side is resized to `target` (SAM's
 * ResizeLongestSide): scale = target / max(h, w); each side = trunc(side * scale + 0.5).
 */
export function longestSideSize(h: number, w: number, target = 1024): [number, number] {
  if (![h, w, target].every((v) => Number.isSafeInteger(v) && v > 0)) {
    throw new InvalidArgumentError(`longestSideSize needs positive integers, got h=${h}, w=${w}, target=${target}`);
  }
  const scale = (target * 1.0) / Math.max(h, w);
  return [Math.trunc(h * scale + 0.5), Math.trunc(w * scale + 0.5)];
}

/**
 * Resize so that the longest side is `target` pixels (SAM's preprocessing geometry), bilinear
 * with OpenCV semantics. For 375x500 and target 1024 the result is [768, 1024].
 */
export function resizeLongestSide<T extends ResizableArray>(src: T, target = 1024): T {
  const [h, w] = src.shape as [number, number];
  return resize(src, longestSideSize(h, w, target), "linear");
}

/**
 * Pad [H, W] or [H, W, C] at the bottom and right with `value` to `size` = [H', W']
 * (H' >= H, W' >= W), as SAM pads its input to 1024x1024.
 * @throws InvalidArgumentError when `size` is smaller than the input.
 */
export function padBottomRight<T extends ResizableArray>(src: T, size: readonly [number, number], value = 0): T {
  checkArgs(src, size, "nearest");
  const { data, h, w, c } = contiguous(src);
  const [ph, pw] = size;
  if (ph < h || pw < w)
    throw new InvalidArgumentError(`padBottomRight: size [${ph}, ${pw}] is smaller than the input [${h}, ${w}]`);
  const out = data instanceof Uint8Array ? new Uint8Array(ph * pw * c) : new Float32Array(ph * pw * c);
  if (value !== 0) out.fill(value);
  for (let y = 0; y < h; y++) out.set(data.subarray(y * w * c, (y + 1) * w * c), y * pw * c);
  return ndarray(out, src.shape.length === 2 ? [ph, pw] : [ph, pw, c]) as T;
}
