import type { NdArray } from "ndarray";
import { SpaceError } from "../core/errors";
import { Space } from "../core/space";
import type { SpaceDescription } from "../core/space";
import { dtypeOfArray } from "./dtypes";
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
  wrapNd,
} from "./nd";
import { checkOneOf } from "./sampling";

/**
 * Binary arrays of a fixed shape (Gymnasium's `spaces.MultiBinary`): values are int8 NdArrays
 * (Int8Array-backed) of 0s and 1s. `new MultiBinary(n)` has shape [n].
 *
 * `sample({mask})`: an array of `shape` (NdArray, typed array in row-major order, or nested
 * arrays) of 0 (force 0), 1 (force 1) or 2 (fair coin). `sample({probability})`: an array of
 * `shape` with the probability of each element being 1.
 *
 * @example
 * ```ts
 * const keys = new MultiBinary(4);
 * keys.seed(1);
 * keys.sample().data;                                   // Int8Array of 0/1, length 4
 * keys.sample({ mask: Int8Array.of(0, 1, 2, 2) }).data; // [0, 1, ?, ?]
 * new MultiBinary([2, 3]).toString();                  // "MultiBinary((2, 3))"
 * ```
 */
export class MultiBinary extends Space<NdArray<Int8Array>> {
  declare readonly shape: readonly number[];
  declare readonly dtype: "int8";
  /** The argument as given: a number, or the shape. */
  readonly n: number | readonly number[];
  /** Number of elements. */
  readonly size: number;

  /** @throws SpaceError when n (or a dimension of the shape) is not a positive integer. */
  constructor(n: number | readonly number[], opts: { seed?: number } = {}) {
    const shape = typeof n === "number" ? [n] : Array.isArray(n) ? [...n] : null;
    if (shape === null || !shape.every((d) => Number.isSafeInteger(d) && d > 0)) {
      throw new SpaceError(
        `MultiBinary n must be a positive integer or an array of positive integers, got ${formatValue(n)}`,
      );
    }
    super(shape, "int8");
    this.n = typeof n === "number" ? n : Object.freeze([...shape]);
    this.size = shapeSize(shape);
    if (opts.seed !== undefined) this.seed(opts.seed);
  }

  override get isFlattenable(): boolean {
    return true;
  }

  /**
   * Independent fair coin flips, or masked / biased flips (see the class doc).
   * @throws SpaceError on both options or a mask/probability of the wrong shape or values.
   */
  sample(opts?: { mask?: unknown; probability?: unknown }): NdArray<Int8Array> {
    checkOneOf("MultiBinary", opts);
    const out = new Int8Array(this.size);
    const rng = this.rng;
    if (opts?.mask != null) {
      const mask = this.readShaped(opts.mask, "mask");
      for (let i = 0; i < this.size; i++) {
        const m = mask[i];
        if (m !== 0 && m !== 1 && m !== 2)
          throw new SpaceError(
            `MultiBinary.sample mask values must be 0, 1 or 2, got ${formatValue(m)} at flat index ${i}`,
          );
      }
      for (let i = 0; i < this.size; i++) out[i] = mask[i] === 2 ? rng.uint32() >>> 31 : (mask[i] as number);
    } else if (opts?.probability != null) {
      const p = this.readShaped(opts.probability, "probability");
      for (let i = 0; i < this.size; i++) {
        const v = p[i] as number;
        if (!(v >= 0 && v <= 1))
          throw new SpaceError(
            `MultiBinary.sample probability values must be in [0, 1], got ${formatValue(v)} at flat index ${i}`,
          );
      }
      for (let i = 0; i < this.size; i++) out[i] = rng.random() < (p[i] as number) ? 1 : 0;
    } else {
      for (let i = 0; i < this.size; i++) out[i] = rng.uint32() >>> 31;
    }
    return wrapNd(out, this.shape);
  }

  /** A mask/probability argument as a flat row-major list, checked against the shape. */
  private readShaped(arg: unknown, what: string): ArrayLike<number> {
    const { flat, shape } = readArrayArg(arg, `MultiBinary.sample ${what}`);
    const flatOk = shape !== null && shape.length === 1 && flat.length === this.size && !Array.isArray(arg);
    if (!flatOk && !shapeEquals(shape ?? [], this.shape)) {
      throw new SpaceError(
        `MultiBinary.sample ${what} must have shape [${this.shape.join(", ")}], got ${formatValue(arg)}`,
      );
    }
    return flat;
  }

  /** Whether `x` is an NdArray of this shape holding only 0s and 1s (any numeric dtype, as Gymnasium). */
  contains(x: unknown): boolean {
    if (!isNdArray(x) || dtypeOfArray(x.data) === null || !shapeEquals(x.shape, this.shape)) return false;
    const data = contiguousData(x);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v !== 0 && v !== 1) return false;
    }
    return true;
  }

  /** A value as a nested JS array of 0/1. */
  toJSON(x: NdArray<Int8Array>): unknown {
    return toNested(contiguousData(x), this.shape);
  }

  /**
   * A value from its JSON form.
   * @throws SpaceError when the nesting does not match the shape.
   */
  fromJSON(json: unknown): NdArray<Int8Array> {
    const flat = flattenNested(json, this.shape);
    if (flat === null)
      throw new SpaceError(
        `MultiBinary.fromJSON: expected a nested array of shape [${this.shape.join(", ")}], got ${formatValue(json)}`,
      );
    return wrapNd(Int8Array.from(flat), this.shape);
  }

  /** Same shape. */
  equals(other: Space<unknown>): boolean {
    return other instanceof MultiBinary && shapeEquals(other.shape, this.shape);
  }

  /** `{type: "MultiBinary", n}` with n a number or the shape. */
  describe(): SpaceDescription {
    return { type: "MultiBinary", n: typeof this.n === "number" ? this.n : [...this.n] };
  }

  /** `MultiBinary(4)` or `MultiBinary((2, 3))`. */
  toString(): string {
    return `MultiBinary(${typeof this.n === "number" ? this.n : formatShape(this.n)})`;
  }
}
