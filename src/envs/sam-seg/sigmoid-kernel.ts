import { SIGMOID_KERNEL_BASE64 } from "./sigmoid-kernel-bytes";
import { base64ToBytes } from "../../core/base64";

/** The slice of the WebAssembly JS API used here (the compile target's lib has no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: object } }) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}

/** One instance of the sigmoid kernel (sigmoid-kernel.wat) with its own fixed-size memory. */
export interface SigmoidKernelInstance {
  /** The instance's memory (never grown, so views on it stay valid). */
  buffer: ArrayBuffer;
  /**
   * out = sigmoid32(in) for 4 * quads float32 values (byte addresses, multiples of 16); with
   * overlap != 0, also the overlap sums against the uint8 ground truth at gtAddr, stored at
   * resAddr as f64 sum(p), f64 sum(p where g), i32 count(p > 0.5), i32 count(p > 0.5 where g),
   * i32 count(g).
   */
  sigmoidMap(inAddr: number, outAddr: number, quads: number, overlap: number, gtAddr: number, resAddr: number): void;
}

/** WebAssembly pages are 64 KiB. */
export const WASM_PAGE_BYTES = 65536;

let compiled: { api: WasmApi; module: object } | null | undefined;

/** The compiled kernel module (compiled once per thread), or null where WebAssembly SIMD is unavailable. */
function kernelModule(): { api: WasmApi; module: object } | null {
  if (compiled !== undefined) return compiled;
  try {
    const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    compiled = api === undefined ? null : { api, module: new api.Module(base64ToBytes(SIGMOID_KERNEL_BASE64)) };
  } catch {
    compiled = null; // no WebAssembly SIMD on this runtime
  }
  return compiled;
}

/** A kernel instance with `bytes` of memory (rounded up to whole pages), or null without WebAssembly SIMD. */
export function instantiateSigmoidKernel(bytes: number): SigmoidKernelInstance | null {
  const m = kernelModule();
  if (m === null) return null;
  try {
    const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES));
    const memory = new m.api.Memory({ initial: pages, maximum: pages });
    const { sigmoidMap } = new m.api.Instance(m.module, { env: { memory } }).exports as unknown as Pick<SigmoidKernelInstance, "sigmoidMap">;
    return { buffer: memory.buffer, sigmoidMap };
  } catch {
    return null;
  }
}
