// Reads a weights module written by scripts/train-shape-prior.ts (the bundled
// src/priors/generated/shape-prior-weights.ts or a candidate's --out file) back into float16 bits.
import { readFileSync } from "node:fs";
import { shapePriorWeightsFromBase64 } from "../src/priors/shape-prior-weights";

/**
 * The float16 weights of a module written by `scripts/train-shape-prior.ts`: the base64 string
 * pieces after `SHAPE_PRIOR_WEIGHTS_BASE64`, joined and decoded as the bundled weights are.
 * @throws Error naming the file when it has no such constant; InvalidArgumentError when its text
 *   is not base64 or its length is odd.
 */
export function readShapePriorWeightsFile(path: string): Uint16Array {
  const text = readFileSync(path, "utf8");
  const at = text.indexOf("SHAPE_PRIOR_WEIGHTS_BASE64 =");
  if (at < 0) throw new Error(`${path}: no SHAPE_PRIOR_WEIGHTS_BASE64 constant (not written by train-shape-prior?)`);
  const b64 = Array.from(text.slice(at).matchAll(/"([A-Za-z0-9+/=]*)"/g), (m) => m[1] as string).join("");
  return shapePriorWeightsFromBase64(b64);
}
