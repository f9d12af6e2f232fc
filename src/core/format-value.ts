import type { NdArray } from "ndarray";

// The one formatter of values in error messages (every layer's "got ..." uses it).

/** A short printable form of any value for error messages. */
export function formatValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "function") return "a function";
  if (isNdArray(v)) return `NdArray(${v.dtype}, [${v.shape.join(", ")}])`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(v) || (typeof v === "object" && v !== null)) {
    try {
      const s = JSON.stringify(v);
      return s.length > 120 ? `${s.slice(0, 117)}...` : s;
    } catch {
      return Object.prototype.toString.call(v);
    }
  }
  return String(v);
}

/** Whether `x` looks like an `ndarray` NdArray (data, shape, stride, offset). */
export function isNdArray(x: unknown): x is NdArray {
  if (typeof x !== "object" || x === null) return false;
  const a = x as Partial<NdArray>;
  return Array.isArray(a.shape) && Array.isArray(a.stride) && typeof a.offset === "number" && a.data !== undefined;
}
