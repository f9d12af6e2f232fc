import type { NdArray } from "ndarray";
import type { Space } from "../../core/space";
import { InvalidArgumentError } from "../../core/errors";
import { Box, Dict, Discrete } from "../../spaces";

/**
 * Plain-JS observation preprocessing for the agents: space introspection and flattening of
 * Box/Dict observations. No tfjs here (float maps are resized with src/data's Float32Resizer).
 */

/** The kind of a space the agents understand: "Box", "Discrete", "Dict" or "other". */
export function spaceType(space: Space): "Box" | "Discrete" | "Dict" | "other" {
  if (space instanceof Box) return "Box";
  if (space instanceof Discrete) return "Discrete";
  if (space instanceof Dict) return "Dict";
  return "other";
}

/** The sub-spaces of a Dict space in the space's key order. */
export function dictSubspaces(space: Space): Array<[string, Space]> {
  if (!(space instanceof Dict)) throw new InvalidArgumentError(`${space.toString()} is not a Dict space`);
  return space.keys.map((k) => [k, space.spaces[k] as Space]);
}

/** Number of actions of a Discrete space. @throws InvalidArgumentError for other spaces. */
export function discreteSize(space: Space): number {
  if (!(space instanceof Discrete))
    throw new InvalidArgumentError(`PPO needs a Discrete action space, got ${space.toString()}`);
  return space.n;
}

/** Start value of a Discrete space. @throws InvalidArgumentError for other spaces. */
export function discreteStart(space: Space): number {
  if (!(space instanceof Discrete))
    throw new InvalidArgumentError(`PPO needs a Discrete action space, got ${space.toString()}`);
  return space.start;
}

/**
 * Length of the flat feature vector of one observation: Box -> its size; Discrete -> one-hot of
 * n; Dict -> the concatenation of its Box and Discrete children in key order (Text is skipped).
 * @throws InvalidArgumentError when nothing numeric is left.
 */
export function flatFeatureSize(space: Space): number {
  const size = flatSizeOf(space);
  if (size === 0)
    throw new InvalidArgumentError(`observation space ${space.toString()} has no numeric part to learn from`);
  return size;
}

function flatSizeOf(space: Space): number {
  switch (spaceType(space)) {
    case "Box":
      return (space.shape as readonly number[]).reduce((a, b) => a * b, 1);
    case "Discrete":
      return discreteSize(space);
    case "Dict":
      return dictSubspaces(space).reduce((acc, [, s]) => acc + flatSizeOf(s), 0);
    default:
      return 0;
  }
}

/**
 * Write the flat features of a batch of `numEnvs` observations (a vector env's batched value
 * for `space`: Box -> NdArray [numEnvs, ...shape]; Discrete -> numEnvs integers; Dict -> an
 * object of those) into `out` [numEnvs, flatFeatureSize(space)].
 */
export function writeFlatFeatures(obs: unknown, space: Space, numEnvs: number, out: Float32Array): void {
  const width = flatSizeOf(space);
  writeInto(obs, space, numEnvs, out, width, 0);
}

function writeInto(
  obs: unknown,
  space: Space,
  numEnvs: number,
  out: Float32Array,
  width: number,
  offset: number,
): number {
  switch (spaceType(space)) {
    case "Box": {
      const size = flatSizeOf(space);
      const data = rowMajorData(obs, "Box observation");
      if (data.length !== numEnvs * size)
        throw new InvalidArgumentError(`Box observation batch has ${data.length} values, expected ${numEnvs * size}`);
      for (let i = 0; i < numEnvs; i++) {
        const dst = i * width + offset;
        const src = i * size;
        for (let j = 0; j < size; j++) out[dst + j] = data[src + j] as number;
      }
      return offset + size;
    }
    case "Discrete": {
      const n = discreteSize(space);
      const start = discreteStart(space);
      const values = rowMajorData(obs, "Discrete observation");
      for (let i = 0; i < numEnvs; i++) {
        const dst = i * width + offset;
        for (let j = 0; j < n; j++) out[dst + j] = 0;
        out[dst + Number(values[i]) - start] = 1;
      }
      return offset + n;
    }
    case "Dict": {
      const record = obs as Record<string, unknown>;
      let o = offset;
      for (const [key, sub] of dictSubspaces(space)) o = writeInto(record[key], sub, numEnvs, out, width, o);
      return o;
    }
    default:
      return offset;
  }
}

/**
 * The values of an NdArray (or typed array / number array) in row-major order: the backing
 * array itself when it is contiguous, else a copy.
 */
export function rowMajorData(x: unknown, what: string): ArrayLike<number> {
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return x as unknown as ArrayLike<number>;
  const a = x as Partial<NdArray<Float64Array>>;
  if (a === null || typeof a !== "object" || a.data === undefined || a.shape === undefined || a.stride === undefined) {
    throw new InvalidArgumentError(`${what}: expected an NdArray or typed array, got ${typeof x}`);
  }
  const shape = a.shape;
  const stride = a.stride;
  const size = shape.reduce((p, d) => p * d, 1);
  let expected = 1;
  let contiguous = true;
  for (let d = shape.length - 1; d >= 0; d--) {
    if ((shape[d] as number) > 1 && stride[d] !== expected) contiguous = false;
    expected *= shape[d] as number;
  }
  const offset = a.offset ?? 0;
  if (contiguous && offset === 0 && a.data.length === size) return a.data as ArrayLike<number>;
  const out = new Float64Array(size);
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < size; k++) {
    let p = offset;
    for (let d = 0; d < shape.length; d++) p += (index[d] as number) * (stride[d] as number);
    out[k] = a.data[p] as number;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = (index[d] as number) + 1;
      if ((index[d] as number) < (shape[d] as number)) break;
      index[d] = 0;
    }
  }
  return out;
}
