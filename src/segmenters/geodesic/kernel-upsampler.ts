import type { SamFrame } from "../sam-frame";
import { SAM_LOW_RES_SIZE, lowResToImage, upsampleTables } from "../sam-frame";
import type { KernelExports } from "./geodesic-kernel";
import { instantiateGeodesicKernel } from "./geodesic-kernel";

const N = SAM_LOW_RES_SIZE;
/** Largest output (floats) served by the kernel; bigger images use lowResToImage (3 planes of 2048x2048). */
const MAX_OUT = 3 * 2048 * 2048;

/**
 * `lowResToImage` through the WebAssembly SIMD kernel (the same interpolation in float32, the
 * vertical pass four pixels at a time); falls back to lowResToImage without WebAssembly SIMD or
 * for outputs above 3 x 2048 x 2048. Keeps one kernel memory, grown (re-created) for bigger
 * frames, and the axis tables of the last frame.
 */
export class KernelUpsampler {
  private kernel: { buffer: ArrayBuffer; exports: KernelExports } | null = null;
  private capacity = 0;
  private unavailable = false;
  private tablesFor = "";
  private layout = { x0: 0, x1: 0, wx: 0, y0: 0, y1: 0, wy: 0, low: 0, hz: 0, out: 0, rows: 0 };
  /** Views of the kernel memory's low-res input and output for the current layout. */
  private views: { low: Float32Array; out: Float32Array } | null = null;
  /** The reused output of the plain TypeScript path. */
  private fallbackOut: Float32Array | null = null;

  /**
   * [k, 256, 256] low-res planes -> [k, H, W] float32 (row-major): a new array, or with `reuse`
   * an array this object overwrites on its next call (no allocation per call).
   */
  toImage(lowRes: Float32Array, k: number, frame: SamFrame, reuse = false): Float32Array {
    const { height: h, width: w } = frame;
    if (this.unavailable || k * h * w > MAX_OUT || !this.prepare(k, frame)) {
      if (!reuse) return lowResToImage(lowRes, k, frame);
      if (this.fallbackOut?.length !== k * h * w) this.fallbackOut = new Float32Array(k * h * w);
      return lowResToImage(lowRes, k, frame, this.fallbackOut);
    }
    const kernel = this.kernel as { buffer: ArrayBuffer; exports: KernelExports };
    const L = this.layout;
    const views = this.views as { low: Float32Array; out: Float32Array };
    views.low.set(lowRes.subarray(0, k * N * N));
    kernel.exports.upsample(L.low, k, L.hz, L.out, h, w, L.rows, L.x0, L.x1, L.wx, L.y0, L.y1, L.wy);
    return reuse ? views.out : views.out.slice();
  }

  /** Lay out the memory for k planes of this frame (tables, low-res input, rows along x, output). */
  private prepare(k: number, frame: SamFrame): boolean {
    const { height: h, width: w } = frame;
    const key = `${h}x${w}x${k}`;
    if (key === this.tablesFor) return true;
    const align = (b: number): number => Math.ceil(b / 16) * 16;
    const { y0, y1, wy, x0, x1, wx } = upsampleTables(frame);
    const rows = Math.min(N, y1[h - 1] + 1);
    const L = { x0: 0, x1: 0, wx: 0, y0: 0, y1: 0, wy: 0, low: 0, hz: 0, out: 0, rows };
    let at = 0;
    const take = (bytes: number): number => {
      const a = at;
      at = align(at + bytes);
      return a;
    };
    L.x0 = take(4 * w);
    L.x1 = take(4 * w);
    L.wx = take(4 * w);
    L.y0 = take(4 * h);
    L.y1 = take(4 * h);
    L.wy = take(4 * h);
    L.low = take(4 * k * N * N);
    L.hz = take(4 * rows * w + 16);
    L.out = take(4 * k * h * w + 16);
    if (at > this.capacity) {
      this.kernel = instantiateGeodesicKernel(at);
      if (this.kernel === null) {
        this.unavailable = true;
        return false;
      }
      this.capacity = at;
    }
    const buf = (this.kernel as { buffer: ArrayBuffer }).buffer;
    // Byte offsets: columns into a low-res row, rows into the along-x buffer.
    new Int32Array(buf, L.x0, w).set(x0.map((v) => 4 * v));
    new Int32Array(buf, L.x1, w).set(x1.map((v) => 4 * v));
    new Float32Array(buf, L.wx, w).set(wx);
    new Int32Array(buf, L.y0, h).set(y0.map((v) => 4 * v * w));
    new Int32Array(buf, L.y1, h).set(y1.map((v) => 4 * v * w));
    new Float32Array(buf, L.wy, h).set(wy);
    this.layout = L;
    this.views = { low: new Float32Array(buf, L.low, k * N * N), out: new Float32Array(buf, L.out, k * h * w) };
    this.tablesFor = key;
    return true;
  }
}
