import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { InvalidArgumentError, MissingDependencyError } from "../../core/errors";
import { registerWasmConv2DBackpropFilter } from "./wasm-conv-grad";

/** Options of {@link selectBrowserBackend}. */
export interface BrowserBackendOptions {
  /** "wasm" (default) or "cpu" (plain JavaScript, slow). */
  backend?: "wasm" | "cpu";
  /**
   * URL prefix (ending in "/") the site serves tfjs-backend-wasm's `.wasm` files from (the
   * package's `dist/*.wasm`, copied by the site's build). Nothing is fetched from a CDN.
   */
  wasmPaths: string;
  /**
   * Let tfjs use its threaded wasm build on a cross-origin isolated page (default false). Off by
   * default: bundled by Vite/Rolldown, the threaded build's pthread workers fail to start
   * ("e is not defined" in the blob worker), so the page would never get a backend.
   */
  threads?: boolean;
}

/**
 * Activate a TensorFlow.js backend in a browser (the browser counterpart of `selectBackend`,
 * which reads the wasm binaries from node_modules on disk). Returns the tfjs backend name.
 *
 * @throws MissingDependencyError when the backend cannot start (binaries not served, ...).
 * @throws InvalidArgumentError on bad options.
 * @example
 * ```ts
 * await selectBrowserBackend({ wasmPaths: new URL("tfjs/", document.baseURI).href }); // "wasm"
 * ```
 */
export async function selectBrowserBackend(options: BrowserBackendOptions): Promise<"wasm" | "cpu"> {
  const backend = options.backend ?? "wasm";
  if (backend !== "wasm" && backend !== "cpu") {
    throw new InvalidArgumentError(`backend must be "wasm" or "cpu", got ${JSON.stringify(backend)}`);
  }
  if (backend === "wasm") {
    if (typeof options.wasmPaths !== "string" || !options.wasmPaths.endsWith("/")) {
      const got = JSON.stringify(options.wasmPaths);
      throw new InvalidArgumentError(`wasmPaths must be a URL prefix ending in "/", got ${got}`);
    }
    // tfjs picks the binary: threaded SIMD on a cross-origin isolated page (COOP same-origin +
    // COEP require-corp) when threads are allowed, else SIMD, else plain; all from this prefix.
    if (options.threads !== true) tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    setWasmPaths(options.wasmPaths);
    registerWasmConv2DBackpropFilter();
  }
  const ok = await tf.setBackend(backend);
  if (!ok) {
    const name = JSON.stringify(backend);
    throw new MissingDependencyError(`tfjs backend ${name} could not start (are the .wasm files served?)`);
  }
  await tf.ready();
  return backend;
}
