/**
 * Bulk "every element lies in [lo, hi]" checks for float32/float64 arrays with uniform bounds,
 * the hot path of `Box.contains` (a [256, 64, 64] float32 observation is 1 M elements).
 *
 * A scalar JS loop costs ~1 ns per element on a 2-core cloud VM; WebAssembly SIMD compares 4
 * floats per instruction. The module below is assembled from its bytes at load time (no file,
 * no download). Its single loop, in WebAssembly text format, for the float32 kernel:
 *
 * ```wat
 * (func (export "f32") (param $nvec i32) (param $lo f32) (param $hi f32) (result i32)
 *   (local $i i32) (local $vlo v128) (local $vhi v128) (local $acc v128) (local $v v128)
 *   (local.set $vlo (f32x4.splat (local.get $lo)))
 *   (local.set $vhi (f32x4.splat (local.get $hi)))
 *   (local.set $acc (i32x4.splat (i32.const -1)))
 *   (local.set $nvec (i32.shl (local.get $nvec) (i32.const 4)))        ;; vectors -> bytes
 *   (block (br_if 0 (i32.eqz (local.get $nvec)))
 *     (loop
 *       (local.set $v (v128.load (local.get $i)))
 *       (local.set $acc (v128.and (local.get $acc)
 *         (v128.and (f32x4.ge (local.get $v) (local.get $vlo)) (f32x4.le (local.get $v) (local.get $vhi)))))
 *       (br_if 0 (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $nvec)))))
 *   (i8x16.all_true (local.get $acc)))
 * ```
 * The float64 kernel is the same with f64x2. Comparisons with NaN are false, so NaN fails.
 * Data is copied into the module's 1 MiB memory chunk by chunk (a memcpy, ~0.02 ms per MiB).
 * When WebAssembly SIMD is unavailable, callers fall back to scalar loops.
 */

const CHUNK_BYTES = 1 << 20;

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

function name(s: string): number[] {
  return [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
}

/** Body of one range kernel; `splat`, `ge`, `le` are the SIMD opcodes of the lane type. */
function kernelBody(splat: number, ge: number, le: number): number[] {
  const SIMD = 0xfd;
  const code = [
    0x02, 0x01, 0x7f, 0x04, 0x7b, // locals: 1 x i32 ($i = 3), 4 x v128 ($vlo 4, $vhi 5, $acc 6, $v 7)
    0x20, 0x01, SIMD, splat, 0x21, 0x04, // $vlo = splat($lo)
    0x20, 0x02, SIMD, splat, 0x21, 0x05, // $vhi = splat($hi)
    0x41, 0x7f, SIMD, 0x11, 0x21, 0x06, // $acc = i32x4.splat(-1)
    0x20, 0x00, 0x41, 0x04, 0x74, 0x21, 0x00, // $nvec <<= 4
    0x02, 0x40, // block
    0x20, 0x00, 0x45, 0x0d, 0x00, //   br_if 0 (nvec == 0)
    0x03, 0x40, //   loop
    0x20, 0x03, SIMD, 0x00, 0x04, 0x00, 0x21, 0x07, //     $v = v128.load($i)
    0x20, 0x07, 0x20, 0x04, SIMD, ge, //     ge($v, $vlo)
    0x20, 0x07, 0x20, 0x05, SIMD, le, //     le($v, $vhi)
    SIMD, 0x4e, //     v128.and
    0x20, 0x06, SIMD, 0x4e, 0x21, 0x06, //     $acc &= ...
    0x20, 0x03, 0x41, 0x10, 0x6a, 0x22, 0x03, //     $i += 16 (tee)
    0x20, 0x00, 0x49, 0x0d, 0x00, //     br_if 0 ($i < $nvec)
    0x0b, // end loop
    0x0b, // end block
    0x20, 0x06, SIMD, 0x63, // i8x16.all_true($acc)
    0x0b, // end func
  ];
  return [...leb(code.length), ...code];
}

function moduleBytes(): Uint8Array {
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x02, 0x60, 0x03, 0x7f, 0x7d, 0x7d, 0x01, 0x7f, 0x60, 0x03, 0x7f, 0x7c, 0x7c, 0x01, 0x7f]),
    ...section(3, [0x02, 0x00, 0x01]),
    ...section(5, [0x01, 0x00, ...leb(CHUNK_BYTES >> 16)]),
    ...section(7, [0x03, ...name("memory"), 0x02, 0x00, ...name("f32"), 0x00, 0x00, ...name("f64"), 0x00, 0x01]),
    ...section(10, [0x02, ...kernelBody(0x13, 0x46, 0x45), ...kernelBody(0x14, 0x4c, 0x4b)]),
  ];
  return Uint8Array.from(bytes);
}

interface Kernels {
  f32(nvec: number, lo: number, hi: number): number;
  f64(nvec: number, lo: number, hi: number): number;
  memF32: Float32Array;
  memF64: Float64Array;
}

let kernels: Kernels | null | undefined;

/** The slice of the WebAssembly JS API used here (the compile target's lib has no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

function load(): Kernels | null {
  if (kernels !== undefined) return kernels;
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (wasm === undefined) return (kernels = null);
    const instance = new wasm.Instance(new wasm.Module(moduleBytes()));
    const ex = instance.exports as unknown as Omit<Kernels, "memF32" | "memF64"> & { memory: { buffer: ArrayBuffer } };
    kernels = { f32: ex.f32, f64: ex.f64, memF32: new Float32Array(ex.memory.buffer), memF64: new Float64Array(ex.memory.buffer) };
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
