// Reads a weights module written by scripts/train-shape-prior.ts (the bundled
// src/priors/generated/shape-prior-weights.ts or a candidate's --out file) back into float16 bits.
import { readFileSync } from "node:fs";

/**
 * The float16 weights of a module written by `scripts/train-shape-prior.ts`: the base64 string
 * pieces after `SHAPE_PRIOR_WEIGHTS_BASE64`, joined and decoded.
 * @throws Error naming the file when it has no such constant or its length is odd.
 */
export function readShapePriorWeightsFile(path: string): Uint16Array {
  const text = readFileSync(path, "utf8");
  const at = text.indexOf("SHAPE_PRIOR_WEIGHTS_BASE64 =");
  if (at < 0) throw new Error(`${path}: no SHAPE_PRIOR_WEIGHTS_BASE64 constant (not written by train-shape-prior?)`);
  const b64 = Array.from(text.slice(at).matchAll(/"([A-Za-z0-9+/=]*)"/g), (m) => m[1] as string).join("");
  const bytes = Buffer.from(b64, "base64");
  if (bytes.length % 2 !== 0) throw new Error(`${path}: ${bytes.length} bytes is not a whole number of float16 values`);
  const bits = new Uint16Array(bytes.length / 2);
  for (let i = 0; i < bits.length; i++) bits[i] = bytes.readUInt16LE(2 * i);
  return bits;
}
