import { base64ToBytes } from "../core/base64";
import { InvalidArgumentError } from "../core/errors";
import { SHAPE_PRIOR_WEIGHTS_BASE64 } from "./generated/shape-prior-weights";

/** Decoded bundled weights (shared by every provider in the process). */
let weights: Uint16Array | null = null;

/**
 * The bundled synthetic-shapes prior weights as float16 bits, in the network's parameter order
 * (decoded once from `generated/shape-prior-weights.ts`, written by scripts/train-shape-prior.ts).
 */
export function bundledShapePriorWeights(): Uint16Array {
  if (weights === null) {
    weights = shapePriorWeightsFromBase64(SHAPE_PRIOR_WEIGHTS_BASE64);
  }
  return weights;
}

/**
 * Float16 weights (this platform's byte order, as scripts/train-shape-prior.ts writes them) from
 * their base64 text.
 * @throws InvalidArgumentError on text that is not base64 or an odd number of bytes.
 */
export function shapePriorWeightsFromBase64(text: string): Uint16Array {
  const bytes = base64ToBytes(text);
  if (bytes.length % 2 !== 0)
    throw new InvalidArgumentError(
      `shape prior weights: ${bytes.length} bytes is not a whole number of float16 values`,
    );
  return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
}
