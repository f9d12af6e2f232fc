import type * as Ort from "onnxruntime-node";
import { SegmenterError } from "../../core/errors";

/** One expected model input or output: name, element type and shape (null = any size). */
export interface Expected {
  name: string;
  type: "float32" | "int64";
  shape: Array<number | null> | null;
}

/** Decoder inputs of the SAM ONNX contract (segment-anything's export). */
export const DECODER_INPUTS: Expected[] = [
  { name: "image_embeddings", type: "float32", shape: [1, null, null, null] },
  { name: "point_coords", type: "float32", shape: [1, null, 2] },
  { name: "point_labels", type: "float32", shape: [1, null] },
  { name: "mask_input", type: "float32", shape: [1, 1, 256, 256] },
  { name: "has_mask_input", type: "float32", shape: [1] },
  { name: "orig_im_size", type: "float32", shape: [2] },
];

/** Decoder outputs of the SAM ONNX contract. */
export const DECODER_OUTPUTS: Expected[] = [
  { name: "masks", type: "float32", shape: [1, null, null, null] },
  { name: "iou_predictions", type: "float32", shape: [1, null] },
  { name: "low_res_masks", type: "float32", shape: [1, null, 256, 256] },
];

/**
 * Compare a session's inputs or outputs with the contract. Returns one line per mismatch
 * (missing name, wrong type, wrong rank or a static size that differs), empty when all fit.
 * Symbolic (dynamic) sizes always fit.
 */
export function contractMismatches(
  what: "input" | "output",
  metadata: readonly Ort.InferenceSession.ValueMetadata[],
  expected: Expected[],
): string[] {
  const problems: string[] = [];
  const byName = new Map(metadata.map((m) => [m.name, m]));
  for (const e of expected) {
    const m = byName.get(e.name);
    if (!m) {
      problems.push(
        `missing ${what} "${e.name}" (the model has ${[...byName.keys()].map((n) => `"${n}"`).join(", ")})`,
      );
      continue;
    }
    if (!m.isTensor) {
      problems.push(`${what} "${e.name}" is not a tensor`);
      continue;
    }
    if (m.type !== e.type) problems.push(`${what} "${e.name}" has type ${m.type}, expected ${e.type}`);
    if (e.shape && m.shape.length > 0) {
      const fits =
        m.shape.length === e.shape.length &&
        e.shape.every((s, i) => s === null || typeof m.shape[i] !== "number" || m.shape[i] === s);
      if (!fits) {
        problems.push(
          `${what} "${e.name}" has shape [${m.shape.join(", ")}], expected [${e.shape.map((s) => s ?? "?").join(", ")}]`,
        );
      }
    }
  }
  return problems;
}

/** Throw a SegmenterError listing every mismatch of a model file with the contract. */
export function assertContract(path: string, problems: string[], contract = "SAM ONNX contract"): void {
  if (problems.length) {
    throw new SegmenterError(`${path} does not follow the ${contract}:\n  - ${problems.join("\n  - ")}`);
  }
}

/** The static size of dimension `dim` of a tensor input/output, or null if dynamic/unknown. */
export function staticDim(
  metadata: readonly Ort.InferenceSession.ValueMetadata[],
  name: string,
  dim: number,
): number | null {
  const m = metadata.find((v) => v.name === name);
  if (!m || !m.isTensor) return null;
  const d = m.shape[dim];
  return typeof d === "number" && d > 0 ? d : null;
}
