import t from "tap";
import * as tf from "@tensorflow/tfjs";
import { Box, Discrete } from "../../src/spaces";
import { selectBackend } from "../../src/ppo/nn/backend";
import { MlpAgent } from "../../src/ppo/agents/mlp-agent";
import { ppoLossGradient } from "../../src/ppo/ppo-loss";
import type { PpoLossCoefficients } from "../../src/ppo/ppo-loss";
import { Rng } from "../../src/core/rng";

t.setTimeout(120_000);

/** max |a - b| / max |b| over a gradient block (relative to its scale). */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0,
    scale = 0;
  for (let k = 0; k < b.length; k++) {
    diff = Math.max(diff, Math.abs((a[k] as number) - (b[k] as number)));
    scale = Math.max(scale, Math.abs(b[k] as number));
  }
  return diff / Math.max(scale, 1e-12);
}

/** CleanRL's loss written with tfjs ops (the reference the JS gradient must match). */
function tfLoss(
  agent: MlpAgent,
  x: tf.Tensor,
  actions: Int32Array,
  oldLogP: Float32Array,
  adv: Float32Array,
  ret: Float32Array,
  oldV: Float32Array,
  w: Float32Array,
  coef: PpoLossCoefficients,
): () => tf.Scalar {
  return () => {
    const { logits, values } = agent.forward(x);
    return lossOfOutputs(logits, values, actions, oldLogP, adv, ret, oldV, w, coef);
  };
}

/** CleanRL's loss (tfjs ops) as a function of the network outputs logits [B, n] and values [B]. */
function lossOfOutputs(
  logits: tf.Tensor,
  values: tf.Tensor,
  actions: Int32Array,
  oldLogP: Float32Array,
  adv: Float32Array,
  ret: Float32Array,
  oldV: Float32Array,
  w: Float32Array,
  coef: PpoLossCoefficients,
): tf.Scalar {
  const ls = tf.logSoftmax(logits);
  const weights = tf.tensor1d(w);
  const mean = (v: tf.Tensor): tf.Scalar => tf.sum(tf.mul(v, weights));
  const newLogP = tf.sum(tf.mul(ls, tf.oneHot(tf.tensor1d(actions, "int32"), logits.shape[1] as number)), 1);
  const entropy = tf.neg(tf.sum(tf.mul(tf.exp(ls), ls), 1));
  const ratio = tf.exp(tf.sub(newLogP, tf.tensor1d(oldLogP)));
  const negAdv = tf.neg(tf.tensor1d(adv));
  const pg = mean(
    tf.maximum(tf.mul(negAdv, ratio), tf.mul(negAdv, tf.clipByValue(ratio, 1 - coef.clipCoef, 1 + coef.clipCoef))),
  );
  const r = tf.tensor1d(ret),
    ov = tf.tensor1d(oldV);
  const vu = tf.square(tf.sub(values, r));
  const vc = tf.square(tf.sub(tf.add(ov, tf.clipByValue(tf.sub(values, ov), -coef.clipCoef, coef.clipCoef)), r));
  const vLoss = tf.mul(0.5, mean(coef.clipVloss ? tf.maximum(vu, vc) : vu));
  return tf.add(tf.sub(pg, tf.mul(coef.entCoef, mean(entropy))), tf.mul(coef.vfCoef, vLoss)) as tf.Scalar;
}

for (const [inputs, hidden, actionsN, clipVloss] of [
  [4, [64, 64], 2, true],
  [5, [16, 8], 3, false],
] as const) {
  t.test(
    `JS PPO loss gradient backpropagated by tfjs equals tf.grad of the tfjs loss (${inputs}-${hidden.join("-")}-${actionsN}, clipVloss ${clipVloss})`,
    async (t) => {
      await selectBackend("cpu");
      const rng = new Rng(7);
      const agent = new MlpAgent(
        new Box({ low: -5, high: 5, shape: [inputs], dtype: "float32" }),
        new Discrete(actionsN),
        { kind: "mlp", hidden: [...hidden] },
        3,
      );
      // Larger head weights than the init so that ratios move and every clipping branch is taken.
      for (const v of agent.params.variables())
        v.assign(tf.tidy(() => tf.add(v, tf.mul(tf.randomNormal(v.shape, 0, 1, "float32", 11), 0.3))));
      agent.syncFastForward();
      const B = 128;
      const x = Float32Array.from({ length: B * inputs }, () => 2 * rng.random() - 1);
      const logits = new Float32Array(B * actionsN),
        values = new Float32Array(B);
      agent.fastForward(x, B, logits, values);
      const actions = Int32Array.from({ length: B }, () => Math.floor(rng.random() * actionsN));
      // Old log-probs/values near the current ones: some ratios inside [0.8, 1.2], some outside.
      const oldLogP = Float32Array.from({ length: B }, (_, j) => {
        let m = -Infinity;
        for (let k = 0; k < actionsN; k++) m = Math.max(m, logits[j * actionsN + k]!);
        let s = 0;
        for (let k = 0; k < actionsN; k++) s += Math.exp(logits[j * actionsN + k]! - m);
        return logits[j * actionsN + actions[j]!]! - m - Math.log(s) + (rng.random() - 0.5) * 0.8;
      });
      const oldV = Float32Array.from(values, (v) => v + (rng.random() - 0.5) * 0.8);
      const adv = Float32Array.from({ length: B }, () => 2 * rng.random() - 1);
      const ret = Float32Array.from(values, (v) => v + (rng.random() - 0.5) * 2);
      const mask = Float32Array.from({ length: B }, (_, j) => (j % 9 === 4 ? 0 : 1));
      const count = mask.reduce((a, b) => a + b, 0);
      const w = Float32Array.from(mask, (m) => m / count);
      const coef = { clipCoef: 0.2, entCoef: 0.01, vfCoef: 0.5, clipVloss };

      const dLogits = new Float64Array(B * actionsN),
        dValues = new Float64Array(B);
      const stats = ppoLossGradient(
        {
          rows: B,
          numActions: actionsN,
          logits,
          values,
          actions,
          oldLogProbs: oldLogP,
          oldValues: oldV,
          advantages: adv,
          returns: ret,
          weights: w,
        },
        coef,
        dLogits,
        dValues,
      );
      // The trainer's backward: tfjs backpropagates the JS output gradient through the network.
      const xT = tf.tensor(x, [B, inputs]);
      const surrogate = tf.variableGrads(() => {
        const o = agent.forward(xT);
        return tf.add(
          tf.sum(tf.mul(o.logits, tf.tensor2d(Float32Array.from(dLogits), [B, actionsN]))),
          tf.sum(tf.mul(o.values, tf.tensor1d(Float32Array.from(dValues)))),
        ) as tf.Scalar;
      }, agent.params.variables());

      const clippedRatios = stats[5]!;
      t.ok(
        clippedRatios > 0.1 && clippedRatios < 0.9,
        `both clipped and unclipped ratios occur (clipfrac ${clippedRatios.toFixed(2)})`,
      );

      const { value, grads: ref } = tf.variableGrads(
        tfLoss(agent, xT, actions, oldLogP, adv, ret, oldV, w, coef),
        agent.params.variables(),
      );
      const lossJs = stats[0]! - coef.entCoef * stats[2]! + coef.vfCoef * stats[1]!;
      t.ok(
        Math.abs(lossJs - value.dataSync()[0]!) <= 1e-5 * Math.max(1, Math.abs(lossJs)),
        `loss ${lossJs} vs tf ${value.dataSync()[0]}`,
      );
      for (const v of agent.params.variables()) {
        const err = relativeError(surrogate.grads[v.name]!.dataSync(), ref[v.name]!.dataSync());
        t.ok(err < 1e-5, `${agent.params.localName(v)}: relative error ${err.toExponential(2)}`);
      }
      // And dLoss/dlogits, dLoss/dvalues themselves against tf.grad with respect to the outputs.
      const [gl, gv] = tf.grads((l: tf.Tensor, v: tf.Tensor) =>
        lossOfOutputs(l, v, actions, oldLogP, adv, ret, oldV, w, coef),
      )([tf.tensor2d(logits, [B, actionsN]), tf.tensor1d(values)]);
      t.ok(relativeError(dLogits, gl!.dataSync()) < 1e-5, "dLoss/dlogits");
      t.ok(relativeError(dValues, gv!.dataSync()) < 1e-5, "dLoss/dvalues");
      tf.dispose([xT, value, surrogate.value, gl!, gv!, ...Object.values(ref), ...Object.values(surrogate.grads)]);
      agent.dispose();
    },
  );
}

t.test(
  "action masks: the loss is the softmax over the open actions (masked logits as -1e4 give the same numbers)",
  async (t) => {
    const rng = new Rng(21);
    const B = 24,
      n = 7;
    const logits = Float64Array.from({ length: B * n }, () => 3 * rng.random() - 1.5);
    const masks = Uint8Array.from({ length: B * n }, (_, k) => (k % n === 6 || (k * 7) % 5 === 0 ? 1 : 0));
    const actions = Int32Array.from({ length: B }, (_, j) => {
      const open = [...Array(n).keys()].filter((k) => !masks[j * n + k]);
      return open[Math.floor(rng.random() * open.length)]!;
    });
    const oldLogP = Float32Array.from({ length: B }, () => -1.2 + 0.6 * (rng.random() - 0.5));
    const row = (): Float32Array => Float32Array.from({ length: B }, () => rng.random() - 0.5);
    const [values, oldV, adv, ret] = [row(), row(), row(), row()];
    const w = new Float32Array(B).fill(1 / B);
    const coef = { clipCoef: 0.2, entCoef: 0.05, vfCoef: 0.5, clipVloss: true };
    const input = {
      rows: B,
      numActions: n,
      values,
      actions,
      oldLogProbs: oldLogP,
      oldValues: oldV,
      advantages: adv,
      returns: ret,
      weights: w,
    };

    const dl = new Float64Array(B * n),
      dv = new Float64Array(B);
    const masked = ppoLossGradient({ ...input, logits, actionMasks: masks }, coef, dl, dv);
    // Reference: no mask, masked logits pushed to -1e4 (probability exp(-1e4) = 0 exactly in float64).
    const pushed = Float64Array.from(logits, (l, k) => (masks[k] ? -1e4 : l));
    const rl = new Float64Array(B * n),
      rv = new Float64Array(B);
    const reference = ppoLossGradient({ ...input, logits: pushed }, coef, rl, rv);
    t.same(Array.from(masked), Array.from(reference), "policy/value loss, entropy, KLs and clipfrac");
    t.ok(relativeError(dl, rl) < 1e-12, "dLoss/dlogits");
    t.same(Array.from(dv), Array.from(rv), "dLoss/dvalues");
    let maskedGrad = 0;
    for (let k = 0; k < B * n; k++) if (masks[k]) maskedGrad = Math.max(maskedGrad, Math.abs(dl[k]!));
    t.equal(maskedGrad, 0, "masked logits get no gradient");
    // The values of masked logits do not matter.
    const other = Float64Array.from(logits, (l, k) => (masks[k] ? l + 50 : l));
    t.same(
      Array.from(
        ppoLossGradient(
          { ...input, logits: other, actionMasks: masks },
          coef,
          new Float64Array(B * n),
          new Float64Array(B),
        ),
      ),
      Array.from(masked),
    );
    // And the masked entropy is below the unmasked one (fewer actions).
    const unmasked = ppoLossGradient({ ...input, logits }, coef, new Float64Array(B * n), new Float64Array(B));
    t.ok(masked[2]! < unmasked[2]!, `entropy ${masked[2]} < ${unmasked[2]}`);
  },
);
