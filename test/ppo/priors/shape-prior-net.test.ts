import t from "tap";
import ndarray from "ndarray";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../../src/ppo/nn/backend";
import { ShapePriorNet } from "../../../src/ppo/priors/shape-prior-net";
import { SHAPE_PRIOR_CLASSES, boxDownsample, shapePriorInput } from "../../../src/priors/shape-prior-input";
import { float16ToFloat32, float32ToFloat16 } from "../../../src/core/float16";
import { InvalidArgumentError } from "../../../src/core/errors";

t.test("float16 conversion: exact values, rounding to nearest even, specials", async (t) => {
  const exact: Array<[number, number]> = [
    [0, 0x0000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff],
    [2 ** -14, 0x0400],
    [2 ** -24, 0x0001],
    [0.333251953125, 0x3555],
  ];
  for (const [v, bits] of exact) {
    t.equal(float32ToFloat16(v), bits, `${v} -> 0x${bits.toString(16)}`);
    t.equal(float16ToFloat32(bits), v, `0x${bits.toString(16)} -> ${v}`);
  }
  t.equal(float32ToFloat16(1 + 2 ** -11), 0x3c00, "a tie rounds to the even mantissa (down)");
  t.equal(float32ToFloat16(1 + 3 * 2 ** -11), 0x3c02, "a tie rounds to the even mantissa (up)");
  t.equal(float32ToFloat16(65520), 0x7c00, "overflow gives Inf");
  t.equal(float32ToFloat16(-Infinity), 0xfc00);
  t.ok(Number.isNaN(float16ToFloat32(float32ToFloat16(NaN))), "NaN stays NaN");
  t.equal(float32ToFloat16(2 ** -26), 0, "underflow gives 0");
  t.equal(float32ToFloat16(3 * 2 ** -25), 0x0002, "subnormal tie rounds to even");
  let worst = 0;
  for (let i = 1; i <= 2000; i++) {
    const v = Math.fround(Math.sin(i) * 10);
    worst = Math.max(worst, Math.abs(float16ToFloat32(float32ToFloat16(v)) - v) / Math.abs(v));
  }
  t.ok(worst <= 2 ** -11, `round trip relative error ${worst} <= 2^-11`);
});

t.test("boxDownsample averages each output pixel's integer footprint", async (t) => {
  // [3, 4] one channel -> [1, 2]: columns 0-1 and 2-3 of all rows.
  const src = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const out = new Float32Array(3);
  boxDownsample(src, [3, 4], 1, [1, 2], out, 1);
  t.same(Array.from(out), [0, (1 + 2 + 5 + 6 + 9 + 10) / 6, (3 + 4 + 7 + 8 + 11 + 12) / 6]);
  // [5, 5] -> [2, 2]: rows 0-1 / 2-4, columns 0-1 / 2-4 (floor(y H / h)).
  const ones = new Float32Array(25).map((_, i) => i);
  const o2 = new Float32Array(4);
  boxDownsample(ones, [5, 5], 1, [2, 2], o2, 0);
  t.same(Array.from(o2), [
    (0 + 1 + 5 + 6) / 4,
    (2 + 3 + 4 + 7 + 8 + 9) / 6,
    (10 + 11 + 15 + 16 + 20 + 21) / 6,
    (12 + 13 + 14 + 17 + 18 + 19 + 22 + 23 + 24) / 9,
  ]);
  t.throws(() => boxDownsample(src, [3, 4], 1, [4, 4], new Float32Array(16), 0), InvalidArgumentError);
});

t.test("shapePriorInput: [96, 128, 3], zero mean per channel, same for a strided view", async (t) => {
  const H = 192,
    W = 256;
  const data = new Uint8Array(H * W * 3).map((_, i) => (i * 7919) % 251);
  const out = new Float32Array(96 * 128 * 3);
  shapePriorInput(ndarray(data, [H, W, 3]), out, 0);
  for (let c = 0; c < 3; c++) {
    let s = 0;
    for (let i = 0; i < 96 * 128; i++) s += out[i * 3 + c] as number;
    t.ok(Math.abs(s / (96 * 128)) < 1e-4, `channel ${c} mean ${s / (96 * 128)}`);
  }
  // Exact 2x: output pixel (0, 0) channel 0 is the mean of the 2x2 block minus the channel mean, / 64.
  let mean0 = 0;
  for (let i = 0; i < H * W; i++) mean0 += data[i * 3] as number;
  mean0 /= H * W;
  const block = ((data[0] as number) + (data[3] as number) + (data[W * 3] as number) + (data[W * 3 + 3] as number)) / 4;
  t.ok(Math.abs((out[0] as number) - (block - mean0) / 64) < 1e-5);
  // A view of the same pixels inside a batch (offset) and a transposed copy read back give the same input.
  const batch = new Uint8Array(2 * H * W * 3);
  batch.set(data, H * W * 3);
  const picked = ndarray(batch, [2, H, W, 3]).pick(1, null, null, null);
  const out2 = new Float32Array(96 * 128 * 3);
  shapePriorInput(picked as ndarray.NdArray<Uint8Array>, out2, 0);
  t.same(Array.from(out2), Array.from(out));
  const transposed = ndarray(new Uint8Array(H * W * 3), [W, H, 3]).transpose(1, 0, 2) as ndarray.NdArray<Uint8Array>;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < 3; c++) transposed.set(y, x, c, data[(y * W + x) * 3 + c] as number);
  const out3 = new Float32Array(96 * 128 * 3);
  shapePriorInput(transposed, out3, 0);
  t.same(Array.from(out3), Array.from(out));
  t.throws(() => shapePriorInput(ndarray(new Uint8Array(H * W), [H, W, 1]), out, 0), InvalidArgumentError);
});

t.test("ShapePriorNet: logits [B, 24, 32, 7]; float16 weights round trip; bad weight counts refused", async (t) => {
  await selectBackend("cpu");
  const net = new ShapePriorNet(3);
  const x = tf.randomNormal([2, 96, 128, 3], 0, 1, "float32", 1) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  const y = net.forward(x);
  t.same(y.shape, [2, 24, 32, SHAPE_PRIOR_CLASSES.length]);
  t.equal(tf.memory().numTensors, before + 1, "forward keeps only its output");
  const bits = net.toFloat16();
  const other = new ShapePriorNet(4);
  other.loadFloat16(bits);
  t.same(Array.from(other.toFloat16()), Array.from(bits), "weights survive the float16 round trip");
  const y2 = other.forward(x);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(y, y2))).dataSync()[0] as number);
  t.ok(diff < 0.05, `float16 weights change logits by ${diff} < 0.05`);
  t.throws(() => other.loadFloat16(bits.subarray(1)), InvalidArgumentError);
  tf.dispose([x, y, y2]);
  net.dispose();
  other.dispose();
});
