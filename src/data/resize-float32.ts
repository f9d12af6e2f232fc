import { InvalidArgumentError } from "../core/errors";
import { axisTable } from "./resize-axis";
import type { AxisTable, Interpolation } from "./resize-axis";

const f32 = Math.fround;

function checkSize(name: string, size: readonly number[]): void {
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isSafeInteger(v) && v > 0)) {
    throw new InvalidArgumentError(
      `Float32Resizer: ${name} must be [H, W] positive integers, got ${JSON.stringify(size)}`,
    );
  }
}

/**
 * The float32 path of {@link resize} between two fixed sizes, writing into caller buffers at
 * any offset (e.g. one sample of a batch) with no allocation per call: the geometry tables and
 * two row buffers are built once by the constructor. `resize` itself runs its float32 input
 * through this class, so both give the same numbers: OpenCV's float32 INTER_LINEAR (half-pixel
 * centres, float32 arithmetic, border clamping; exact 2x downscales as the 2x2 block mean of
 * INTER_AREA) or INTER_NEAREST; equal sizes copy.
 *
 * Source and destination are row-major [H, W, C] planes (C = `channels`); source values are
 * read as numbers, so any numeric array works (a Float64Array is rounded like float32 input).
 *
 * @example
 * ```ts
 * const toGrid = new Float32Resizer([256, 256], [64, 64]); // once
 * toGrid.run(masks, i * 256 * 256, grid, 0);              // per sample: no allocation
 * ```
 */
export class Float32Resizer {
  /** Source [H, W]. */
  readonly srcSize: readonly [number, number];
  /** Destination [H', W']. */
  readonly dstSize: readonly [number, number];
  readonly channels: number;
  readonly interpolation: Interpolation;
  private readonly mode: "copy" | "nearest" | "half" | "linear";
  private readonly tx: AxisTable;
  private readonly ty: AxisTable;
  private readonly tmp0: Float32Array;
  private readonly tmp1: Float32Array;

  /** @throws InvalidArgumentError on a size that is not two positive integers, bad channels or interpolation. */
  constructor(
    srcSize: readonly [number, number],
    dstSize: readonly [number, number],
    channels = 1,
    interpolation: Interpolation = "linear",
  ) {
    checkSize("srcSize", srcSize);
    checkSize("dstSize", dstSize);
    if (!(Number.isSafeInteger(channels) && channels > 0))
      throw new InvalidArgumentError(`Float32Resizer: channels must be a positive integer, got ${channels}`);
    if (interpolation !== "linear" && interpolation !== "nearest") {
      throw new InvalidArgumentError(
        `Float32Resizer: interpolation must be 'linear' or 'nearest', got ${JSON.stringify(interpolation)}`,
      );
    }
    const [h, w] = srcSize;
    const [dh, dw] = dstSize;
    this.srcSize = [h, w];
    this.dstSize = [dh, dw];
    this.channels = channels;
    this.interpolation = interpolation;
    this.mode =
      dh === h && dw === w
        ? "copy"
        : interpolation === "nearest"
          ? "nearest"
          : h === 2 * dh && w === 2 * dw
            ? "half"
            : "linear";
    const linear = this.mode === "linear";
    this.tx = linear ? axisTable(w, dw, true) : { ofs: new Int32Array(0), frac: new Float32Array(0) };
    this.ty = linear ? axisTable(h, dh, false) : { ofs: new Int32Array(0), frac: new Float32Array(0) };
    this.tmp0 = new Float32Array(linear ? dw * channels : 0);
    this.tmp1 = new Float32Array(linear ? dw * channels : 0);
  }

  /**
   * Resize the plane src[srcOffset .. srcOffset + H * W * C) into dst[dstOffset .. dstOffset +
   * H' * W' * C). No allocation.
   * @throws InvalidArgumentError when either range does not fit its array.
   */
  run(src: ArrayLike<number>, srcOffset: number, dst: Float32Array, dstOffset: number): void {
    const [h, w] = this.srcSize;
    const [dh, dw] = this.dstSize;
    const c = this.channels;
    if (!(Number.isSafeInteger(srcOffset) && srcOffset >= 0 && srcOffset + h * w * c <= src.length)) {
      throw new InvalidArgumentError(
        `Float32Resizer.run: source range [${srcOffset}, ${srcOffset + h * w * c}) does not fit a source of length ${src.length}`,
      );
    }
    if (!(Number.isSafeInteger(dstOffset) && dstOffset >= 0 && dstOffset + dh * dw * c <= dst.length)) {
      throw new InvalidArgumentError(
        `Float32Resizer.run: destination range [${dstOffset}, ${dstOffset + dh * dw * c}) does not fit a destination of length ${dst.length}`,
      );
    }
    switch (this.mode) {
      case "copy":
        for (let k = 0; k < h * w * c; k++) dst[dstOffset + k] = src[srcOffset + k] as number;
        return;
      case "nearest":
        return this.nearest(src, srcOffset, dst, dstOffset);
      case "half":
        return this.half(src, srcOffset, dst, dstOffset);
      default:
        return this.linear(src, srcOffset, dst, dstOffset);
    }
  }

  /** INTER_NEAREST: src index = min(floor(dst * (1 / (W' / W))), W - 1) per axis. */
  private nearest(src: ArrayLike<number>, so: number, dst: Float32Array, o: number): void {
    const [h, w] = this.srcSize;
    const [dh, dw] = this.dstSize;
    const c = this.channels;
    const ifx = 1 / (dw / w);
    const ify = 1 / (dh / h);
    let k = o;
    for (let y = 0; y < dh; y++) {
      const row = so + Math.min(Math.floor(y * ify), h - 1) * w * c;
      for (let x = 0; x < dw; x++) {
        const s = row + Math.min(Math.floor(x * ifx), w - 1) * c;
        for (let ch = 0; ch < c; ch++) dst[k++] = src[s + ch] as number;
      }
    }
  }

  /** Exact 2x downscale (OpenCV's INTER_AREA path): ((a + b) + c) + d in float32, times 0.25. */
  private half(src: ArrayLike<number>, so: number, dst: Float32Array, o: number): void {
    const w = this.srcSize[1];
    const [dh, dw] = this.dstSize;
    const c = this.channels;
    const rowStride = w * c;
    let k = o;
    for (let y = 0; y < dh; y++) {
      const r0 = so + 2 * y * rowStride;
      const r1 = r0 + rowStride;
      for (let x = 0; x < dw; x++) {
        for (let ch = 0; ch < c; ch++) {
          const i = 2 * x * c + ch;
          const a = f32(src[r0 + i] as number),
            b = f32(src[r0 + i + c] as number);
          const d0 = f32(src[r1 + i] as number),
            d1 = f32(src[r1 + i + c] as number);
          dst[k++] = f32(f32(f32(f32(a + b) + d0) + d1) * 0.25);
        }
      }
    }
  }

  /** OpenCV's float32 INTER_LINEAR: a horizontal pass per source row, then a vertical blend. */
  private linear(src: ArrayLike<number>, so: number, dst: Float32Array, o: number): void {
    const [h, w] = this.srcSize;
    const [dh, dw] = this.dstSize;
    const c = this.channels;
    const { ty, tmp0, tmp1 } = this;
    const rowLen = dw * c;
    for (let dy = 0; dy < dh; dy++) {
      const sy = ty.ofs[dy] as number;
      const fy = ty.frac[dy] as number;
      const b0 = f32(1 - fy);
      this.horizontal(src, so + Math.min(Math.max(sy, 0), h - 1) * w * c, tmp0);
      this.horizontal(src, so + Math.min(Math.max(sy + 1, 0), h - 1) * w * c, tmp1);
      const row = o + dy * rowLen;
      for (let x = 0; x < rowLen; x++) dst[row + x] = f32((tmp0[x] as number) * b0) + f32((tmp1[x] as number) * fy);
    }
  }

  /** Horizontal pass of the source row starting at element `base` into `r` [W' * C]. */
  private horizontal(src: ArrayLike<number>, base: number, r: Float32Array): void {
    const w = this.srcSize[1];
    const dw = this.dstSize[1];
    const c = this.channels;
    const { tx } = this;
    let k = 0;
    for (let dx = 0; dx < dw; dx++) {
      const s = tx.ofs[dx] as number;
      const f = tx.frac[dx] as number;
      const p0 = base + s * c;
      if (s + 1 >= w) {
        for (let ch = 0; ch < c; ch++) r[k++] = src[p0 + ch] as number;
        continue;
      }
      const a0 = f32(1 - f);
      for (let ch = 0; ch < c; ch++) {
        r[k++] = f32(f32((src[p0 + ch] as number) * a0) + f32((src[p0 + c + ch] as number) * f));
      }
    }
  }
}
