import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { contiguousData, isNdArray } from "../../spaces/nd";

/** How an NdArray travels between threads: its row-major elements and shape. */
interface WireNdArray {
  __ndarray__: true;
  data: ArrayLike<number>;
  shape: number[];
}

/**
 * Prepare a value for postMessage to or from a vector-env worker: NdArrays (which lose their
 * methods in a structured clone) become `{__ndarray__, data, shape}` markers, recursively inside
 * arrays and plain objects; everything else is left to the structured clone.
 *
 * @example
 * ```ts
 * port.postMessage(toWire(info));  // ... on the other side: fromWire(message)
 * ```
 */
export function toWire(value: unknown): unknown {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
  if (isNdArray(value)) {
    const wire: WireNdArray = { __ndarray__: true, data: contiguousData(value), shape: [...value.shape] };
    return wire;
  }
  if (Array.isArray(value)) return value.map(toWire);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = toWire((value as Record<string, unknown>)[key]);
  return out;
}

/** The inverse of {@link toWire}: markers become NdArrays again. */
export function fromWire(value: unknown): unknown {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(fromWire);
  const rec = value as Record<string, unknown>;
  if (rec.__ndarray__ === true) {
    const wire = rec as unknown as WireNdArray;
    return ndarray(wire.data as NdArray["data"], wire.shape);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(rec)) out[key] = fromWire(rec[key]);
  return out;
}

/** Whether an info dict is empty (then it need not travel at all). */
export function isEmptyInfo(info: Record<string, unknown>): boolean {
  for (const _ in info) return false;
  return true;
}
