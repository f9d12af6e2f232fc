import { SIGMOID_KERNEL_BASE64 } from "./generated/sigmoid-kernel-bytes";
import { WASM_PAGE_BYTES, compileWasm } from "../../core/wasm";
import type { CompiledWasm } from "../../core/wasm";

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

let compiled: CompiledWasm | null | undefined;

/** The compiled kernel module (compiled once per thread), or null where WebAssembly SIMD is unavailable. */
function kernelModule(): CompiledWasm | null {
  if (compiled === undefined) compiled = compileWasm(SIGMOID_KERNEL_BASE64);
  return compiled;
}

/** A kernel instance with `bytes` of memory (rounded up to whole pages), or null without WebAssembly SIMD. */
export function instantiateSigmoidKernel(bytes: number): SigmoidKernelInstance | null {
  const m = kernelModule();
  if (m === null) return null;
  try {
    const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES));
    const memory = new m.api.Memory({ initial: pages, maximum: pages });
    const { sigmoidMap } = new m.api.Instance(m.module, { env: { memory } }).exports as unknown as Pick<
      SigmoidKernelInstance,
      "sigmoidMap"
    >;
    return { buffer: memory.buffer, sigmoidMap };
  } catch {
    return null;
  }
}
