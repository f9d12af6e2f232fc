import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import type { MaskLike } from "./binary-grid";
import { toBinaryGrid } from "./binary-grid";

/** Stand-in for "infinitely far" in the squared-distance pass (Felzenszwalb-Huttenlocher's INF). */
const FAR = 1e20;

/** Scratch buffers of the 1-D pass, sized for the longest row/column seen so far. */
class Scratch {
  f = new Float64Array(0);
  d = new Float64Array(0);
  v = new Int32Array(0);
  z = new Float64Array(0);
  ensure(n: number): void {
    if (this.f.length >= n) return;
    this.f = new Float64Array(n);
    this.d = new Float64Array(n);
    this.v = new Int32Array(n);
    this.z = new Float64Array(n + 1);
  }
}

/**
 * The module's one scratch (the transform is synchronous, so calls never overlap): no allocation
 * per call once it has grown to the longest line (a few 8-byte arrays of that length).
 */
const scratch = new Scratch();

/**
 * 1-D squared distance transform (lower envelope of parabolas): d[q] = min_p (q - p)^2 + f[p]
 * over s.f[0..n) into s.d[0..n).
 */
function edt1d(s: Scratch, n: number): void {
  const { f, d, v, z } = s;
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    const fq = f[q] + q * q;
    let sIntersect = (fq - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (sIntersect <= z[k]) {
      k--;
      sIntersect = (fq - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = sIntersect;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = dq * dq + f[v[k]];
  }
}

/**
 * In place: `grid` holds 0 at zero pixels and {@link FAR} elsewhere on entry, and the exact
 * squared Euclidean distance to the nearest zero pixel on return (>= FAR when there is none).
 * Felzenszwalb & Huttenlocher's separable algorithm: columns, then rows; O(h * w).
 */
export function squaredDistanceTransformInPlace(grid: Float64Array, h: number, w: number): void {
  const s = scratch;
  s.ensure(Math.max(h, w));
  for (let c = 0; c < w; c++) {
    for (let r = 0; r < h; r++) s.f[r] = grid[r * w + c];
    edt1d(s, h);
    for (let r = 0; r < h; r++) grid[r * w + c] = s.d[r];
  }
  for (let r = 0; r < h; r++) {
    const o = r * w;
    for (let c = 0; c < w; c++) s.f[c] = grid[o + c];
    edt1d(s, w);
    for (let c = 0; c < w; c++) grid[o + c] = s.d[c];
  }
}

/**
 * Exact Euclidean distance transform: for each non-zero pixel of an [H, W] mask, the distance
 * (pixels, centre to centre) to the nearest zero pixel; zero pixels get 0. Nothing outside the
 * array counts as zero (no padding). A mask without any zero pixel gives +Infinity everywhere.
 * Felzenszwalb-Huttenlocher, O(H * W).
 *
 * @example
 * ```ts
 * const dt = distanceTransform(mask);   // mask [H, W] 0/1 -> [H, W] float32 distances
 * ```
 */
export function distanceTransform(mask: MaskLike): NdArray<Float32Array> {
  const g = toBinaryGrid(mask, "mask");
  const n = g.h * g.w;
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) sq[i] = g.data[i] ? FAR : 0;
  squaredDistanceTransformInPlace(sq, g.h, g.w);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = sq[i] >= FAR ? Infinity : Math.sqrt(sq[i]);
  return ndarray(out, [g.h, g.w]);
}

/** {@link FAR}, exported for callers that build their own input grids. */
export const DT_FAR = FAR;
