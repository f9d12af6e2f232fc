import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { SpaceError } from "../core/errors";
import { formatValue, isNdArray } from "../core/format-value";

// The value formatter of error messages and the NdArray check live in core (one copy for every layer).
export { formatValue, isNdArray };
import { allocTypedArray, dtypeOfArray } from "./dtypes";
import type { BoxDtype, TypedArrayOf } from "./dtypes";

/** Shared helpers for the NdArray-valued spaces (internal to src/spaces). */

/** Number of elements of a shape (1 for []). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Whether two shapes are equal. */
export function shapeEquals(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Check a shape: every dimension a non-negative safe integer.
 * @throws SpaceError naming the shape.
 */
export function validateShape(shape: unknown, what = "shape"): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SpaceError(`${what} must be an array of non-negative integers, got ${formatValue(shape)}`);
  }
  return [...(shape as number[])];
}

/** Python's tuple notation of a shape: `()`, `(3,)`, `(3, 4)`. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** Row-major (C order) strides of a shape. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const stride = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    stride[i] = s;
    s *= shape[i] as number;
  }
  return stride;
}

/** Whether an NdArray's elements are laid out row-major and contiguous from its offset. */
export function isContiguous(x: NdArray): boolean {
  let s = 1;
  for (let i = x.shape.length - 1; i >= 0; i--) {
    const d = x.shape[i] as number;
    if (d !== 1 && x.stride[i] !== s) return false;
    s *= d;
  }
  return true;
}

/** Wrap a typed array as a row-major NdArray of `shape` (no copy). */
export function wrapNd<A extends TypedArrayOf[BoxDtype]>(data: A, shape: readonly number[]): NdArray<A> {
  return ndarray(data, [...shape], rowMajorStrides(shape), 0);
}

/**
 * The elements of an NdArray in row-major order as a typed array of its own dtype: the backing
 * array itself (or a subarray view) when it is contiguous, otherwise a copy.
 */
export function contiguousData(x: NdArray): ArrayLike<number> {
  const size = shapeSize(x.shape);
  const data = x.data as ArrayLike<number> & { subarray?: (a: number, b: number) => ArrayLike<number> };
  if (isContiguous(x)) {
    if (x.offset === 0 && data.length === size) return data;
    if (typeof data.subarray === "function") return data.subarray(x.offset, x.offset + size);
  }
  const dtype = dtypeOfArray(data);
  const out: number[] | TypedArrayOf[BoxDtype] =
    dtype === null ? new Array<number>(size) : allocTypedArray(dtype, size);
  copyStrided(x, out);
  return out;
}

/** Copy the elements of `x` in row-major order into `out` (length = x's size). */
export function copyStrided(x: NdArray, out: { [i: number]: number }): void {
  const shape = x.shape;
  const stride = x.stride;
  const nd = shape.length;
  const get = getter(x.data);
  const size = shapeSize(shape);
  if (size === 0) return;
  const idx = new Array<number>(nd).fill(0);
  let ptr = x.offset;
  for (let k = 0; k < size; k++) {
    out[k] = get(ptr);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      ptr += stride[d] as number;
      if ((idx[d] as number) < (shape[d] as number)) break;
      ptr -= (stride[d] as number) * (shape[d] as number);
      idx[d] = 0;
    }
  }
}

function getter(data: unknown): (i: number) => number {
  const g = data as { get?: (i: number) => number };
  if (typeof g.get === "function" && !ArrayBuffer.isView(data)) return (i) => (g.get as (i: number) => number)(i);
  const a = data as ArrayLike<number>;
  return (i) => a[i] as number;
}

/**
 * Read a nested JS array (or a number, for shape []) into a flat row-major list, checking it
 * has exactly `shape`. Returns null when the nesting does not match.
 */
export function flattenNested(value: unknown, shape: readonly number[]): number[] | null {
  const out: number[] = [];
  const walk = (v: unknown, depth: number): boolean => {
    if (depth === shape.length) {
      if (typeof v !== "number") return false;
      out.push(v);
      return true;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) return false;
    for (const item of v) if (!walk(item, depth + 1)) return false;
    return true;
  };
  return walk(value, 0) ? out : null;
}

/** The shape of a regular nested JS array (a number has shape []); null when ragged. */
export function nestedShape(value: unknown): number[] | null {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return flattenNested(value, shape) === null ? null : shape;
}

/** A row-major flat list as a nested JS array of `shape` (a number for shape []). */
export function toNested(flat: ArrayLike<number>, shape: readonly number[]): unknown {
  if (shape.length === 0) return flat[0];
  let pos = 0;
  const build = (depth: number): unknown[] => {
    const n = shape[depth] as number;
    const out = new Array<unknown>(n);
    if (depth === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = flat[pos++];
    } else {
      for (let i = 0; i < n; i++) out[i] = build(depth + 1);
    }
    return out;
  };
  return build(0);
}

/**
 * Read an array-like argument (number, flat or nested JS array, typed array or NdArray) into a
 * flat row-major list plus its own shape (null for a scalar).
 * @throws SpaceError naming `what` when the value is none of these or is ragged.
 */
export function readArrayArg(value: unknown, what: string): { flat: ArrayLike<number>; shape: number[] | null } {
  if (typeof value === "number") return { flat: [value], shape: null };
  if (isNdArray(value)) return { flat: contiguousData(value), shape: [...value.shape] };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const a = value as unknown as ArrayLike<number>;
    if (typeof a[0] === "bigint") throw new SpaceError(`${what} must hold numbers, got ${formatValue(value)}`);
    return { flat: a, shape: [a.length] };
  }
  if (Array.isArray(value)) {
    const shape = nestedShape(value);
    if (shape === null)
      throw new SpaceError(`${what} must be a number or a regular array of numbers, got ${formatValue(value)}`);
    return { flat: flattenNested(value, shape) as number[], shape };
  }
  throw new SpaceError(`${what} must be a number, an array of numbers or an NdArray, got ${formatValue(value)}`);
}
