import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { ActionWrapper, InvalidArgumentError } from "../core";
import type { Env, Space } from "../core";
import { Box } from "../spaces";

type FloatBox = Box<"float32"> | Box<"float64">;

function requireBox(env: Env<unknown, unknown>, who: string): FloatBox {
  const space = env.actionSpace;
  if (!(space instanceof Box) || (space.dtype !== "float32" && space.dtype !== "float64")) {
    throw new InvalidArgumentError(`${who} needs a float Box action space, got ${space.toString()}`);
  }
  return space as FloatBox;
}

/**
 * Applies `func` to every action before the inner env sees it (Gymnasium's `TransformAction`).
 * `actionSpace` is the space of the actions the wrapper accepts (default: the inner one).
 *
 * @example
 * ```ts
 * const env = new TransformAction(new CartPoleEnv(), (a: number) => 1 - a); // swapped left/right
 * ```
 */
export class TransformAction<Obs = unknown, WAct = unknown, Act = unknown> extends ActionWrapper<Obs, WAct, Act> {
  /** The action map. */
  readonly func: (action: WAct) => Act;

  constructor(env: Env<Obs, Act>, func: (action: WAct) => Act, actionSpace?: Space<WAct>) {
    super(env);
    if (typeof func !== "function")
      throw new InvalidArgumentError(`TransformAction: func must be a function, got ${typeof func}`);
    this.func = func;
    if (actionSpace !== undefined) this.actionSpace = actionSpace;
  }

  action(action: WAct): Act {
    return this.func(action);
  }
}

/**
 * Clips every continuous action into the inner env's Box bounds (Gymnasium's `ClipAction`): the
 * wrapper accepts any real action of the same shape (its action space is the unbounded Box).
 *
 * @example
 * ```ts
 * const env = new ClipAction(continuousEnv); // env.step(ndarray(Float32Array.of(7), [1])) steps with 1
 * ```
 */
export class ClipAction<Obs = unknown> extends ActionWrapper<
  Obs,
  NdArray<Float32Array | Float64Array>,
  NdArray<Float32Array | Float64Array>
> {
  private readonly inner: FloatBox;

  constructor(env: Env<Obs, NdArray<Float32Array | Float64Array>>) {
    super(env);
    this.inner = requireBox(env as Env<unknown, unknown>, "ClipAction");
    this.actionSpace = new Box({
      low: -Infinity,
      high: Infinity,
      shape: this.inner.shape,
      dtype: this.inner.dtype,
    }) as unknown as Space<NdArray<Float32Array | Float64Array>>;
  }

  action(action: NdArray<Float32Array | Float64Array>): NdArray<Float32Array | Float64Array> {
    const { low, high, size } = this.inner;
    if (action.size !== size)
      throw new InvalidArgumentError(`ClipAction: action has ${action.size} elements, the space ${size}`);
    const out = this.inner.dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
    let i = 0;
    forEachElement(action, (v) => {
      out[i] = Math.min(Math.max(v, low.data[i] as number), high.data[i] as number);
      i++;
    });
    return ndarray(out, this.inner.shape.slice());
  }
}

/**
 * Affinely rescales actions from [minAction, maxAction] to the inner env's Box bounds
 * (Gymnasium's `RescaleAction`): `inner = low + (a - min) * (high - low) / (max - min)`. The
 * inner Box must be bounded; min/max are scalars or arrays of the action shape.
 *
 * @example
 * ```ts
 * const env = new RescaleAction(continuousEnv, -1, 1); // the agent acts in [-1, 1]
 * ```
 */
export class RescaleAction<Obs = unknown> extends ActionWrapper<
  Obs,
  NdArray<Float32Array | Float64Array>,
  NdArray<Float32Array | Float64Array>
> {
  private readonly inner: FloatBox;
  private readonly outer: FloatBox;

  constructor(
    env: Env<Obs, NdArray<Float32Array | Float64Array>>,
    minAction: number | ArrayLike<number>,
    maxAction: number | ArrayLike<number>,
  ) {
    super(env);
    this.inner = requireBox(env as Env<unknown, unknown>, "RescaleAction");
    if (!this.inner.boundedBelow.every((b) => b === 1) || !this.inner.boundedAbove.every((b) => b === 1)) {
      throw new InvalidArgumentError(`RescaleAction needs a bounded action space, got ${this.inner.toString()}`);
    }
    this.outer = new Box({
      low: minAction as number,
      high: maxAction as number,
      shape: this.inner.shape,
      dtype: this.inner.dtype,
    }) as FloatBox;
    for (let i = 0; i < this.outer.size; i++) {
      if (!((this.outer.low.data[i] as number) < (this.outer.high.data[i] as number))) {
        throw new InvalidArgumentError(
          `RescaleAction: minAction must be below maxAction everywhere (element ${i}: ${this.outer.low.data[i]} vs ${this.outer.high.data[i]})`,
        );
      }
    }
    this.actionSpace = this.outer as unknown as Space<NdArray<Float32Array | Float64Array>>;
  }

  action(action: NdArray<Float32Array | Float64Array>): NdArray<Float32Array | Float64Array> {
    const size = this.inner.size;
    if (action.size !== size)
      throw new InvalidArgumentError(`RescaleAction: action has ${action.size} elements, the space ${size}`);
    const out = this.inner.dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
    const lo = this.inner.low.data,
      hi = this.inner.high.data,
      min = this.outer.low.data,
      max = this.outer.high.data;
    let i = 0;
    forEachElement(action, (v) => {
      const t = (v - (min[i] as number)) / ((max[i] as number) - (min[i] as number));
      out[i] = Math.min(
        Math.max((lo[i] as number) + t * ((hi[i] as number) - (lo[i] as number)), lo[i] as number),
        hi[i] as number,
      );
      i++;
    });
    return ndarray(out, this.inner.shape.slice());
  }
}

/** Visit the elements of an NdArray in row-major order (any strides). */
function forEachElement(
  a: { shape: number[]; size: number; get(...index: number[]): number },
  f: (v: number) => void,
): void {
  const shape = a.shape,
    n = a.size;
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    f(a.get(...idx));
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}
