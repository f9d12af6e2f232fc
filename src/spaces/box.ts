import type { NdArray } from "ndarray";
import { SpaceError } from "../core/errors";
import { Space } from "../core/space";
import type { SpaceDescription } from "../core/space";
import { allocTypedArray, canCast, dtypeInfo, dtypeOfArray } from "./dtypes";
import type { BoxDtype, DtypeInfo, TypedArrayOf } from "./dtypes";
import {
  contiguousData,
  flattenNested,
  formatShape,
  formatValue,
  isNdArray,
  readArrayArg,
  shapeEquals,
  shapeSize,
  toNested,
  validateShape,
  wrapNd,
} from "./nd";
import { allInRangeSimd } from "./simd-range";
import { boxSample } from "./box-sample";

/** A nested JS array of numbers, e.g. `[[0, 1], [2, 3]]`. */
export type NestedNumbers = readonly (number | NestedNumbers)[];

/** A bound or value given as a scalar, a (nested) array, a typed array or an NdArray. */
export type ArrayArg = number | NestedNumbers | ArrayLike<number> | NdArray;

/** Options of {@link Box}. */
export interface BoxOptions<D extends BoxDtype> {
  /**
   * Lower bounds: a scalar (every element), an array of `shape` (nested array, typed array or
   * NdArray), or a flat row-major array of shape's size; -Infinity = unbounded.
   */
  low: ArrayArg;
  /** Upper bounds, in the same forms as `low`; Infinity = unbounded. */
  high: ArrayArg;
  /** Shape of a value; inferred from an array `low`/`high`, [1] when both are scalars. */
  shape?: readonly number[];
  /** Element type; default "float32" (Gymnasium's default). */
  dtype?: D;
  /** Seed the sampler (see {@link Space.seed}). */
  seed?: number;
}

/**
 * A (possibly unbounded) box in R^n (Gymnasium's `spaces.Box`): values are `ndarray` NdArrays
 * of `shape` backed by the dtype's typed array, each element in its closed interval
 * [low[i], high[i]]. Integer dtypes make it a box of integers; an infinite bound of a signed
 * integer box is stored as the dtype's min/max but still samples as unbounded.
 *
 * Sampling per element: uniform on [low, high] when bounded on both sides, low + Exp(1) when
 * bounded below only, high - Exp(1) when bounded above only, N(0, 1) when unbounded; integer
 * dtypes take the floor of a draw over [low, high + 1), so `high` is included.
 *
 * @example
 * ```ts
 * const box = new Box({ low: -1, high: 1, shape: [3, 4], dtype: "float32" });
 * box.seed(0);
 * const x = box.sample();          // NdArray<Float32Array>, shape [3, 4]
 * box.contains(x);                 // true
 * new Box({ low: [0, -2], high: [1, 2] }).toString(); // "Box([0.0 -2.0], [1.0 2.0], (2,), float32)"
 * ```
 */
export class Box<D extends BoxDtype = "float32"> extends Space<NdArray<TypedArrayOf[D]>> {
  declare readonly shape: readonly number[];
  declare readonly dtype: D;
  /** Lower bounds, an NdArray of `shape` and `dtype` (do not mutate). */
  readonly low: NdArray<TypedArrayOf[D]>;
  /** Upper bounds, an NdArray of `shape` and `dtype` (do not mutate). */
  readonly high: NdArray<TypedArrayOf[D]>;
  /** Per element (row-major): 1 where low was finite. */
  readonly boundedBelow: Uint8Array;
  /** Per element (row-major): 1 where high was finite. */
  readonly boundedAbove: Uint8Array;
  /** Number of elements of a value. */
  readonly size: number;
  private readonly info: DtypeInfo<D>;
  /** When every element has the same bounds and boundedness: those bounds, else null. */
  private readonly uniform: { lo: number; hi: number; below: boolean; above: boolean } | null;

  /** @throws SpaceError on an unknown dtype, a shape mismatch, NaN bounds, bounds outside the dtype, or low > high. */
  constructor(opts: BoxOptions<D>) {
    const o = (opts ?? {}) as Partial<BoxOptions<D>>;
    const dtype = (o.dtype ?? "float32") as D;
    const info = dtypeInfo(dtype) as DtypeInfo<D>;
    const lowArg = readArrayArg(o.low, "Box low");
    const highArg = readArrayArg(o.high, "Box high");
    const shape = resolveShape(o.shape, lowArg, highArg);
    super(shape, dtype);
    this.info = info;
    this.size = shapeSize(shape);
    const lo = castBounds(lowArg, shape, info, "low");
    const hi = castBounds(highArg, shape, info, "high");
    for (let i = 0; i < this.size; i++) {
      if ((lo.values[i] as number) > (hi.values[i] as number)) {
        throw new SpaceError(
          `Box low must be <= high everywhere, got low=${formatValue(lo.values[i])} > high=${formatValue(hi.values[i])} at flat index ${i}`,
        );
      }
    }
    this.low = wrapNd(lo.values, shape);
    this.high = wrapNd(hi.values, shape);
    this.boundedBelow = lo.bounded;
    this.boundedAbove = hi.bounded;
    this.uniform = uniformBounds(lo.values, hi.values, lo.bounded, hi.bounded);
    if (o.seed !== undefined) this.seed(o.seed);
  }

  override get isFlattenable(): boolean {
    return true;
  }

  /**
   * Whether every element is bounded below ("below"), above ("above") or both ("both").
   * @throws SpaceError on another manner.
   */
  isBounded(manner: "both" | "below" | "above" = "both"): boolean {
    const below = this.boundedBelow.every((b) => b === 1);
    const above = this.boundedAbove.every((b) => b === 1);
    if (manner === "both") return below && above;
    if (manner === "below") return below;
    if (manner === "above") return above;
    throw new SpaceError(`Box.isBounded: manner must be "both", "below" or "above", got ${formatValue(manner)}`);
  }

  /**
   * The bounds as float64 arrays with -Infinity/Infinity where unbounded (an integer box stores
   * its dtype's min/max in `low`/`high` instead). Used to rebuild or batch the box exactly.
   */
  infiniteBounds(): { low: Float64Array; high: Float64Array } {
    const low = Float64Array.from(this.low.data as ArrayLike<number>);
    const high = Float64Array.from(this.high.data as ArrayLike<number>);
    for (let i = 0; i < this.size; i++) {
      if (this.boundedBelow[i] === 0) low[i] = -Infinity;
      if (this.boundedAbove[i] === 0) high[i] = Infinity;
    }
    return { low, high };
  }

  /**
   * A random element (see the class doc for the distribution). Box takes no mask or probability.
   * @throws SpaceError when a mask or probability is given.
   */
  sample(opts?: { mask?: undefined; probability?: undefined }): NdArray<TypedArrayOf[D]> {
    if (opts != null && (opts.mask != null || opts.probability != null)) {
      throw new SpaceError(`Box.sample cannot be given a mask or probability, got ${formatValue(opts)}`);
    }
    const out = allocTypedArray(this.dtype, this.size);
    boxSample(this.rng, out, this.info, {
      low: this.low.data as ArrayLike<number>,
      high: this.high.data as ArrayLike<number>,
      boundedBelow: this.boundedBelow,
      boundedAbove: this.boundedAbove,
      uniform: this.uniform,
    });
    return wrapNd(out, this.shape);
  }

  /**
   * Whether `x` is an NdArray of this shape whose dtype casts safely to this dtype (NumPy's
   * can_cast: int8 data fits an int16 box, float64 data does not fit a float32 box) and whose
   * every element lies in [low, high]. NaN is never contained.
   */
  contains(x: unknown): boolean {
    if (!isNdArray(x)) return false;
    const xDtype = dtypeOfArray(x.data);
    if (xDtype === null || !canCast(xDtype, this.dtype) || !shapeEquals(x.shape, this.shape)) return false;
    const u = this.uniform;
    const xInfo = dtypeInfo(xDtype);
    // integer data whose whole dtype range lies within the bounds (e.g. uint8 in [0, 255]) is always contained
    if (u !== null && xInfo.kind !== "float" && xInfo.min >= u.lo && xInfo.max <= u.hi) return true;
    const data = contiguousData(x);
    if (u !== null) {
      if ((data instanceof Float32Array || data instanceof Float64Array) && xDtype === this.dtype) {
        const fast = allInRangeSimd(data, u.lo, u.hi);
        if (fast !== null) return fast;
      }
      return allInRange(data, u.lo, u.hi);
    }
    const low = this.low.data as ArrayLike<number>;
    const high = this.high.data as ArrayLike<number>;
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (!(v >= (low[i] as number) && v <= (high[i] as number))) return false;
    }
    return true;
  }

  /** A value as a nested JS array of numbers (a number for shape []). */
  toJSON(x: NdArray<TypedArrayOf[D]>): unknown {
    return toNested(contiguousData(x), this.shape);
  }

  /**
   * A value from its {@link toJSON} form (numbers are cast to the dtype).
   * @throws SpaceError when the nesting does not match the shape.
   */
  fromJSON(json: unknown): NdArray<TypedArrayOf[D]> {
    const flat = flattenNested(json, this.shape);
    if (flat === null)
      throw new SpaceError(
        `Box.fromJSON: expected a nested array of shape [${this.shape.join(", ")}], got ${formatValue(json)}`,
      );
    const out = allocTypedArray(this.dtype, this.size);
    out.set(flat);
    return wrapNd(out, this.shape);
  }

  /** Same dtype, shape and bounds (exact comparison; Gymnasium uses allclose). */
  equals(other: Space<unknown>): boolean {
    if (!(other instanceof Box) || other.dtype !== this.dtype || !shapeEquals(other.shape, this.shape)) return false;
    const a = this.infiniteBounds();
    const b = other.infiniteBounds();
    for (let i = 0; i < this.size; i++) {
      if (a.low[i] !== b.low[i] || a.high[i] !== b.high[i]) return false;
    }
    return true;
  }

  /**
   * `{type: "Box", dtype, shape, low, high}`; a bound is a scalar when uniform, else a flat
   * row-major array; infinite bounds are the strings "-inf"/"inf" (JSON has no Infinity).
   */
  describe(): SpaceDescription {
    const { low, high } = this.infiniteBounds();
    return {
      type: "Box",
      dtype: this.dtype,
      shape: [...this.shape],
      low: describeBound(low),
      high: describeBound(high),
    };
  }

  /** Gymnasium's repr, e.g. `Box(-1.0, 1.0, (3, 4), float32)`. */
  toString(): string {
    const lowRepr = shortRepr(this.low.data as ArrayLike<number>, this.shape, this.dtype);
    const highRepr = shortRepr(this.high.data as ArrayLike<number>, this.shape, this.dtype);
    return `Box(${lowRepr}, ${highRepr}, ${formatShape(this.shape)}, ${this.dtype})`;
  }
}

function resolveShape(shapeOpt: unknown, low: { shape: number[] | null }, high: { shape: number[] | null }): number[] {
  if (shapeOpt !== undefined) return validateShape(shapeOpt, "Box shape");
  if (low.shape !== null && high.shape !== null && !shapeEquals(low.shape, high.shape)) {
    throw new SpaceError(
      `Box low and high shapes differ: low [${low.shape.join(", ")}], high [${high.shape.join(", ")}]`,
    );
  }
  return low.shape ?? high.shape ?? [1];
}

/** Broadcast and cast one bound to the dtype, recording where it is finite. */
function castBounds<D extends BoxDtype>(
  arg: { flat: ArrayLike<number>; shape: number[] | null },
  shape: readonly number[],
  info: DtypeInfo<D>,
  which: "low" | "high",
): { values: TypedArrayOf[D]; bounded: Uint8Array } {
  const size = shapeSize(shape);
  const flat = arg.flat;
  // an array bound has the space's shape, or is flat (1-D, row-major) with the right length
  if (arg.shape !== null && !shapeEquals(arg.shape, shape) && !(arg.shape.length === 1 && flat.length === size)) {
    throw new SpaceError(
      `Box ${which} has shape [${arg.shape.join(", ")}] but the space's shape is [${shape.join(", ")}]`,
    );
  }
  const values = allocTypedArray(info.name, size);
  const bounded = new Uint8Array(size);
  const infinite = which === "low" ? -Infinity : Infinity;
  for (let i = 0; i < size; i++) {
    let v = flat[flat.length === 1 ? 0 : i] as number;
    if (typeof v !== "number" || Number.isNaN(v))
      throw new SpaceError(`Box ${which} cannot be NaN or non-numeric, got ${formatValue(v)}`);
    if (v === infinite) {
      if (info.kind === "uint") throw new SpaceError(`Box ${info.name} (unsigned) does not support ${which}=${v}`);
      if (info.kind === "int") v = which === "low" ? info.min : info.max;
    } else {
      bounded[i] = 1;
      if (v < info.min || v > info.max) {
        throw new SpaceError(`Box ${which}=${v} is outside the ${info.name} range [${info.min}, ${info.max}]`);
      }
    }
    values[i] = v;
  }
  return { values, bounded };
}

function uniformBounds(
  low: ArrayLike<number>,
  high: ArrayLike<number>,
  below: Uint8Array,
  above: Uint8Array,
): { lo: number; hi: number; below: boolean; above: boolean } | null {
  const n = low.length;
  if (n === 0) return null;
  for (let i = 1; i < n; i++) {
    if (low[i] !== low[0] || high[i] !== high[0] || below[i] !== below[0] || above[i] !== above[0]) return null;
  }
  return { lo: low[0] as number, hi: high[0] as number, below: below[0] === 1, above: above[0] === 1 };
}

function allInRange(data: ArrayLike<number>, lo: number, hi: number): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!(v >= lo && v <= hi)) return false;
  }
  return true;
}

function describeBound(values: Float64Array): number | string | (number | string)[] {
  const enc = (v: number): number | string => (v === Infinity ? "inf" : v === -Infinity ? "-inf" : v);
  if (values.length > 0 && values.every((v) => v === values[0])) return enc(values[0] as number);
  return Array.from(values, enc);
}

/** NumPy-like printing of one number of a dtype ("1.0" for float 1, "-inf", shortest float32 digits). */
export function formatNumber(v: number, dtype: BoxDtype): string {
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (dtype !== "float32" && dtype !== "float64") return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  if (dtype === "float32") {
    for (let p = 1; p <= 9; p++) {
      const s = v.toPrecision(p);
      if (Math.fround(Number(s)) === v) return String(Number(s));
    }
  }
  return String(v);
}

function shortRepr(values: ArrayLike<number>, shape: readonly number[], dtype: BoxDtype): string {
  const n = values.length;
  if (n > 0) {
    let same = true;
    for (let i = 1; i < n && same; i++) same = values[i] === values[0];
    if (same) return formatNumber(values[0] as number, dtype);
  }
  const fmt = (x: unknown): string =>
    Array.isArray(x) ? `[${x.map(fmt).join(" ")}]` : formatNumber(x as number, dtype);
  return fmt(toNested(Array.from(values), shape.length === 0 ? [1] : shape));
}
