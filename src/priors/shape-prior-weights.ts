import { base64ToBytes } from "../core/base64";
import { SHAPE_PRIOR_WEIGHTS_BASE64 } from "./generated/shape-prior-weights";

/** Decoded bundled weights (shared by every provider in the process). */
let weights: Uint16Array | null = null;

/**
 * The bundled synthetic-shapes prior weights as float16 bits, in the network's parameter order
 * (decoded once from `generated/shape-prior-weights.ts`, written by scripts/train-shape-prior.ts).
 */
export function bundledShapePriorWeights(): Uint16Array {
  if (weights === null) {
    weights = new Uint16Array(base64ToBytes(SHAPE_PRIOR_WEIGHTS_BASE64).buffer);
  }
  return weights;
}
