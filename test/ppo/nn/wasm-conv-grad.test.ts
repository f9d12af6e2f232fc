import t from "tap";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../../src/ppo/nn/backend";
import { conv2dFilterGradient, conv2dInputGradient } from "../../../src/ppo/nn/wasm-conv-grad";
import { ParameterSet } from "../../../src/ppo/nn/parameters";
import { conv } from "../../../src/ppo/nn/layers";
import { Rng } from "../../../src/core/rng";

function randomTensor(shape: number[], rng: Rng): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal();
  return tf.tensor(data, shape);
}

/** Gradients of sum(conv2d(x, f) * probe) with respect to x and f on the active backend. */
function grads(
  x: Float32Array,
  xs: number[],
  f: Float32Array,
  fs: number[],
  stride: number,
  pad: "same" | "valid",
  probeSeed: number,
): [Float32Array, Float32Array] {
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xs as [number, number, number, number]);
    const ft = tf.tensor4d(f, fs as [number, number, number, number]);
    const outShape = tf.conv2d(xt, ft, stride, pad).shape;
    const probe = randomTensor(outShape, new Rng(probeSeed));
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), probe)),
    );
    const [gx, gf] = g([xt, ft]);
    return [gx!.dataSync() as Float32Array, gf!.dataSync() as Float32Array];
  });
}

function maxRelError(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / Math.max(den, 1e-12);
}

const cases: Array<{ x: number[]; k: number; cin: number; cout: number; stride: number; pad: "same" | "valid" }> = [
  { x: [2, 9, 9, 3], k: 3, cin: 3, cout: 4, stride: 1, pad: "same" },
  { x: [2, 9, 9, 3], k: 3, cin: 3, cout: 4, stride: 2, pad: "same" },
  { x: [3, 16, 16, 4], k: 8, cin: 4, cout: 5, stride: 2, pad: "valid" },
  { x: [2, 11, 13, 2], k: 5, cin: 2, cout: 3, stride: 2, pad: "valid" },
  { x: [2, 12, 10, 3], k: 5, cin: 3, cout: 2, stride: 3, pad: "same" },
  { x: [1, 7, 7, 6], k: 1, cin: 6, cout: 3, stride: 1, pad: "valid" },
  { x: [2, 10, 10, 2], k: 4, cin: 2, cout: 2, stride: 4, pad: "valid" },
];

t.test("wasm Conv2DBackpropFilter matches the cpu backend", async (t) => {
  const rng = new Rng(7);
  for (const c of cases) {
    const xs = c.x;
    const fs = [c.k, c.k, c.cin, c.cout];
    const x = randomTensor(xs, rng);
    const f = randomTensor(fs, rng);
    const xd = x.dataSync() as Float32Array;
    const fd = f.dataSync() as Float32Array;
    tf.dispose([x, f]);
    await selectBackend("cpu");
    const [gxCpu, gfCpu] = grads(xd, xs, fd, fs, c.stride, c.pad, 3);
    await selectBackend("wasm");
    const [gxWasm, gfWasm] = grads(xd, xs, fd, fs, c.stride, c.pad, 3);
    const label = `x ${xs.join("x")} k${c.k} s${c.stride} ${c.pad}`;
    t.equal(gfWasm.length, gfCpu.length, `${label}: filter gradient size`);
    t.ok(
      maxRelError(gfWasm, gfCpu) < 1e-5,
      `${label}: filter gradient rel error ${maxRelError(gfWasm, gfCpu).toExponential(2)}`,
    );
    t.ok(maxRelError(gxWasm, gxCpu) < 1e-5, `${label}: input gradient rel error`);
  }
});

t.test("conv2dFilterGradient agrees with the cpu kernel directly (including NCHW)", async (t) => {
  await selectBackend("cpu");
  const rng = new Rng(3);
  const x = randomTensor([2, 8, 8, 3], rng) as tf.Tensor4D;
  const dy = randomTensor([2, 4, 4, 5], rng) as tf.Tensor4D;
  const attrs = { strides: 2, pad: "same", dataFormat: "NHWC", filterShape: [3, 3, 3, 5] };
  const ref = tf
    .engine()
    .runKernel("Conv2DBackpropFilter", { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const ours = conv2dFilterGradient(x, dy, [3, 3, 3, 5], 2, "same");
  t.ok(maxRelError(ours.dataSync() as Float32Array, ref.dataSync() as Float32Array) < 1e-5);
  const xNchw = tf.transpose(x, [0, 3, 1, 2]) as tf.Tensor4D;
  const dyNchw = tf.transpose(dy, [0, 3, 1, 2]) as tf.Tensor4D;
  const ours2 = conv2dFilterGradient(xNchw, dyNchw, [3, 3, 3, 5], 2, "same", undefined, "NCHW");
  t.ok(maxRelError(ours2.dataSync() as Float32Array, ref.dataSync() as Float32Array) < 1e-5);
  tf.dispose([x, dy, ref, ours, xNchw, dyNchw, ours2]);
});

t.test("the kernel does not leak tensors", async (t) => {
  await selectBackend("wasm");
  const x = tf.randomNormal([2, 8, 8, 3]) as tf.Tensor4D;
  const f = tf.variable(tf.randomNormal([3, 3, 3, 4]));
  const step = (): void => {
    tf.tidy(() => {
      const g = tf.grad((ff: tf.Tensor) => tf.sum(tf.conv2d(x, ff as tf.Tensor4D, 2, "same")))(f);
      g.dataSync();
    });
  };
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) step();
  t.equal(tf.memory().numTensors, before);
  tf.dispose([x, f]);
});

t.test(
  "conv2dInputGradient (input gradient as a forward conv) matches the cpu backend's Conv2DBackpropInput",
  async (t) => {
    const rng = new Rng(11);
    const more = [
      ...cases,
      { x: [2, 16, 16, 3], k: 3, cin: 3, cout: 4, stride: 2, pad: "same" as const },
      { x: [2, 8, 8, 2], k: 3, cin: 2, cout: 3, stride: 2, pad: "valid" as const },
    ];
    for (const c of more) {
      const fs = [c.k, c.k, c.cin, c.cout] as [number, number, number, number];
      const x = randomTensor(c.x, rng);
      const f = randomTensor(fs, rng);
      const xd = x.dataSync() as Float32Array,
        fd = f.dataSync() as Float32Array;
      tf.dispose([x, f]);
      await selectBackend("cpu");
      const [gxCpu] = grads(xd, c.x, fd, fs, c.stride, c.pad, 5);
      for (const backend of ["cpu", "wasm"] as const) {
        await selectBackend(backend);
        const ours = tf.tidy(() => {
          const xt = tf.tensor4d(xd, c.x as [number, number, number, number]);
          const ft = tf.tensor4d(fd, fs);
          const probe = randomTensor(tf.conv2d(xt, ft, c.stride, c.pad).shape, new Rng(5)) as tf.Tensor4D;
          return conv2dInputGradient(
            probe,
            ft,
            c.x as [number, number, number, number],
            c.stride,
            c.pad,
          ).dataSync() as Float32Array;
        });
        const err = maxRelError(ours, gxCpu);
        t.ok(
          ours.length === gxCpu.length && err < 1e-5,
          `${backend}: x ${c.x.join("x")} k${c.k} s${c.stride} ${c.pad}: rel error ${err.toExponential(2)}`,
        );
      }
    }
  },
);

t.test("layers.conv (custom gradient) gives tf.conv2d's value and gradients, without leaking", async (t) => {
  for (const backend of ["cpu", "wasm"] as const) {
    await selectBackend(backend);
    const rng = new Rng(4);
    const params = new ParameterSet();
    params.add(
      "c.weight",
      [3, 3, 4, 5],
      Float32Array.from({ length: 180 }, () => rng.normal()),
    );
    params.add(
      "c.bias",
      [5],
      Float32Array.from({ length: 5 }, () => rng.normal()),
    );
    const x = randomTensor([2, 8, 8, 4], rng) as tf.Tensor4D;
    for (const [stride, pad] of [
      [1, "same"],
      [2, "same"],
      [2, "valid"],
    ] as const) {
      const w = params.get("c.weight") as tf.Tensor4D,
        b = params.get("c.bias");
      const loss =
        (f: () => tf.Tensor): (() => tf.Scalar) =>
        () =>
          tf.sum(tf.mul(f(), tf.sin(tf.range(0, f().size).reshape(f().shape)))) as tf.Scalar;
      const run = (f: () => tf.Tensor): Float32Array[] =>
        tf.tidy(() => {
          const { value, grads: g } = tf.variableGrads(loss(f), params.variables());
          return [
            value.dataSync() as Float32Array,
            ...params.variables().map((v) => g[v.name]!.dataSync() as Float32Array),
          ];
        });
      const ours = run(() => conv(params, "c", x, stride, pad));
      const ref = run(() => tf.add(tf.conv2d(x, w, stride, pad), b));
      ours.forEach((a, i) =>
        t.ok(
          maxRelError(a, ref[i]!) < 1e-5,
          `${backend} s${stride} ${pad}: ${["loss", "weight grad", "bias grad"][i]}`,
        ),
      );
      run(() => conv(params, "c", x, stride, pad));
      const before = tf.memory().numTensors;
      run(() => conv(params, "c", x, stride, pad));
      t.equal(tf.memory().numTensors, before, `${backend} s${stride} ${pad}: no leak`);
    }
    x.dispose();
    params.dispose();
  }
});
