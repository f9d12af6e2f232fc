import { SpaceError } from "../core/errors";

/** Element types a {@link Box} (and MultiDiscrete/MultiBinary) value can have. */
export type BoxDtype = "uint8" | "int8" | "uint16" | "int16" | "uint32" | "int32" | "float32" | "float64";

/** The integer subset of {@link BoxDtype}. */
export type IntegerDtype = Exclude<BoxDtype, "float32" | "float64">;

/** The typed array that backs values of each dtype. */
export interface TypedArrayOf {
  uint8: Uint8Array;
  int8: Int8Array;
  uint16: Uint16Array;
  int16: Int16Array;
  uint32: Uint32Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** Any typed array a space value can be backed by. */
export type SpaceTypedArray = TypedArrayOf[BoxDtype];

export interface TypedArrayConstructorOf<A extends SpaceTypedArray> {
  new (length: number): A;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): A;
  readonly BYTES_PER_ELEMENT: number;
}

/** Facts about one dtype: its typed array constructor and its value range. */
export interface DtypeInfo<D extends BoxDtype = BoxDtype> {
  readonly name: D;
  readonly ctor: TypedArrayConstructorOf<TypedArrayOf[D]>;
  readonly kind: "int" | "uint" | "float";
  readonly bits: number;
  /** Smallest finite value (NumPy's iinfo/finfo min). */
  readonly min: number;
  /** Largest finite value. */
  readonly max: number;
}

const FLOAT32_MAX = 3.4028234663852886e38;

const INFOS: { readonly [D in BoxDtype]: DtypeInfo<D> } = {
  uint8: { name: "uint8", ctor: Uint8Array, kind: "uint", bits: 8, min: 0, max: 255 },
  int8: { name: "int8", ctor: Int8Array, kind: "int", bits: 8, min: -128, max: 127 },
  uint16: { name: "uint16", ctor: Uint16Array, kind: "uint", bits: 16, min: 0, max: 65535 },
  int16: { name: "int16", ctor: Int16Array, kind: "int", bits: 16, min: -32768, max: 32767 },
  uint32: { name: "uint32", ctor: Uint32Array, kind: "uint", bits: 32, min: 0, max: 4294967295 },
  int32: { name: "int32", ctor: Int32Array, kind: "int", bits: 32, min: -2147483648, max: 2147483647 },
  float32: { name: "float32", ctor: Float32Array, kind: "float", bits: 32, min: -FLOAT32_MAX, max: FLOAT32_MAX },
  float64: {
    name: "float64",
    ctor: Float64Array,
    kind: "float",
    bits: 64,
    min: -Number.MAX_VALUE,
    max: Number.MAX_VALUE,
  },
};

/** All supported dtype names, smallest integer types first. */
export const BOX_DTYPES: readonly BoxDtype[] = Object.freeze(Object.keys(INFOS) as BoxDtype[]);

/** Whether `x` names a supported dtype. */
export function isBoxDtype(x: unknown): x is BoxDtype {
  return typeof x === "string" && Object.prototype.hasOwnProperty.call(INFOS, x);
}

/**
 * Facts about a dtype.
 * @throws SpaceError naming the value when it is not one of {@link BOX_DTYPES}.
 */
export function dtypeInfo<D extends BoxDtype>(dtype: D): DtypeInfo<D>;
export function dtypeInfo(dtype: unknown): DtypeInfo;
export function dtypeInfo(dtype: unknown): DtypeInfo {
  if (!isBoxDtype(dtype)) {
    throw new SpaceError(`unknown dtype ${JSON.stringify(dtype)}; expected one of ${BOX_DTYPES.join(", ")}`);
  }
  return INFOS[dtype] as DtypeInfo;
}

/** The dtype of a typed array, or null for other values (plain arrays, Uint8ClampedArray, ...). */
export function dtypeOfArray(data: unknown): BoxDtype | null {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Uint8Array) return data instanceof Uint8ClampedArray ? null : "uint8";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Uint16Array) return "uint16";
  return null;
}

/** A zero-filled typed array of `dtype`, optionally on a SharedArrayBuffer (for worker threads). */
export function allocTypedArray<D extends BoxDtype>(dtype: D, length: number, shared = false): TypedArrayOf[D] {
  const ctor = INFOS[dtype].ctor as TypedArrayConstructorOf<TypedArrayOf[D]>;
  if (!shared) return new ctor(length);
  return new ctor(new SharedArrayBuffer(length * ctor.BYTES_PER_ELEMENT), 0, length);
}

/**
 * NumPy's `can_cast(from, to)` with the default "safe" casting: whether every value of `from`
 * is exactly representable in `to` (int8 -> int16 yes, int32 -> float32 no, uint8 -> int8 no).
 */
export function canCast(from: BoxDtype, to: BoxDtype): boolean {
  if (from === to) return true;
  const a = INFOS[from];
  const b = INFOS[to];
  if (b.kind === "float") {
    if (a.kind === "float") return b.bits >= a.bits;
    return a.bits < (b.bits === 32 ? 24 : 53); // the float's significand must hold every integer
  }
  if (a.kind === "float") return false;
  if (a.kind === b.kind) return b.bits >= a.bits;
  if (a.kind === "uint") return b.bits > a.bits; // uint -> int needs a wider int
  return false; // int -> uint loses negatives
}

/**
 * NumPy's `result_type` for the supported dtypes: the smallest dtype every input casts to
 * safely. Where NumPy would answer int64 (uint32 with a signed type), float64 is returned,
 * which holds every such value exactly.
 */
export function resultType(dtypes: readonly BoxDtype[]): BoxDtype {
  if (dtypes.length === 0) return "float64";
  let best: BoxDtype = dtypes[0] as BoxDtype;
  for (const d of dtypes.slice(1)) best = promote(best, d);
  return best;
}

const PROMOTION_ORDER: readonly BoxDtype[] = [
  "uint8",
  "int8",
  "uint16",
  "int16",
  "uint32",
  "int32",
  "float32",
  "float64",
];

function promote(a: BoxDtype, b: BoxDtype): BoxDtype {
  if (canCast(a, b)) return b;
  if (canCast(b, a)) return a;
  for (const c of PROMOTION_ORDER) if (canCast(a, c) && canCast(b, c)) return c;
  return "float64";
}
