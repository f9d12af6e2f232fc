import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { contiguousData, isNdArray, wrapNd } from "../spaces/nd";
import type { SpaceTypedArray } from "../spaces/dtypes";

/**
 * A deep copy of an observation-like value (Gymnasium's `deepcopy` of a batch): NdArrays get a
 * fresh compact row-major copy (never backed by a SharedArrayBuffer), typed arrays a fresh
 * typed array, arrays and plain objects are copied recursively, anything else is returned as is
 * (numbers, strings, null, class instances).
 *
 * @example
 * ```ts
 * const frozen = cloneValue(obs); // later writes into obs's buffers do not change `frozen`
 * ```
 */
export function cloneValue<T>(value: T): T {
  return cloneAny(value) as T;
}

function cloneAny(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (isNdArray(value)) return cloneNd(value);
  if (ArrayBuffer.isView(value)) return copyTyped(value as unknown as SpaceTypedArray);
  if (Array.isArray(value)) return value.map(cloneAny);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = cloneAny((value as Record<string, unknown>)[key]);
  return out;
}

function cloneNd(x: NdArray): NdArray {
  const data = contiguousData(x);
  if (!ArrayBuffer.isView(data)) return ndarray(Array.from(data), [...x.shape]);
  return wrapNd(copyTyped(data as SpaceTypedArray), x.shape);
}

/** A copy of a typed array on a fresh (non-shared) ArrayBuffer. */
function copyTyped<A extends SpaceTypedArray>(a: A): A {
  const ctor = a.constructor as new (length: number) => A;
  const out = new ctor(a.length);
  out.set(a as ArrayLike<number>);
  return out;
}
