import * as tf from "@tensorflow/tfjs";
import type { Tensor2D, Tensor4D } from "./tensor-types";
import type { Rng } from "../../core/rng";
import { orthogonalMatrix } from "./orthogonal";
import { conv2dFilterGradient, conv2dInputGradient } from "./wasm-conv-grad";
import type { ParameterSet } from "./parameters";

/**
 * Functional layers over a {@link ParameterSet}, initialised as CleanRL's `layer_init`:
 * orthogonal weights with a gain, zero biases. Weights use tfjs layouts (dense [in, out], conv
 * [kh, kw, in, out]) but are drawn in PyTorch's layouts so the init matches `orthogonal_`.
 */

/** Add `${name}.weight` [inSize, outSize] and `${name}.bias` [outSize]. */
export function addDense(
  params: ParameterSet,
  name: string,
  inSize: number,
  outSize: number,
  gain: number,
  rng: Rng,
): void {
  const torchLayout = orthogonalMatrix(outSize, inSize, gain, rng); // [out, in]
  const w = new Float32Array(inSize * outSize);
  for (let o = 0; o < outSize; o++)
    for (let i = 0; i < inSize; i++) w[i * outSize + o] = torchLayout[o * inSize + i] as number;
  params.add(`${name}.weight`, [inSize, outSize], w);
  params.add(`${name}.bias`, [outSize], new Float32Array(outSize));
}

/**
 * x [B, in], w [in, out], b [out] -> x w + b [B, out], with the usual gradients
 * (dx = dy w^T, dw = x^T dy, db = sum_B dy) computed from explicit transposes: the wasm
 * backend's matMul is several times slower with a transposed operand (no XNNPACK path) than a
 * transpose followed by a plain matMul.
 */
const affine = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, w, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [
        tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)),
        tf.matMul(tf.transpose(xs), dy as tf.Tensor2D),
        tf.sum(dy, 0),
      ];
    },
  };
});

/** x [B, in] -> x W + b [B, out]. */
export function dense(params: ParameterSet, name: string, x: Tensor2D): Tensor2D {
  return affine(x, params.get(`${name}.weight`), params.get(`${name}.bias`)) as tf.Tensor2D;
}

/** Add a square conv `${name}.weight` [k, k, inC, outC] and `${name}.bias` [outC]. */
export function addConv(
  params: ParameterSet,
  name: string,
  inC: number,
  outC: number,
  k: number,
  gain: number,
  rng: Rng,
): void {
  const fan = inC * k * k;
  const torchLayout = orthogonalMatrix(outC, fan, gain, rng); // [out, in, kh, kw] flattened
  const w = new Float32Array(k * k * inC * outC);
  for (let o = 0; o < outC; o++) {
    for (let i = 0; i < inC; i++) {
      for (let y = 0; y < k; y++) {
        for (let x = 0; x < k; x++)
          w[((y * k + x) * inC + i) * outC + o] = torchLayout[o * fan + (i * k + y) * k + x] as number;
      }
    }
  }
  params.add(`${name}.weight`, [k, k, inC, outC], w);
  params.add(`${name}.bias`, [outC], new Float32Array(outC));
}

type ConvFn = (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) => tf.Tensor4D;
const convFns = new Map<string, ConvFn>();

/**
 * conv2d + bias with its gradients computed by forward convolutions ({@link conv2dInputGradient},
 * {@link conv2dFilterGradient}): the wasm backend's own Conv2DBackpropInput is a plain loop,
 * about 10x slower than XNNPACK's Conv2D at the agents' sizes. Same values on every backend.
 */
function convWithFastGrad(stride: number, padding: "same" | "valid"): ConvFn {
  const key = `${stride}|${padding}`;
  let fn = convFns.get(key);
  if (fn === undefined) {
    fn = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x, w, b, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
      save([x, w]);
      return {
        value: tf.add(tf.conv2d(x, w, stride, padding), b),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
          const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
          const g = dy as tf.Tensor4D;
          return [
            conv2dInputGradient(g, ws, xs.shape, stride, padding),
            conv2dFilterGradient(xs, g, ws.shape, stride, padding),
            tf.sum(g, [0, 1, 2]),
          ];
        },
      };
    }) as unknown as ConvFn;
    convFns.set(key, fn);
  }
  return fn;
}

/** NHWC x [B, H, W, inC] -> conv2d + bias [B, H', W', outC]. */
export function conv(
  params: ParameterSet,
  name: string,
  x: Tensor4D,
  stride: number,
  padding: "same" | "valid",
): Tensor4D {
  return convWithFastGrad(stride, padding)(
    x,
    params.get(`${name}.weight`) as tf.Tensor4D,
    params.get(`${name}.bias`) as tf.Tensor1D,
  );
}

/**
 * x [B, n] times a constant matrix m [n, k], given with its transpose mT [k, n]: the gradient
 * with respect to x is dy mT, a plain matMul (wasm's matMul with a transposed operand has no
 * XNNPACK path), and m gets none.
 */
export function matMulConstant(x: Tensor2D, m: Tensor2D, mT: Tensor2D): Tensor2D {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xs = args[0] as tf.Tensor2D;
    return { value: tf.matMul(xs, m), gradFunc: (dy: tf.Tensor): tf.Tensor[] => [tf.matMul(dy as tf.Tensor2D, mT)] };
  });
  return f(x) as tf.Tensor2D;
}

/** Output side of a conv along one axis (tfjs/TensorFlow rules). */
export function convOutputSize(size: number, kernel: number, stride: number, padding: "same" | "valid"): number {
  return padding === "same" ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}
