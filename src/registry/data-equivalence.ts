import ndarray from "ndarray";
import type { NdArray } from "ndarray";

/** Whether `x` is an `ndarray` NdArray (has data, shape, stride and offset). */
function isNd(x: unknown): x is NdArray {
  if (typeof x !== "object" || x === null) return false;
  const a = x as Partial<NdArray>;
  return Array.isArray(a.shape) && Array.isArray(a.stride) && typeof a.offset === "number" && a.data !== undefined;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** The elements of an NdArray in row-major order (a fresh plain array; fine for checks, not hot loops). */
function ndElements(x: NdArray): unknown[] {
  const { shape, stride } = x;
  const data = x.data as unknown as ArrayLike<unknown> & { get?: (i: number) => unknown };
  const read =
    typeof data.get === "function" && !ArrayBuffer.isView(data) ? (i: number) => data.get!(i) : (i: number) => data[i];
  const out: unknown[] = [];
  const walk = (dim: number, ptr: number): void => {
    if (dim === shape.length) {
      out.push(read(ptr));
      return;
    }
    for (let i = 0; i < (shape[dim] as number); i++) walk(dim + 1, ptr + i * (stride[dim] as number));
  };
  walk(0, x.offset);
  return out;
}

/**
 * A deep copy of an observation, action or info value: NdArrays (copied to a fresh contiguous
 * array of the same typed-array type), typed arrays, arrays, plain objects and Maps are copied
 * recursively; primitives and other objects are returned as they are.
 */
export function deepCopyData<T>(x: T): T {
  if (typeof x !== "object" || x === null) return x;
  if (isNd(x)) {
    const elems = ndElements(x);
    const src = x.data as unknown;
    const ctor = ArrayBuffer.isView(src) ? (src.constructor as new (n: number) => { [i: number]: unknown }) : Array;
    const data = new ctor(elems.length) as { [i: number]: unknown };
    for (let i = 0; i < elems.length; i++) data[i] = elems[i];
    return ndarray(data as unknown as number[], [...x.shape]) as unknown as T;
  }
  if (ArrayBuffer.isView(x)) return (x as unknown as { slice(): T }).slice();
  if (Array.isArray(x)) return x.map((v) => deepCopyData(v)) as unknown as T;
  if (x instanceof Map) return new Map([...x].map(([k, v]) => [k, deepCopyData(v)])) as unknown as T;
  if (isPlainObject(x)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = deepCopyData(v);
    return out as T;
  }
  return x;
}

/** Options of {@link dataEquivalence}. */
export interface DataEquivalenceOptions {
  /** Compare array elements exactly; otherwise numbers in arrays may differ by 1e-5 + 1e-5 * |b| (default false). */
  exact?: boolean;
}

/**
 * Whether two observations/actions/infos are equivalent (Gymnasium's `data_equivalence`): same
 * type (constructor; NdArrays by shape and data type instead); plain objects with the same keys and equivalent values; arrays of the same
 * length with equivalent items; NdArrays and typed arrays with the same shape and dtype and equal
 * elements (within NumPy's `allclose` tolerance unless `exact`); other values by `===` (NaN is
 * not equal to itself, as in Python).
 */
export function dataEquivalence(a: unknown, b: unknown, opts: DataEquivalenceOptions = {}): boolean {
  const exact = opts.exact ?? false;
  if (typeof a !== typeof b) return false;
  if (typeof a !== "object" || a === null || b === null) return a === b;
  if (isNd(a) || isNd(b)) {
    // compared structurally: two copies of the ndarray package have different view classes
    if (!isNd(a) || !isNd(b)) return false;
    if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
    if ((a.data as object).constructor !== (b.data as object).constructor) return false;
    return elementsEqual(ndElements(a), ndElements(b), exact);
  }
  if ((a as object).constructor !== (b as object).constructor) return false;
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    return x.length === y.length && elementsEqual(Array.from(x), Array.from(y), exact);
  }
  if (Array.isArray(a)) {
    const y = b as unknown[];
    return a.length === y.length && a.every((v, i) => dataEquivalence(v, y[i], opts));
  }
  if (a instanceof Map) {
    const y = b as Map<unknown, unknown>;
    return a.size === y.size && [...a].every(([k, v]) => y.has(k) && dataEquivalence(v, y.get(k), opts));
  }
  if (isPlainObject(a)) {
    const y = b as Record<string, unknown>;
    const ka = Object.keys(a);
    const kb = Object.keys(y);
    if (ka.length !== kb.length || !ka.every((k) => Object.prototype.hasOwnProperty.call(y, k))) return false;
    return ka.every((k) => dataEquivalence(a[k], y[k], opts));
  }
  return a === b;
}

function elementsEqual(x: readonly unknown[], y: readonly unknown[], exact: boolean): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    if (u === v) continue;
    if (exact || typeof u !== "number" || typeof v !== "number") return false;
    if (!(Math.abs(u - v) <= 1e-5 + 1e-5 * Math.abs(v))) return false; // np.allclose(rtol=1e-5, atol=1e-5)
  }
  return true;
}
