// Tensors as the published declarations of alignsam-gym/ppo describe them: our own interfaces,
// not tfjs's classes, so that a consumer's tsc never loads @tensorflow/tfjs's .d.ts files (they
// do not type-check with `skipLibCheck: false`: DOM/WebGL names, strict-mode errors in
// tfjs-layers). Every tfjs Tensor satisfies TensorHandle, so tfjs tensors go in without a cast;
// to use an output with tf ops, narrow it: `agent.forward(x).logits as tf.Tensor2D`.
// In src/ the same signatures are tfjs's classes (see tensor-types.ts); the build swaps
// tensor-types.d.ts for tensor-types.published.d.ts, which points at these interfaces.

/** Element type of a tensor (tfjs's `DataType`). */
export type TensorDataType = "float32" | "int32" | "bool" | "complex64" | "string";

/** The flat array that `data()` / `dataSync()` return for each element type (tfjs's `DataTypeMap`). */
export interface TensorDataTypeMap {
  float32: Float32Array;
  int32: Int32Array;
  bool: Uint8Array;
  complex64: Float32Array;
  string: string[];
}

/**
 * A tfjs tensor (a `tf.Tensor` at run time) with shape type `S`: the members a caller needs to
 * read or free it. Reading: `dataSync()` copies the values out row-major (Float32Array for
 * float32 tensors); `dispose()` frees its memory (tfjs tensors are not garbage-collected).
 *
 * @example
 * const { logits, values } = agent.forward(input); // TensorHandle<[B, numActions]>, TensorHandle<[B]>
 * const row0 = (logits.dataSync() as Float32Array).subarray(0, agent.numActions);
 * logits.dispose();
 * values.dispose();
 */
export interface TensorHandle<S extends number[] = number[]> {
  /** Size of each axis. */
  readonly shape: S;
  /** Element type. */
  readonly dtype: TensorDataType;
  /** Number of elements (product of `shape`). */
  readonly size: number;
  /** Number of axes. */
  readonly rank: number;
  /** True once `dispose()` ran. */
  readonly isDisposed: boolean;
  /** The values, row-major, copied out asynchronously. */
  data<D extends TensorDataType = "float32" | "int32" | "bool" | "complex64">(): Promise<TensorDataTypeMap[D]>;
  /** The values, row-major, copied out synchronously. */
  dataSync<D extends TensorDataType = "float32" | "int32" | "bool" | "complex64">(): TensorDataTypeMap[D];
  /** Frees the tensor's memory; using it afterwards throws. */
  dispose(): void;
}

/** A rank-1 tensor [n] (tfjs's `Tensor1D`). */
export type Tensor1DHandle = TensorHandle<[number]>;
/** A rank-2 tensor [rows, cols] (tfjs's `Tensor2D`). */
export type Tensor2DHandle = TensorHandle<[number, number]>;
/** A rank-3 tensor (tfjs's `Tensor3D`). */
export type Tensor3DHandle = TensorHandle<[number, number, number]>;
/** A rank-4 tensor, e.g. NHWC images [N, H, W, C] (tfjs's `Tensor4D`). */
export type Tensor4DHandle = TensorHandle<[number, number, number, number]>;

/** A trainable tensor (a `tf.Variable` at run time): a TensorHandle whose value can be replaced. */
export interface VariableHandle<S extends number[] = number[]> extends TensorHandle<S> {
  /** The variable's name, unique in the tfjs engine. */
  readonly name: string;
  /** Whether gradients are computed for it. */
  trainable: boolean;
  /** Replaces the value (same shape and dtype). */
  assign(newValue: TensorHandle<S>): void;
}

/** Explicit padding of a 4-D convolution: [[0, 0], [top, bottom], [left, right], [0, 0]] (NHWC). */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];
