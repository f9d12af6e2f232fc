/**
 * Bulk "every element lies in [lo, hi]" checks for float32/float64 arrays with uniform bounds,
 * the hot path of `Box.contains` (a [256, 64, 64] float32 observation is 1 M elements).
 *
 * A scalar JS loop costs ~1 ns per element on a 2-core cloud VM; WebAssembly SIMD compares 4
 * floats per instruction. The kernels are simd-range.wat, shipped as generated/simd-range-bytes.ts
 * (scripts/build-wasm.ts) and compiled once by `compileWasm`. Data is copied into the module's
 * 1 MiB memory chunk by chunk (a memcpy, ~0.02 ms per MiB). When WebAssembly SIMD is
 * unavailable, callers fall back to scalar loops.
 */

import { compileWasm } from "../core/wasm";
import { SIMD_RANGE_BASE64 } from "./generated/simd-range-bytes";

interface Kernels {
  f32(nvec: number, lo: number, hi: number): number;
  f64(nvec: number, lo: number, hi: number): number;
  memF32: Float32Array;
  memF64: Float64Array;
}

let kernels: Kernels | null | undefined;

function load(): Kernels | null {
  if (kernels !== undefined) return kernels;
  const compiled = compileWasm(SIMD_RANGE_BASE64);
  try {
    if (compiled === null) return (kernels = null);
    const instance = new compiled.api.Instance(compiled.module);
    const ex = instance.exports as unknown as Omit<Kernels, "memF32" | "memF64"> & { memory: { buffer: ArrayBuffer } };
    kernels = {
      f32: ex.f32,
      f64: ex.f64,
      memF32: new Float32Array(ex.memory.buffer),
      memF64: new Float64Array(ex.memory.buffer),
    };
  } catch {
    kernels = null; // no WebAssembly SIMD on this runtime
  }
  return kernels;
}

/** Whether the SIMD kernels are available (false -> callers use scalar loops). */
export function simdRangeAvailable(): boolean {
  return load() !== null;
}

/**
 * Whether every element of `data` lies in [lo, hi] (NaN never does), for float32 or float64
 * data; null when SIMD is unavailable. `lo`/`hi` must be values of the data's dtype.
 */
export function allInRangeSimd(data: Float32Array | Float64Array, lo: number, hi: number): boolean | null {
  const k = load();
  if (k === null) return null;
  const isF32 = data instanceof Float32Array;
  const mem = isF32 ? k.memF32 : k.memF64;
  const lanes = isF32 ? 4 : 2;
  const kernel = isF32 ? k.f32 : k.f64;
  const chunk = mem.length;
  const n = data.length;
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const nvec = Math.floor(m / lanes);
    if (nvec > 0) {
      mem.set(data.subarray(start, start + nvec * lanes));
      if (kernel(nvec, lo, hi) === 0) return false;
    }
    for (let i = start + nvec * lanes; i < start + m; i++) {
      const v = data[i] as number;
      if (!(v >= lo && v <= hi)) return false;
    }
  }
  return true;
}
