import type { NdArray } from "ndarray";
import { SpaceError } from "../core/errors";
import type { Space } from "../core/space";
import { Box } from "./box";
import { Dict } from "./dict";
import { Discrete } from "./discrete";
import { allocTypedArray, dtypeOfArray, resultType } from "./dtypes";
import type { BoxDtype, SpaceTypedArray } from "./dtypes";
import { MultiBinary } from "./multi-binary";
import { MultiDiscrete } from "./multi-discrete";
import { contiguousData, formatValue, isNdArray, wrapNd } from "./nd";
import { Text } from "./text";
import { Tuple } from "./tuple";

/**
 * Gymnasium's flatten utilities (gymnasium.spaces.utils): every space here flattens to a 1-D
 * NdArray whose dtype is that of {@link flattenSpace}: Box and MultiBinary -> their elements
 * (row-major); Discrete -> a one-hot int32 vector of length n; MultiDiscrete -> concatenated
 * one-hot vectors (its dtype); Text -> maxLength int32 character indices padded with the charset
 * size; Tuple/Dict -> the concatenation of their children (in key order for Dict) in the children's
 * NumPy result dtype.
 */

/** Children of a composite space in flattening order (null for other spaces). */
function children(space: Space<unknown>): readonly Space<unknown>[] | null {
  if (space instanceof Tuple) return space.spaces;
  if (space instanceof Dict) return space.children;
  return null;
}

function unsupported(space: Space<unknown>, fn: string): SpaceError {
  return new SpaceError(`${fn}: ${space} cannot be flattened (no flatten rule for ${space.constructor.name})`);
}

/**
 * Length of the flattened vector of `space` (Gymnasium's `flatdim`).
 * @throws SpaceError for spaces that cannot be flattened.
 */
export function flatdim(space: Space<unknown>): number {
  if (space instanceof Box || space instanceof MultiBinary) return space.size;
  if (space instanceof Discrete) return space.n;
  if (space instanceof MultiDiscrete)
    return Array.from(space.nvec.data as ArrayLike<number>).reduce((a, b) => a + b, 0);
  if (space instanceof Text) return space.maxLength;
  const kids = children(space);
  if (kids !== null) return kids.reduce((a, s) => a + flatdim(s), 0);
  throw unsupported(space, "flatdim");
}

/** The dtype of the flattened vector of `space`. */
function flatDtype(space: Space<unknown>): BoxDtype {
  if (space instanceof Box || space instanceof MultiDiscrete) return space.dtype;
  if (space instanceof MultiBinary) return "int8";
  if (space instanceof Discrete || space instanceof Text) return "int32";
  const kids = children(space);
  if (kids !== null) return resultType(kids.map(flatDtype));
  throw unsupported(space, "flatten");
}

/**
 * The value `x` of `space` as a 1-D NdArray (see the module doc for each space's rule; Gymnasium's
 * `flatten`). `flattenSpace(space).contains(flatten(space, x))` holds for every x in space.
 * @throws SpaceError for spaces that cannot be flattened or values of the wrong form.
 */
export function flatten<T>(space: Space<T>, x: T): NdArray<SpaceTypedArray> {
  const out = allocTypedArray(flatDtype(space), flatdim(space));
  writeFlat(space, x, out, 0);
  return wrapNd(out, [out.length]);
}

/** Write the flattened `x` into `out` from `at`; returns the position after it. */
function writeFlat(space: Space<unknown>, x: unknown, out: SpaceTypedArray, at: number): number {
  if (space instanceof Box || space instanceof MultiBinary) {
    if (!isNdArray(x) || dtypeOfArray(x.data) === null)
      throw new SpaceError(`flatten: expected an NdArray for ${space}, got ${formatValue(x)}`);
    const data = contiguousData(x);
    if (data.length !== space.size)
      throw new SpaceError(`flatten: expected ${space.size} elements for ${space}, got ${data.length}`);
    out.set(data, at);
    return at + space.size;
  }
  if (space instanceof Discrete) {
    if (!space.contains(x)) throw new SpaceError(`flatten: ${formatValue(x)} is not in ${space}`);
    out[at + (x as number) - space.start] = 1;
    return at + space.n;
  }
  if (space instanceof MultiDiscrete) {
    if (!space.contains(x)) throw new SpaceError(`flatten: ${formatValue(x)} is not in ${space}`);
    const data = contiguousData(x as NdArray);
    const nvec = space.nvec.data as ArrayLike<number>;
    const start = space.start.data as ArrayLike<number>;
    let pos = at;
    for (let i = 0; i < space.size; i++) {
      out[pos + (data[i] as number) - (start[i] as number)] = 1;
      pos += nvec[i] as number;
    }
    return pos;
  }
  if (space instanceof Text) {
    if (typeof x !== "string") throw new SpaceError(`flatten: expected a string for ${space}, got ${formatValue(x)}`);
    const pad = space.characterList.length;
    out.fill(pad, at, at + space.maxLength);
    let i = 0;
    for (const c of x) {
      const k = space.characterIndex(c);
      if (k < 0 || i >= space.maxLength) throw new SpaceError(`flatten: ${formatValue(x)} is not in ${space}`);
      out[at + i++] = k;
    }
    return at + space.maxLength;
  }
  if (space instanceof Tuple) {
    if (!Array.isArray(x) || x.length !== space.length)
      throw new SpaceError(`flatten: expected an array of ${space.length} for ${space}, got ${formatValue(x)}`);
    return space.spaces.reduce((pos: number, s: Space<unknown>, i: number) => writeFlat(s, x[i], out, pos), at);
  }
  if (space instanceof Dict) {
    if (typeof x !== "object" || x === null)
      throw new SpaceError(`flatten: expected an object for ${space}, got ${formatValue(x)}`);
    return space.keys.reduce((pos, k) => writeFlat(space.get(k), (x as Record<string, unknown>)[k], out, pos), at);
  }
  throw unsupported(space, "flatten");
}

/**
 * The value of `space` whose flattened form is `flat` (Gymnasium's `unflatten`): the inverse of
 * {@link flatten}. `flat` is a 1-D NdArray or a plain/typed array of length `flatdim(space)`.
 * @throws SpaceError on a wrong length, or a one-hot part with no non-zero entry.
 */
export function unflatten<T>(space: Space<T>, flat: NdArray | ArrayLike<number>): T {
  const data = isNdArray(flat) ? contiguousData(flat) : flat;
  if (typeof (data as { length?: unknown })?.length !== "number")
    throw new SpaceError(`unflatten: expected a 1-D array, got ${formatValue(flat)}`);
  const n = flatdim(space);
  if (data.length !== n) throw new SpaceError(`unflatten: ${space} needs ${n} values, got ${data.length}`);
  return readFlat(space, data, 0) as T;
}

function firstNonZero(data: ArrayLike<number>, from: number, to: number): number {
  for (let i = from; i < to; i++) if (data[i] !== 0) return i - from;
  return -1;
}

function readFlat(space: Space<unknown>, data: ArrayLike<number>, at: number): unknown {
  if (space instanceof Box || space instanceof MultiBinary) {
    const out = allocTypedArray(space.dtype, space.size);
    for (let i = 0; i < space.size; i++) out[i] = data[at + i] as number;
    return wrapNd(out, space.shape);
  }
  if (space instanceof Discrete) {
    const k = firstNonZero(data, at, at + space.n);
    if (k < 0)
      throw new SpaceError(
        `unflatten: not a one-hot vector for ${space}: ${formatValue(Array.from(data).slice(at, at + space.n))}`,
      );
    return space.start + k;
  }
  if (space instanceof MultiDiscrete) {
    const out = allocTypedArray(space.dtype, space.size);
    const nvec = space.nvec.data as ArrayLike<number>;
    const start = space.start.data as ArrayLike<number>;
    let pos = at;
    for (let i = 0; i < space.size; i++) {
      const c = nvec[i] as number;
      const k = firstNonZero(data, pos, pos + c);
      if (k < 0) throw new SpaceError(`unflatten: element ${i} of ${space} has no non-zero entry in its one-hot part`);
      out[i] = (start[i] as number) + k;
      pos += c;
    }
    return wrapNd(out, space.shape);
  }
  if (space instanceof Text) {
    let s = "";
    for (let i = 0; i < space.maxLength; i++) {
      const k = data[at + i] as number;
      if (k < space.characterList.length) s += space.characterList[k] ?? "";
    }
    return s;
  }
  const kids = children(space);
  if (kids !== null) {
    let pos = at;
    const values = kids.map((s) => {
      const v = readFlat(s, data, pos);
      pos += flatdim(s);
      return v;
    });
    return space instanceof Dict ? Object.fromEntries(space.keys.map((k, i) => [k, values[i]])) : values;
  }
  throw unsupported(space, "unflatten");
}

/**
 * The Box of flattened values of `space` (Gymnasium's `flatten_space`): Box -> its bounds
 * flattened; Discrete/MultiDiscrete/MultiBinary -> [0, 1] of length flatdim; Text -> [0, charset
 * size] int32; Tuple/Dict -> the children's boxes concatenated in their result dtype.
 * @throws SpaceError for spaces that cannot be flattened.
 */
export function flattenSpace(space: Space<unknown>): Box<BoxDtype> {
  const { low, high } = flatBounds(space);
  return new Box({ low, high, shape: [low.length], dtype: flatDtype(space) });
}

/** Bounds of the flattened space, with +-Infinity where unbounded. */
function flatBounds(space: Space<unknown>): { low: Float64Array; high: Float64Array } {
  if (space instanceof Box) return space.infiniteBounds();
  if (space instanceof Discrete || space instanceof MultiDiscrete || space instanceof MultiBinary) {
    const n = flatdim(space);
    return { low: new Float64Array(n), high: new Float64Array(n).fill(1) };
  }
  if (space instanceof Text) {
    return {
      low: new Float64Array(space.maxLength),
      high: new Float64Array(space.maxLength).fill(space.characterList.length),
    };
  }
  const kids = children(space);
  if (kids !== null) {
    const parts = kids.map(flatBounds);
    const n = parts.reduce((a, p) => a + p.low.length, 0);
    const low = new Float64Array(n);
    const high = new Float64Array(n);
    let pos = 0;
    for (const p of parts) {
      low.set(p.low, pos);
      high.set(p.high, pos);
      pos += p.low.length;
    }
    return { low, high };
  }
  throw unsupported(space, "flattenSpace");
}
