import type * as Ort from "onnxruntime-node";
import { MissingDependencyError } from "../../core/errors";

/** The onnxruntime-node module, as loaded by {@link loadOnnxRuntime}. */
export type OnnxRuntime = typeof Ort;

let loaded: Promise<OnnxRuntime> | null = null;

/** How to install the optional peer dependency (also printed by the error). */
export const ONNXRUNTIME_INSTALL_HINT =
  "Install it with `ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node` (or add the line " +
  "`onnxruntime-node-install=skip` to your project's .npmrc first): the skip avoids a post-install " +
  "download of CUDA files; the CPU binaries ship inside the package.";

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
