import type * as Ort from "onnxruntime-node";
import { MissingDependencyError } from "../../core/errors";
import { ONNXRUNTIME_GPU_HINT, ONNXRUNTIME_INSTALL_HINT } from "./install-hint";

export { ONNXRUNTIME_GPU_HINT, ONNXRUNTIME_INSTALL_HINT };

/** The onnxruntime-node module, as loaded by {@link loadOnnxRuntime}. */
export type OnnxRuntime = typeof Ort;

let loaded: Promise<OnnxRuntime> | null = null;

/**
 * Import onnxruntime-node on first use (a dynamic import, so `import "alignsam-gym"` never loads
 * it). Throws a MissingDependencyError with install instructions when it is not installed.
 */
export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  loaded ??= import("onnxruntime-node").then(
    (m) => ((m as { default?: OnnxRuntime }).default?.InferenceSession ? (m as { default: OnnxRuntime }).default : m),
    (err: unknown) => {
      loaded = null;
      throw new MissingDependencyError(
        `OnnxSamSegmenter and ClipSurgeryPrior need the optional peer dependency onnxruntime-node, which could not be loaded ` +
          `(${(err as Error)?.message ?? err}). ${ONNXRUNTIME_INSTALL_HINT}`,
        { cause: err },
      );
    },
  );
  return loaded;
}

/**
 * The error to throw when a session with `providers` could not be created: names the provider
 * and how to install it when the message says a provider library or backend is missing; null
 * when the failure has another cause (a bad model file...).
 */
export function providerLoadError(providers: readonly string[], err: unknown): string | null {
  const msg = (err as Error)?.message ?? String(err);
  const gpu = providers.filter((p) => p !== "cpu");
  if (gpu.length === 0) return null;
  const unknown = /backend not found/i.test(msg);
  const missing = /Failed to load shared library|ExecutionProvider|providers_shared|cannot open shared object/i.test(
    msg,
  );
  if (!unknown && !missing) return null;
  const names = gpu.map((p) => `"${p}"`).join(", "),
    first = msg.split("\n")[0];
  if (unknown && !/cuda|tensorrt/i.test(msg)) {
    return (
      `execution provider ${names} is not available in this onnxruntime-node build (${first}); ` +
      `providers it knows: cpu, cuda, tensorrt (Linux x64 with GPU binaries), dml (Windows), coreml (macOS), webgpu.`
    );
  }
  return `execution provider ${names} could not be loaded (${first}). ${ONNXRUNTIME_GPU_HINT}`;
}
