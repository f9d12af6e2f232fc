import * as tf from "@tensorflow/tfjs";
import { dirname, join } from "node:path";
import { InvalidArgumentError, MissingDependencyError } from "../../core/errors";
import { registerWasmConv2DBackpropFilter } from "./wasm-conv-grad";

/**
 * Which TensorFlow.js backend to run the policy on:
 * - `"node"`: `@tensorflow/tfjs-node` (native libtensorflow; optional, used only when installed),
 * - `"wasm"`: `@tensorflow/tfjs-backend-wasm` (SIMD, one core; the default when tfjs-node is absent),
 * - `"cpu"`: the plain-JavaScript reference backend (slow, exact; used by the determinism tests),
 * - `"auto"`: the first of node, wasm, cpu that initialises.
 */
export type BackendName = "auto" | "node" | "wasm" | "cpu";

/** The backend names accepted by {@link selectBackend} (and the CLI's `--backend`). */
export const BACKEND_NAMES: readonly BackendName[] = ["auto", "node", "wasm", "cpu"];

/** What {@link selectBackend} did. */
export interface BackendSelection {
  /** The backend now active. */
  backend: Exclude<BackendName, "auto">;
  /** The tfjs engine's name for it ("tensorflow", "wasm" or "cpu"). */
  tfName: string;
  /** Backends tried before it and why each was skipped (empty when the first choice worked). */
  skipped: Array<{ backend: Exclude<BackendName, "auto">; reason: string }>;
}

const TFJS_NODE = "@tensorflow/tfjs-node";
let wasmPathsSet = false;

/**
 * Activate a TensorFlow.js backend for everything in `alignsam-gym/ppo`.
 *
 * `"auto"` tries `@tensorflow/tfjs-node` (only if it is installed: it is an optional peer
 * dependency), then the wasm backend, then cpu. The wasm binaries are read from the
 * `@tensorflow/tfjs-backend-wasm` package folder on disk (nothing is downloaded), and the
 * `Conv2DBackpropFilter` kernel that the wasm backend lacks is registered, so conv agents train
 * on wasm. Calling it again switches backends (variables move with the engine).
 *
 * @throws MissingDependencyError when a backend named explicitly cannot be initialised.
 * @throws InvalidArgumentError on an unknown name.
 * @example
 * ```ts
 * const { backend } = await selectBackend("auto"); // "wasm" on a machine without tfjs-node
 * ```
 */
export async function selectBackend(requested: BackendName = "auto"): Promise<BackendSelection> {
  if (!BACKEND_NAMES.includes(requested)) {
    throw new InvalidArgumentError(
      `unknown backend ${JSON.stringify(requested)}; expected one of ${BACKEND_NAMES.join(", ")}`,
    );
  }
  const order: Array<Exclude<BackendName, "auto">> = requested === "auto" ? ["node", "wasm", "cpu"] : [requested];
  const skipped: BackendSelection["skipped"] = [];
  for (const candidate of order) {
    try {
      const tfName = await activate(candidate);
      return { backend: candidate, tfName, skipped };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (requested !== "auto") {
        throw new MissingDependencyError(`backend ${JSON.stringify(candidate)} could not be initialised: ${reason}`, {
          cause: err,
        });
      }
      skipped.push({ backend: candidate, reason });
    }
  }
  // Unreachable in practice: the cpu backend ships with @tensorflow/tfjs.
  throw new MissingDependencyError(`no TensorFlow.js backend could be initialised: ${JSON.stringify(skipped)}`);
}

async function activate(backend: Exclude<BackendName, "auto">): Promise<string> {
  if (backend === "node") {
    loadTfjsNode();
    await setBackendOrThrow("tensorflow");
    return "tensorflow";
  }
  if (backend === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    if (!wasmPathsSet) {
      // The .wasm files sit next to the package's main file (dist/); a trailing slash makes
      // setWasmPaths treat the string as a folder prefix.
      const distDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm"));
      wasm.setWasmPaths(join(distDir, "/"));
      wasmPathsSet = true;
    }
    registerWasmConv2DBackpropFilter();
    await setBackendOrThrow("wasm");
    return "wasm";
  }
  await setBackendOrThrow("cpu");
  return "cpu";
}

async function setBackendOrThrow(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend(${JSON.stringify(name)}) failed`);
  await tf.ready();
}

/** Load the optional native backend; its require registers the "tensorflow" backend. */
function loadTfjsNode(): void {
  let path: string;
  try {
    path = require.resolve(TFJS_NODE);
  } catch {
    throw new Error(`${TFJS_NODE} is not installed (optional; npm install ${TFJS_NODE} for native speed)`);
  }
  // A computed specifier keeps bundlers and tsc from resolving the optional package.
  require(path);
}
