// The one way this package loads its WebAssembly: a module shipped as base64 in a generated .ts
// (see scripts/build-wasm.ts), compiled once where WebAssembly (with SIMD) is available.
import { base64ToBytes } from "./base64";

/** The slice of the WebAssembly JS API used here (the compile target's lib has no WebAssembly types). */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports?: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}

/** WebAssembly pages are 64 KiB. */
export const WASM_PAGE_BYTES = 65536;

/** A compiled module with the API that compiled it. */
export interface CompiledWasm {
  api: WasmApi;
  module: object;
}

/**
 * Compile a base64 WebAssembly module, or null where WebAssembly or a feature it uses (SIMD) is
 * unavailable: callers then take their scalar path. Call once per module and keep the result.
 */
export function compileWasm(base64: string): CompiledWasm | null {
  try {
    const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    return api === undefined ? null : { api, module: new api.Module(base64ToBytes(base64)) };
  } catch {
    return null; // no WebAssembly SIMD on this runtime
  }
}
