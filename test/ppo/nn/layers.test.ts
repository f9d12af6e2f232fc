import t from "tap";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../../src/ppo/nn/backend";
import { addDense, dense } from "../../../src/ppo/nn/layers";
import { ParameterSet } from "../../../src/ppo/nn/parameters";
import { Rng } from "../../../src/core/rng";

for (const backend of ["wasm", "cpu"] as const) {
  t.test(`dense: its explicit-transpose gradient equals tfjs's matMul + add gradient (${backend})`, async (t) => {
    await selectBackend(backend);
    const params = new ParameterSet();
    addDense(params, "d", 6, 5, Math.SQRT2, new Rng(2));
    params.get("d.bias").assign(tf.tensor1d([0.1, -0.2, 0.3, 0, 0.5]));
    const x = tf.tensor2d(
      Float32Array.from({ length: 7 * 6 }, (_, i) => Math.sin(i * 1.7)),
      [7, 6],
    );
    const dy = tf.tensor2d(
      Float32Array.from({ length: 7 * 5 }, (_, i) => Math.cos(i * 0.9)),
      [7, 5],
    );
    const w = params.get("d.weight"),
      b = params.get("d.bias");
    const loss =
      (f: (x: tf.Tensor2D) => tf.Tensor) =>
      (xIn: tf.Tensor): tf.Scalar =>
        tf.sum(tf.mul(tf.tanh(f(xIn as tf.Tensor2D)), dy));
    const mine = tf.grads(loss((xi) => dense(params, "d", xi)))([x]);
    const ref = tf.grads(loss((xi) => tf.add(tf.matMul(xi, w as tf.Tensor2D), b)))([x]);
    t.ok(tf.max(tf.abs(tf.sub(mine[0]!, ref[0]!))).dataSync()[0]! < 1e-6, "dx");
    const vg = (f: (x: tf.Tensor2D) => tf.Tensor) => tf.variableGrads(() => loss(f)(x), [w, b]).grads;
    const gm = vg((xi) => dense(params, "d", xi));
    const gr = vg((xi) => tf.add(tf.matMul(xi, w as tf.Tensor2D), b));
    for (const v of [w, b]) {
      const err = tf.max(tf.abs(tf.sub(gm[v.name]!, gr[v.name]!))).dataSync()[0]!;
      t.ok(err < 1e-6, `${params.localName(v)}: max abs difference ${err}`);
      t.ok(
        tf.max(tf.abs(gr[v.name]!)).dataSync()[0]! > 0.1,
        `${params.localName(v)}: the gradient is not trivially zero`,
      );
    }
    t.same(dense(params, "d", x).shape, [7, 5]);
    params.dispose();
  });
}
