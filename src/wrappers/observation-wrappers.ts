import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { InvalidArgumentError, ObservationWrapper, Wrapper } from "../core";
import type { Env, Info, ResetOptions, Space, StepResult } from "../core";
import { Box } from "../spaces";

type Numeric = NdArray<
  Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Uint32Array
>;

function requireBox(env: Env<unknown, unknown>, who: string): Box<never> {
  if (!(env.observationSpace instanceof Box))
    throw new InvalidArgumentError(`${who} needs a Box observation space, got ${env.observationSpace.toString()}`);
  return env.observationSpace as Box<never>;
}

/** Row-major copy of an NdArray's elements (any strides) into `out`. */
function copyElements(a: Numeric, out: Float64Array | Float32Array, offset = 0): void {
  const shape = a.shape,
    idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < a.size; k++) {
    out[offset + k] = a.get(...idx);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}

/**
 * Normalizes Box observations to zero mean and unit variance per element with running
 * statistics (Gymnasium's `NormalizeObservation`): `(obs - mean) / sqrt(var + epsilon)`, float32,
 * the statistics updated with every observation (from reset and step) while
 * `updateRunningMean` is true (set it false to evaluate with frozen statistics). The running
 * mean and variance start at 0 and 1 with a prior count of 1e-4 (as RunningMeanStd).
 *
 * @example
 * ```ts
 * const env = new NormalizeObservation(new CartPoleEnv());
 * env.updateRunningMean = false; // freeze for evaluation
 * ```
 */
export class NormalizeObservation<Act = unknown> extends ObservationWrapper<NdArray<Float32Array>, Numeric, Act> {
  /** Per-element running mean and (population) variance, row-major. */
  readonly mean: Float64Array;
  readonly var: Float64Array;
  /** Observations seen (plus the prior count 1e-4). */
  count = 1e-4;
  /** Update the statistics with each observation (default true). */
  updateRunningMean = true;
  private readonly epsilon: number;
  private readonly shape: number[];
  private readonly x: Float64Array;

  constructor(env: Env<Numeric, Act>, options: { epsilon?: number } = {}) {
    super(env);
    const box = requireBox(env as Env<unknown, unknown>, "NormalizeObservation");
    this.shape = box.shape.slice();
    this.mean = new Float64Array(box.size);
    this.var = new Float64Array(box.size).fill(1);
    this.x = new Float64Array(box.size);
    this.epsilon = options.epsilon ?? 1e-8;
    if (!(this.epsilon > 0))
      throw new InvalidArgumentError(`NormalizeObservation: epsilon must be > 0, got ${this.epsilon}`);
    this.observationSpace = new Box({
      low: -Infinity,
      high: Infinity,
      shape: this.shape,
      dtype: "float32",
    }) as unknown as Space<NdArray<Float32Array>>;
  }

  observation(obs: Numeric): NdArray<Float32Array> {
    if (obs.size !== this.x.length)
      throw new InvalidArgumentError(
        `NormalizeObservation: observation has ${obs.size} elements, the space ${this.x.length}`,
      );
    copyElements(obs, this.x);
    if (this.updateRunningMean) {
      // Parallel-variance merge of one sample into (mean, var, count).
      const total = this.count + 1;
      for (let i = 0; i < this.x.length; i++) {
        const delta = (this.x[i] as number) - (this.mean[i] as number);
        this.mean[i] = (this.mean[i] as number) + delta / total;
        this.var[i] = ((this.var[i] as number) * this.count + (delta * delta * this.count) / total) / total;
      }
      this.count = total;
    }
    const out = new Float32Array(this.x.length);
    for (let i = 0; i < out.length; i++)
      out[i] = ((this.x[i] as number) - (this.mean[i] as number)) / Math.sqrt((this.var[i] as number) + this.epsilon);
    return ndarray(out, this.shape.slice());
  }
}

/**
 * Stacks the last `stackSize` Box observations into one [stackSize, ...shape] observation,
 * oldest first (Gymnasium 1.x's `FrameStackObservation`). After reset the stack is padded with
 * copies of the reset observation (`padding: "reset"`, default) or zeros (`"zero"`).
 *
 * @example
 * ```ts
 * const env = new FrameStackObservation(new CartPoleEnv(), 4); // observations [4, 4]
 * ```
 */
export class FrameStackObservation<Act = unknown> extends Wrapper<NdArray<Float64Array>, Act, Numeric, Act> {
  readonly stackSize: number;
  private readonly padding: "reset" | "zero";
  private readonly frameSize: number;
  private readonly shape: number[];
  private frames: Float64Array[] = [];

  constructor(env: Env<Numeric, Act>, stackSize: number, options: { padding?: "reset" | "zero" } = {}) {
    super(env);
    if (!Number.isSafeInteger(stackSize) || stackSize < 1)
      throw new InvalidArgumentError(`FrameStackObservation: stackSize must be a positive integer, got ${stackSize}`);
    const padding = options.padding ?? "reset";
    if (padding !== "reset" && padding !== "zero")
      throw new InvalidArgumentError(
        `FrameStackObservation: padding must be "reset" or "zero", got ${String(padding)}`,
      );
    const box = requireBox(env as Env<unknown, unknown>, "FrameStackObservation");
    this.stackSize = stackSize;
    this.padding = padding;
    this.frameSize = box.size;
    this.shape = [stackSize, ...box.shape];
    const tile = (a: ArrayLike<number>, fill: number): Float64Array => {
      const out = new Float64Array(stackSize * box.size);
      for (let k = 0; k < stackSize; k++)
        for (let i = 0; i < box.size; i++)
          out[k * box.size + i] = padding === "zero" && k < stackSize - 1 ? fill : (a[i] as number);
      return out;
    };
    const lowInner = Float64Array.from(box.low.data as ArrayLike<number>),
      highInner = Float64Array.from(box.high.data as ArrayLike<number>);
    const low = tile(lowInner, 0),
      high = tile(highInner, 0);
    if (padding === "zero")
      for (let k = 0; k < stackSize - 1; k++)
        for (let i = 0; i < box.size; i++) {
          low[k * box.size + i] = Math.min(0, lowInner[i] as number);
          high[k * box.size + i] = Math.max(0, highInner[i] as number);
        }
    this.observationSpace = new Box({ low, high, shape: this.shape, dtype: "float64" }) as unknown as Space<
      NdArray<Float64Array>
    >;
  }

  override async reset(opts?: ResetOptions): Promise<[NdArray<Float64Array>, Info]> {
    const [obs, info] = await this.env.reset(opts);
    const first = this.frame(obs);
    this.frames = Array.from({ length: this.stackSize }, () =>
      this.padding === "zero" ? new Float64Array(this.frameSize) : first,
    );
    this.frames[this.stackSize - 1] = first;
    return [this.stacked(), info];
  }

  override async step(action: Act): Promise<StepResult<NdArray<Float64Array>>> {
    const [obs, reward, terminated, truncated, info] = await this.env.step(action);
    this.frames.shift();
    this.frames.push(this.frame(obs));
    return [this.stacked(), reward, terminated, truncated, info];
  }

  private frame(obs: Numeric): Float64Array {
    if (obs.size !== this.frameSize)
      throw new InvalidArgumentError(
        `FrameStackObservation: observation has ${obs.size} elements, the space ${this.frameSize}`,
      );
    const f = new Float64Array(this.frameSize);
    copyElements(obs, f);
    return f;
  }

  private stacked(): NdArray<Float64Array> {
    const out = new Float64Array(this.stackSize * this.frameSize);
    this.frames.forEach((f, k) => out.set(f, k * this.frameSize));
    return ndarray(out, this.shape.slice());
  }
}
