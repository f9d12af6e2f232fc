import type { NdArray } from "ndarray";
import { SpaceError } from "../core/errors";
import { Space } from "../core/space";
import type { SpaceDescription } from "../core/space";
import type { ArrayArg } from "./box";
import { allocTypedArray, canCast, dtypeInfo, dtypeOfArray } from "./dtypes";
import type { IntegerDtype, TypedArrayOf } from "./dtypes";
import {
  contiguousData,
  flattenNested,
  formatValue,
  isNdArray,
  readArrayArg,
  shapeEquals,
  shapeSize,
  toNested,
  wrapNd,
} from "./nd";
import { checkOneOf, sampleMaskIndex, sampleProbabilityIndex, validateMask01, validateProbability } from "./sampling";

/** Options of {@link MultiDiscrete}. */
export interface MultiDiscreteOptions<D extends IntegerDtype> {
  /** Smallest value of each element (same shape as nvec; default all 0). */
  start?: ArrayArg;
  /** Integer element type; default "int32" (Gymnasium's int64 has no JS typed array of numbers). */
  dtype?: D;
  /** Seed the sampler (see {@link Space.seed}). */
  seed?: number;
}

/**
 * Several discrete variables at once (Gymnasium's `spaces.MultiDiscrete`): element i takes
 * values in {start[i], ..., start[i] + nvec[i] - 1}. Values are NdArrays of nvec's shape backed
 * by the dtype's typed array (Int32Array by default).
 *
 * `sample({mask})`: one 0/1 mask per element, nested like nvec (an array of Uint8Arrays for a
 * 1-D nvec); an all-zero mask gives that element's start. `sample({probability})`: one
 * probability vector per element, nested the same way.
 *
 * @example
 * ```ts
 * const space = new MultiDiscrete([3, 2], { start: [1, 0] }); // x[0] in {1, 2, 3}, x[1] in {0, 1}
 * space.seed(0);
 * space.sample();                                                  // NdArray<Int32Array>, shape [2]
 * space.sample({ mask: [Uint8Array.of(0, 0, 1), Uint8Array.of(1, 0)] }).data; // Int32Array [3, 0]
 * ```
 */
export class MultiDiscrete<D extends IntegerDtype = "int32"> extends Space<NdArray<TypedArrayOf[D]>> {
  declare readonly shape: readonly number[];
  declare readonly dtype: D;
  /** Number of values of each element (do not mutate). */
  readonly nvec: NdArray<TypedArrayOf[D]>;
  /** Smallest value of each element (do not mutate). */
  readonly start: NdArray<TypedArrayOf[D]>;
  /** Number of elements. */
  readonly size: number;

  /** @throws SpaceError on a non-positive or non-integer count, a start of another shape, or values outside the dtype. */
  constructor(nvec: ArrayArg, opts: MultiDiscreteOptions<D> = {}) {
    const dtype = (opts.dtype ?? "int32") as D;
    const info = dtypeInfo(dtype);
    if (info.kind === "float")
      throw new SpaceError(`MultiDiscrete dtype must be an integer dtype, got ${formatValue(dtype)}`);
    const n = readArrayArg(nvec, "MultiDiscrete nvec");
    const shape = n.shape ?? [];
    const size = shapeSize(shape);
    let startFlat: ArrayLike<number> = new Array<number>(size).fill(0);
    if (opts.start !== undefined) {
      const s = readArrayArg(opts.start, "MultiDiscrete start");
      if (!shapeEquals(s.shape ?? [], shape)) {
        throw new SpaceError(
          `MultiDiscrete start and nvec must have the same shape, got start ${formatValue(opts.start)} for nvec ${formatValue(nvec)}`,
        );
      }
      startFlat = s.flat;
    }
    for (let i = 0; i < size; i++) {
      const c = n.flat[i] as number;
      const s = startFlat[i] as number;
      if (!Number.isInteger(c) || c <= 0)
        throw new SpaceError(
          `MultiDiscrete nvec (counts) must be positive integers, got ${formatValue(c)} in ${formatValue(nvec)}`,
        );
      if (!Number.isInteger(s)) throw new SpaceError(`MultiDiscrete start must hold integers, got ${formatValue(s)}`);
      if (s < info.min || s + c - 1 > info.max || c > info.max) {
        throw new SpaceError(
          `MultiDiscrete values {${s}..${s + c - 1}} do not fit dtype ${dtype} [${info.min}, ${info.max}]`,
        );
      }
    }
    super(shape, dtype);
    this.size = size;
    const nv = allocTypedArray(dtype, size);
    nv.set(n.flat);
    const st = allocTypedArray(dtype, size);
    st.set(startFlat);
    this.nvec = wrapNd(nv, shape);
    this.start = wrapNd(st, shape);
    if (opts.seed !== undefined) this.seed(opts.seed);
  }

  override get isFlattenable(): boolean {
    return true;
  }

  /**
   * A random element: uniform per element, or per-element masks / probabilities (see the class doc).
   * @throws SpaceError on both options or a mask/probability of the wrong structure or values.
   */
  sample(opts?: { mask?: unknown; probability?: unknown }): NdArray<TypedArrayOf[D]> {
    checkOneOf("MultiDiscrete", opts);
    const out = allocTypedArray(this.dtype, this.size);
    const nvec = this.nvec.data as ArrayLike<number>;
    const start = this.start.data as ArrayLike<number>;
    const rng = this.rng;
    const which = opts?.mask != null ? "mask" : opts?.probability != null ? "probability" : null;
    if (which === null) {
      for (let i = 0; i < this.size; i++) out[i] = (start[i] as number) + rng.integers(0, nvec[i] as number);
      return wrapNd(out, this.shape);
    }
    const leaves = this.perElement((opts as Record<string, unknown>)[which], which) as ArrayLike<number>[];
    // validate every element's mask before drawing, so a bad one leaves the rng untouched
    const totals = leaves.map((leaf, i) => {
      const what = `MultiDiscrete.sample ${which} for element ${i}`;
      return which === "mask"
        ? validateMask01(leaf, nvec[i] as number, what)
        : validateProbability(leaf, nvec[i] as number, what);
    });
    for (let i = 0; i < this.size; i++) {
      const leaf = leaves[i] as ArrayLike<number>;
      const total = totals[i] as number;
      let k: number;
      if (which === "mask") k = total === 0 ? 0 : sampleMaskIndex(rng, leaf, total);
      else k = sampleProbabilityIndex(rng, leaf, total);
      out[i] = (start[i] as number) + k;
    }
    return wrapNd(out, this.shape);
  }

  /** The per-element masks of a nested mask argument, in row-major order. */
  private perElement(arg: unknown, which: string): unknown[] {
    const out: unknown[] = [];
    const walk = (v: unknown, depth: number): void => {
      if (depth === this.shape.length) {
        out.push(v);
        return;
      }
      if (!Array.isArray(v) || v.length !== this.shape[depth]) {
        throw new SpaceError(
          `MultiDiscrete.sample ${which} must be nested like nvec (shape [${this.shape.join(", ")}]) with one array per element, got ${formatValue(arg)}`,
        );
      }
      for (const item of v) walk(item, depth + 1);
    };
    if (this.shape.length === 0) return [arg];
    walk(arg, 0);
    return out;
  }

  /** Whether `x` is an integer NdArray of this shape (dtype casting safely) with every element in range. */
  contains(x: unknown): boolean {
    if (!isNdArray(x)) return false;
    const xDtype = dtypeOfArray(x.data);
    if (xDtype === null || !canCast(xDtype, this.dtype) || !shapeEquals(x.shape, this.shape)) return false;
    const data = contiguousData(x);
    const nvec = this.nvec.data as ArrayLike<number>;
    const start = this.start.data as ArrayLike<number>;
    for (let i = 0; i < this.size; i++) {
      const v = data[i] as number;
      const s = start[i] as number;
      if (!(v >= s && v < s + (nvec[i] as number))) return false;
    }
    return true;
  }

  /** A value as a nested JS array of integers. */
  toJSON(x: NdArray<TypedArrayOf[D]>): unknown {
    return toNested(contiguousData(x), this.shape);
  }

  /**
   * A value from its JSON form.
   * @throws SpaceError when the nesting does not match the shape.
   */
  fromJSON(json: unknown): NdArray<TypedArrayOf[D]> {
    const flat = flattenNested(json, this.shape);
    if (flat === null)
      throw new SpaceError(
        `MultiDiscrete.fromJSON: expected a nested array of shape [${this.shape.join(", ")}], got ${formatValue(json)}`,
      );
    const out = allocTypedArray(this.dtype, this.size);
    out.set(flat);
    return wrapNd(out, this.shape);
  }

  /** Same dtype, shape, nvec and start. */
  equals(other: Space<unknown>): boolean {
    if (!(other instanceof MultiDiscrete) || other.dtype !== this.dtype || !shapeEquals(other.shape, this.shape))
      return false;
    for (let i = 0; i < this.size; i++) {
      if (other.nvec.data[i] !== this.nvec.data[i] || other.start.data[i] !== this.start.data[i]) return false;
    }
    return true;
  }

  /** `{type: "MultiDiscrete", shape, dtype, nvec, start}` with flat row-major nvec and start. */
  describe(): SpaceDescription {
    return {
      type: "MultiDiscrete",
      shape: [...this.shape],
      dtype: this.dtype,
      nvec: Array.from(this.nvec.data as ArrayLike<number>),
      start: Array.from(this.start.data as ArrayLike<number>),
    };
  }

  /** `MultiDiscrete([3 2])`, with `, start=[...]` when a start is non-zero. */
  toString(): string {
    const fmt = (x: unknown): string => (Array.isArray(x) ? `[${x.map(fmt).join(" ")}]` : String(x));
    const nvec = fmt(toNested(this.nvec.data as ArrayLike<number>, this.shape));
    const nonZeroStart = Array.from(this.start.data as ArrayLike<number>).some((s) => s !== 0);
    return nonZeroStart
      ? `MultiDiscrete(${nvec}, start=${fmt(toNested(this.start.data as ArrayLike<number>, this.shape))})`
      : `MultiDiscrete(${nvec})`;
  }
}
