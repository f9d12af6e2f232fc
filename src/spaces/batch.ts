import type { NdArray } from "ndarray";
import { SpaceError } from "../core/errors";
import { Space } from "../core/space";
import { Box } from "./box";
import { Dict } from "./dict";
import { Discrete } from "./discrete";
import { allocTypedArray, dtypeOfArray } from "./dtypes";
import type { BoxDtype, SpaceTypedArray } from "./dtypes";
import { spaceFromJSON } from "./from-json";
import { MultiBinary } from "./multi-binary";
import { MultiDiscrete } from "./multi-discrete";
import { contiguousData, formatValue, isNdArray, shapeEquals, shapeSize, wrapNd } from "./nd";
import { Text } from "./text";
import { Tuple } from "./tuple";

/**
 * Gymnasium's vector space utilities (gymnasium.vector.utils): the batched space of n copies of
 * a space, and moving values between "n single values" and "one batched value".
 *
 * Batched value forms: Box/MultiDiscrete/MultiBinary -> one NdArray [n, ...shape] of the dtype;
 * Discrete -> an int32 NdArray [n]; Tuple -> an array of batched children; Dict -> an object of
 * batched children; Text (and custom spaces) -> an array of n values.
 */

/** Fill of {@link createEmptyArray}: "zeros" (NumPy zeros), "ones", or "empty" (unspecified; zeros here). */
export type EmptyArrayFill = "zeros" | "empty" | "ones";

function checkCount(n: unknown, what: string): number {
  if (!Number.isSafeInteger(n) || (n as number) < 1)
    throw new SpaceError(`${what}: n must be a positive integer, got ${formatValue(n)}`);
  return n as number;
}

/** Tile a flat per-element array n times (the batched bounds). */
function tile(values: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(values.length * n);
  for (let i = 0; i < n; i++) out.set(values as ArrayLike<number>, i * values.length);
  return out;
}

/**
 * The space of n stacked values of `space` (Gymnasium's `batch_space`): Box -> Box [n, ...shape]
 * with tiled bounds; Discrete -> MultiDiscrete of n copies (int32); MultiDiscrete -> integer Box
 * [n, ...shape] over [start, start + nvec - 1]; MultiBinary -> int8 Box [n, ...shape] over [0, 1];
 * Tuple/Dict -> the same structure of batched children; Text and any other space -> Tuple of n
 * copies seeded from the space's rng. The batched space's rng continues a copy of `space`'s rng.
 * @throws SpaceError when n is not a positive integer or a Discrete does not fit int32.
 */
export function batchSpace(space: Space<unknown>, n: number): Space<unknown> {
  checkCount(n, "batchSpace");
  let out: Space<unknown>;
  if (space instanceof Box) {
    const { low, high } = space.infiniteBounds();
    out = new Box({ low: tile(low, n), high: tile(high, n), shape: [n, ...space.shape], dtype: space.dtype });
  } else if (space instanceof Discrete) {
    if (space.start < -2147483648 || space.start + space.n - 1 > 2147483647) {
      throw new SpaceError(`batchSpace: ${space} does not fit the int32 MultiDiscrete of a batch`);
    }
    out = new MultiDiscrete(new Array<number>(n).fill(space.n), {
      start: new Array<number>(n).fill(space.start),
      dtype: "int32",
    });
  } else if (space instanceof MultiDiscrete) {
    const start = space.start.data as ArrayLike<number>;
    const top = Array.from(space.nvec.data as ArrayLike<number>, (c, i) => (start[i] as number) + c - 1);
    out = new Box({ low: tile(start, n), high: tile(top, n), shape: [n, ...space.shape], dtype: space.dtype });
  } else if (space instanceof MultiBinary) {
    out = new Box({ low: 0, high: 1, shape: [n, ...space.shape], dtype: "int8" });
  } else if (space instanceof Tuple) {
    out = new Tuple(space.spaces.map((s: Space<unknown>) => batchSpace(s, n)));
  } else if (space instanceof Dict) {
    out = new Dict(space.keys.map((k) => [k, batchSpace(space.get(k), n)] as const));
  } else if (space instanceof Space) {
    const copies = Array.from({ length: n }, () => spaceFromJSON(space.describe()));
    const seeder = space.rng.clone();
    copies.forEach((c) => c.seed(seeder.integers(0, 100000000)));
    out = new Tuple(copies);
  } else {
    throw new SpaceError(`batchSpace: not a Space: ${formatValue(space)}`);
  }
  out.rng = space.rng.clone();
  return out;
}

/** The rows of a batched NdArray [n, ...rest] as compact NdArrays (views when the batch is contiguous). */
function rows(items: NdArray): NdArray<SpaceTypedArray>[] {
  const rest = items.shape.slice(1);
  const size = shapeSize(rest);
  const data = contiguousData(items) as SpaceTypedArray;
  return Array.from({ length: items.shape[0] as number }, (_, i) =>
    wrapNd(data.subarray(i * size, (i + 1) * size), rest),
  );
}

/**
 * The single values of a batched value of the *batched* space `space` (Gymnasium's
 * `iterate`), as an array: Box/MultiBinary/Box-of-MultiDiscrete -> the rows of the NdArray (views
 * into the batch when it is contiguous: copy them to keep them past the next write); a 1-D
 * MultiDiscrete (a batch of Discrete) -> numbers; Tuple/Dict -> zipped arrays / objects; a Tuple
 * of Text or custom spaces -> the items themselves.
 * @throws SpaceError for Discrete (not a batched space) or items of the wrong form.
 */
export function iterate(space: Space<unknown>, items: unknown): unknown[] {
  if (space instanceof Discrete)
    throw new SpaceError(`iterate: cannot iterate over a Discrete space (${space}); pass the batched space`);
  if (space instanceof Box || space instanceof MultiBinary || space instanceof MultiDiscrete) {
    if (!isNdArray(items) || items.shape.length < 1 || dtypeOfArray(items.data) === null) {
      throw new SpaceError(`iterate: expected a batched NdArray for ${space}, got ${formatValue(items)}`);
    }
    const n = items.shape[0] as number;
    if (space instanceof MultiDiscrete && space.shape.length === 1) {
      const flat = contiguousData(items);
      return Array.from({ length: n }, (_, i) => flat[i] as number);
    }
    return rows(items);
  }
  if (space instanceof Tuple) {
    if (!Array.isArray(items))
      throw new SpaceError(`iterate: expected an array for ${space}, got ${formatValue(items)}`);
    if (!space.spaces.every(isIterable)) return [...items];
    if (items.length !== space.length)
      throw new SpaceError(`iterate: expected ${space.length} batched parts for ${space}, got ${items.length}`);
    return zip(
      space.spaces.map((s: Space<unknown>, i: number) => iterate(s, items[i])),
      `iterate(${space})`,
    );
  }
  if (space instanceof Dict) {
    if (typeof items !== "object" || items === null)
      throw new SpaceError(`iterate: expected an object for ${space}, got ${formatValue(items)}`);
    const parts = space.keys.map((k) => iterate(space.get(k), (items as Record<string, unknown>)[k]));
    return zip(parts, `iterate(${space})`).map((vals) => Object.fromEntries(space.keys.map((k, j) => [k, vals[j]])));
  }
  if (Array.isArray(items)) return [...items];
  throw new SpaceError(`iterate: cannot iterate ${formatValue(items)} for ${space}`);
}

/** Spaces with their own iterate rule (Gymnasium's registry); a Tuple of others iterates its items. */
function isIterable(space: Space<unknown>): boolean {
  return (
    space instanceof Box ||
    space instanceof MultiBinary ||
    space instanceof MultiDiscrete ||
    space instanceof Discrete ||
    space instanceof Tuple ||
    space instanceof Dict
  );
}

function zip(columns: unknown[][], what: string): unknown[][] {
  const n = columns.length === 0 ? 0 : (columns[0] as unknown[]).length;
  if (columns.some((c) => c.length !== n))
    throw new SpaceError(`${what}: batched parts have different lengths ${columns.map((c) => c.length).join(", ")}`);
  return Array.from({ length: n }, (_, i) => columns.map((c) => c[i]));
}

/**
 * Write n single values of `space` into a batched `out` from {@link createEmptyArray} and return
 * it (Gymnasium's `concatenate`, stacking along a new first axis). Tuple/Dict recurse into the
 * parts of `out`; Text and custom spaces write the items into the `out` array.
 * @throws SpaceError when `out` does not fit (shape, dtype, length) or an item has the wrong shape.
 */
export function concatenate<T>(space: Space<unknown>, items: readonly unknown[], out: T): T {
  if (!Array.isArray(items)) throw new SpaceError(`concatenate: items must be an array, got ${formatValue(items)}`);
  const n = items.length;
  if (
    space instanceof Box ||
    space instanceof MultiDiscrete ||
    space instanceof MultiBinary ||
    space instanceof Discrete
  ) {
    const shape = space.shape;
    if (!isNdArray(out) || dtypeOfArray(out.data) === null || !shapeEquals(out.shape, [n, ...shape])) {
      throw new SpaceError(
        `concatenate: out must be an NdArray of shape [${[n, ...shape].join(", ")}] for ${n} items of ${space}, got ${formatValue(out)}`,
      );
    }
    const size = shapeSize(shape);
    const target = contiguousData(out) as SpaceTypedArray;
    if (
      target !== out.data &&
      !(ArrayBuffer.isView(out.data) && target.buffer === (out.data as SpaceTypedArray).buffer)
    ) {
      throw new SpaceError("concatenate: out must be contiguous (use createEmptyArray)");
    }
    for (let i = 0; i < n; i++) {
      const item = items[i];
      if (space instanceof Discrete) {
        if (typeof item !== "number")
          throw new SpaceError(`concatenate: item ${i} of ${space} must be a number, got ${formatValue(item)}`);
        target[i] = item;
        continue;
      }
      if (!isNdArray(item) || !shapeEquals(item.shape, shape)) {
        throw new SpaceError(
          `concatenate: item ${i} of ${space} must be an NdArray of shape [${shape.join(", ")}], got ${formatValue(item)}`,
        );
      }
      target.set(contiguousData(item), i * size);
    }
    return out;
  }
  if (space instanceof Tuple) {
    if (!Array.isArray(out) || out.length !== space.length)
      throw new SpaceError(
        `concatenate: out must be an array of ${space.length} parts for ${space}, got ${formatValue(out)}`,
      );
    space.spaces.forEach((s: Space<unknown>, j: number) =>
      concatenate(
        s,
        items.map((it) => (it as unknown[])[j]),
        out[j],
      ),
    );
    return out;
  }
  if (space instanceof Dict) {
    if (typeof out !== "object" || out === null)
      throw new SpaceError(`concatenate: out must be an object for ${space}, got ${formatValue(out)}`);
    for (const k of space.keys) {
      concatenate(
        space.get(k),
        items.map((it) => (it as Record<string, unknown>)[k]),
        (out as Record<string, unknown>)[k],
      );
    }
    return out;
  }
  if (!Array.isArray(out) || out.length !== n)
    throw new SpaceError(`concatenate: out must be an array of ${n} entries for ${space}, got ${formatValue(out)}`);
  for (let i = 0; i < n; i++) out[i] = items[i];
  return out;
}

/**
 * The batched container for n values of `space`, for {@link concatenate} (Gymnasium's
 * `create_empty_array`): NdArrays [n, ...shape] of the dtype (int32 [n] for Discrete) filled with
 * 0 or 1; arrays / objects for Tuple / Dict; for Text, n strings of minLength copies of its first
 * character; for custom spaces, n nulls. `opts.shared` backs the arrays with SharedArrayBuffers
 * (for worker threads).
 * @throws SpaceError when n is not a positive integer or `fill` is unknown.
 */
export function createEmptyArray(
  space: Space<unknown>,
  n: number,
  fill: EmptyArrayFill = "zeros",
  opts: { shared?: boolean } = {},
): unknown {
  checkCount(n, "createEmptyArray");
  if (fill !== "zeros" && fill !== "empty" && fill !== "ones")
    throw new SpaceError(`createEmptyArray: fill must be "zeros", "empty" or "ones", got ${formatValue(fill)}`);
  const shared = opts.shared === true;
  if (
    space instanceof Box ||
    space instanceof MultiDiscrete ||
    space instanceof MultiBinary ||
    space instanceof Discrete
  ) {
    const dtype: BoxDtype = space instanceof Discrete ? "int32" : space.dtype;
    const shape = [n, ...space.shape];
    const data = allocTypedArray(dtype, shapeSize(shape), shared);
    if (fill === "ones") data.fill(1);
    return wrapNd(data, shape);
  }
  if (space instanceof Tuple) return space.spaces.map((s: Space<unknown>) => createEmptyArray(s, n, fill, opts));
  if (space instanceof Dict)
    return Object.fromEntries(space.keys.map((k) => [k, createEmptyArray(space.get(k), n, fill, opts)]));
  if (space instanceof Text)
    return Array.from({ length: n }, () => ([...space.characters][0] ?? "").repeat(space.minLength));
  return new Array<null>(n).fill(null);
}
