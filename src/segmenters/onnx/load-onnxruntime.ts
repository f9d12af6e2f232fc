import type * as Ort from "onnxruntime-node";
import { MissingDependencyError } from "../../core/errors";
import { ONNXRUNTIME_INSTALL_HINT } from "./install-hint";

export { ONNXRUNTIME_INSTALL_HINT };

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
        `OnnxSamSegmenter needs the optional peer dependency onnxruntime-node, which could not be loaded ` +
          `(${(err as Error)?.message ?? err}). ${ONNXRUNTIME_INSTALL_HINT}`,
        { cause: err },
      );
    },
  );
  return loaded;
}
