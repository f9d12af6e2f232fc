import * as tf from "@tensorflow/tfjs";
import type { Tensor4D } from "./tensor-types";
import type { ExplicitPadding } from "./tensor-handles";

const KERNEL = "Conv2DBackpropFilter";

/** Attributes tfjs passes to the Conv2DBackpropFilter kernel. */
interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: [number, number, number, number];
}

/**
 * The gradient of a 2-D convolution with respect to its filter, computed as a forward Conv2D
 * over transposed tensors (the batch becomes the reduction axis, the stride becomes the
 * dilation), so that it runs on any backend that has Conv2D.
 *
 * For NHWC `x` [N, H, W, Cin] and `dy` [N, OH, OW, Cout] (the gradient of `conv2d(x, f, strides,
 * pad)`), returns dF [KH, KW, Cin, Cout] with
 * dF[kh, kw, ci, co] = sum over n, oh, ow of x[n, oh*sh - padTop + kh, ow*sw - padLeft + kw, ci] * dy[n, oh, ow, co].
 * `x` [Cin, H, W, N] convolved (stride 1, dilation = strides) with `dy` [OH, OW, N, Cout] gives
 * exactly that sum; rows and columns the forward conv never reached are cropped or zero-padded.
 */
export function conv2dFilterGradient(
  x: Tensor4D,
  dy: Tensor4D,
  filterShape: [number, number, number, number],
  strides: [number, number] | number,
  pad: BackpropFilterAttrs["pad"],
  dimRoundingMode?: "floor" | "round" | "ceil",
  dataFormat: "NHWC" | "NCHW" = "NHWC",
): Tensor4D {
  return tf.tidy(() => {
    const xNhwc = dataFormat === "NCHW" ? tf.transpose(x, [0, 2, 3, 1]) : x;
    const dyNhwc = dataFormat === "NCHW" ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
    const info = tf.backend_util.computeConv2DInfo(
      xNhwc.shape,
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      "channelsLast",
    );
    const [kh, kw] = filterShape;
    const [, h, w] = xNhwc.shape;
    const { top, left } = info.padInfo;
    // Padding after the input so that the dilated dy window lands on exactly kh x kw positions;
    // negative means the forward conv never read the last rows/cols (valid padding, stride > 1).
    let bottom = kh + info.strideHeight * (info.outHeight - 1) - h - top;
    let right = kw + info.strideWidth * (info.outWidth - 1) - w - left;
    let xt = tf.transpose(xNhwc, [3, 1, 2, 0]); // [Cin, H, W, N]
    if (bottom < 0 || right < 0) {
      xt = tf.slice(xt, [0, 0, 0, 0], [-1, h + Math.min(bottom, 0), w + Math.min(right, 0), -1]);
      bottom = Math.max(bottom, 0);
      right = Math.max(right, 0);
    }
    if (top > 0 || left > 0 || bottom > 0 || right > 0) {
      xt = tf.pad(xt, [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ]);
    }
    const dyt = tf.transpose(dyNhwc, [1, 2, 0, 3]); // [OH, OW, N, Cout]
    const out = tf.conv2d(xt as tf.Tensor4D, dyt as tf.Tensor4D, 1, "valid", "NHWC", [
      info.strideHeight,
      info.strideWidth,
    ]);
    return tf.transpose(out, [1, 2, 0, 3]) as tf.Tensor4D; // [KH, KW, Cin, Cout]
  });
}

/**
 * The gradient of a 2-D convolution with respect to its input, computed as a forward Conv2D
 * (the wasm backend's Conv2DBackpropInput is a plain loop, about 10x slower than its XNNPACK
 * Conv2D at agent sizes). For NHWC `dy` [N, OH, OW, Cout] of `conv2d(x, f, strides, pad)` with x
 * of shape `xShape` [N, H, W, Cin] and f [KH, KW, Cin, Cout], returns dx [N, H, W, Cin] with
 * dx[n, i, j, ci] = sum over oh, ow, kh, kw, co with oh*sh - padTop + kh = i and
 * ow*sw - padLeft + kw = j of dy[n, oh, ow, co] * f[kh, kw, ci, co]:
 * dy is dilated by the strides (zeros between rows/cols), padded by KH - 1 - padTop rows before
 * and H + padTop - OH*sh after (negative: cropped; likewise for columns), and convolved (stride
 * 1, valid) with f flipped in both spatial axes and with its channel axes swapped.
 */
export function conv2dInputGradient(
  dy: Tensor4D,
  filter: Tensor4D,
  xShape: [number, number, number, number],
  strides: [number, number] | number,
  pad: BackpropFilterAttrs["pad"],
  dimRoundingMode?: "floor" | "round" | "ceil",
): Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(
      xShape,
      filter.shape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      "channelsLast",
    );
    const [n, h, w] = xShape;
    const [kh, kw] = filter.shape;
    const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
    const { top, left } = info.padInfo;
    const cout = dy.shape[3];
    let d: tf.Tensor4D = dy;
    if (sh > 1 || sw > 1) {
      // [N, OH, 1, OW, 1, C] padded to [N, OH, sh, OW, sw, C]: each dy value followed by zeros.
      const spread = tf.pad(tf.reshape(dy, [n, oh, 1, ow, 1, cout]), [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ]);
      d = tf.reshape(spread, [n, oh * sh, ow * sw, cout]);
    }
    const before = [kh - 1 - top, kw - 1 - left];
    const after = [h + top - oh * sh, w + left - ow * sw];
    const crop = [Math.max(0, -(before[0] as number)), Math.max(0, -(before[1] as number))];
    const keep = [
      oh * sh - crop[0]! + Math.min(0, after[0] as number),
      ow * sw - crop[1]! + Math.min(0, after[1] as number),
    ];
    if (crop[0]! > 0 || crop[1]! > 0 || keep[0]! < oh * sh || keep[1]! < ow * sw)
      d = tf.slice(d, [0, crop[0]!, crop[1]!, 0], [-1, keep[0]!, keep[1]!, -1]);
    const padding: Array<[number, number]> = [
      [0, 0],
      [Math.max(0, before[0]!), Math.max(0, after[0]!)],
      [Math.max(0, before[1]!), Math.max(0, after[1]!)],
      [0, 0],
    ];
    if (padding.some(([a, b]) => a > 0 || b > 0)) d = tf.pad(d, padding);
    const flipped = tf.reverse(tf.transpose(filter, [0, 1, 3, 2]), [0, 1]) as tf.Tensor4D; // [KH, KW, Cout, Cin]
    return tf.conv2d(d, flipped, 1, "valid");
  });
}

/**
 * Register {@link conv2dFilterGradient} as the wasm backend's `Conv2DBackpropFilter` kernel,
 * which @tensorflow/tfjs-backend-wasm 4.x does not ship (training a conv layer on wasm otherwise
 * fails with "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"). Idempotent; a
 * kernel registered by a future tfjs release is left alone.
 */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel(KERNEL, "wasm") !== undefined) return;
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: "wasm",
    kernelFunc: ({ inputs, attrs }) => {
      const a = attrs as unknown as BackpropFilterAttrs;
      return tf.tidy(() => {
        const x = asTensor(inputs["x"]) as tf.Tensor4D;
        const dy = asTensor(inputs["dy"]) as tf.Tensor4D;
        return conv2dFilterGradient(x, dy, a.filterShape, a.strides, a.pad, a.dimRoundingMode, a.dataFormat);
      });
    },
  });
}

function asTensor(info: tf.TensorInfo | undefined): tf.Tensor {
  if (info instanceof tf.Tensor) return info;
  if (info === undefined) throw new Error(`${KERNEL}: missing input`);
  // Kernels may receive bare TensorInfos; wrap without copying (the engine owns the data; the
  // caller's tidy disposes the wrapper, which only drops a reference).
  return tf.engine().makeTensorFromDataId(info.dataId, info.shape, info.dtype);
}
