// Segmenters described as plain data (JSON-safe: CLI, checkpoints, worker recipes).
import { existsSync } from "node:fs";
import { InvalidArgumentError, SegmenterError } from "../core/errors";
import type { PromptableSegmenter } from "./promptable-segmenter";
import { GeodesicSegmenter, type GeodesicSegmenterOptions } from "./geodesic/geodesic-segmenter";
import { OnnxSamSegmenter, type OnnxSamSegmenterOptions } from "./onnx/onnx-sam-segmenter";

/**
 * A segmenter as plain data: `SamSegEnv`'s `segmenter` option accepts it (the env then owns
 * and disposes the segmenter), and {@link createSegmenterFromSpec} builds it.
 *
 * @example
 * ```ts
 * const spec: SegmenterSpec = {
 *   kind: "onnx-sam", encoderPath: "sam_vit_b_encoder.onnx", decoderPath: "sam_vit_b_decoder.onnx",
 * };
 * const env = make("SamSegEnv-v0", { segmenter: spec });
 * ```
 */
export type SegmenterSpec =
  ({ kind: "geodesic" } & GeodesicSegmenterOptions) | ({ kind: "onnx-sam" } & OnnxSamSegmenterOptions);

/** Whether `v` is a plain object with a `kind` string (a {@link SegmenterSpec} candidate). */
export function isSegmenterSpec(v: unknown): v is SegmenterSpec {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { kind?: unknown }).kind === "string";
}

/** The command-line flag that sets each model path of a spec, for error messages. */
const PATH_FLAGS: Record<string, string> = { encoderPath: "--encoder", decoderPath: "--decoder" };

/**
 * Build the segmenter a spec describes. ONNX model files are checked to exist (nothing is loaded
 * before the first embed/predict).
 * @throws InvalidArgumentError on an unknown kind; SegmenterError naming a missing model file
 *   and the option (and CLI flag) that overrides it.
 */
export function createSegmenterFromSpec(spec: SegmenterSpec): PromptableSegmenter {
  if (!isSegmenterSpec(spec)) {
    throw new InvalidArgumentError(`a segmenter spec must be an object with a "kind", got ${JSON.stringify(spec)}`);
  }
  const { kind, ...rest } = spec as SegmenterSpec & Record<string, unknown>;
  if (kind === "geodesic") return new GeodesicSegmenter(rest as GeodesicSegmenterOptions);
  if (kind === "onnx-sam") {
    const o = rest as unknown as OnnxSamSegmenterOptions;
    for (const key of ["encoderPath", "decoderPath"] as const) {
      const p = o[key];
      if (typeof p === "string" && !existsSync(p)) {
        throw new SegmenterError(
          `segmenter ${key} "${p}" not found (set segmenter.${key}; on the command line ${PATH_FLAGS[key]} <path>)`,
        );
      }
    }
    return new OnnxSamSegmenter(o);
  }
  throw new InvalidArgumentError(`unknown segmenter kind ${JSON.stringify(kind)}; expected "geodesic" or "onnx-sam"`);
}
