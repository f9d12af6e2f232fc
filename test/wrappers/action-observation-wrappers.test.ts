import t from "tap";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { Env } from "../../src/core";
import type { Info, ResetOptions, StepResult } from "../../src/core";
import { Box } from "../../src/spaces";
import {
  ClipAction,
  FrameStackObservation,
  NormalizeObservation,
  RescaleAction,
  TransformAction,
} from "../../src/wrappers";
import { CartPoleEnv } from "../../src/envs/cartpole/cartpole";

/** Continuous actions in [-2, 2] x [0, 10]; observation [2] = 10 * step + [0, 1]; records actions. */
class ContinuousEnv extends Env<NdArray<Float32Array>, NdArray<Float32Array>> {
  observationSpace = new Box({ low: -100, high: 100, shape: [2] });
  actionSpace = new Box({ low: [-2, 0], high: [2, 10] });
  actions: number[][] = [];
  t = 0;
  async reset(_opts?: ResetOptions): Promise<[NdArray<Float32Array>, Info]> {
    this.t = 0;
    return [this.obs(), {}];
  }
  async step(a: NdArray<Float32Array>): Promise<StepResult<NdArray<Float32Array>>> {
    this.actions.push([a.get(0), a.get(1)]);
    this.t++;
    return [this.obs(), 1, false, false, {}];
  }
  private obs(): NdArray<Float32Array> {
    return ndarray(Float32Array.of(10 * this.t, 10 * this.t + 1), [2]);
  }
}

const act = (...v: number[]): NdArray<Float32Array> => ndarray(Float32Array.from(v), [v.length]);

t.test("ClipAction clips into the inner bounds and accepts any real action", async (t) => {
  const inner = new ContinuousEnv();
  const env = new ClipAction(inner);
  t.equal(env.actionSpace.toString(), "Box(-inf, inf, (2,), float32)");
  await env.reset();
  await env.step(act(7, -3));
  await env.step(act(-0.5, 4));
  t.same(inner.actions, [
    [2, 0],
    [-0.5, 4],
  ]);
  t.throws(() => new ClipAction(new CartPoleEnv() as never), /needs a float Box action space, got Discrete\(2\)/);
});

t.test("RescaleAction maps [min, max] affinely onto the inner bounds", async (t) => {
  const inner = new ContinuousEnv();
  const env = new RescaleAction(inner, -1, 1);
  t.equal(env.actionSpace.toString(), "Box(-1.0, 1.0, (2,), float32)");
  await env.reset();
  await env.step(act(-1, 1));
  await env.step(act(0, 0));
  await env.step(act(0.5, -0.5));
  t.same(inner.actions, [
    [-2, 10],
    [0, 5],
    [1, 2.5],
  ]);
  t.throws(() => new RescaleAction(inner, 1, 1), /minAction must be below maxAction everywhere \(element 0: 1 vs 1\)/);
  const unbounded = new ContinuousEnv();
  unbounded.actionSpace = new Box({ low: -Infinity, high: 1, shape: [2] });
  t.throws(() => new RescaleAction(unbounded, -1, 1), /needs a bounded action space/);
});

t.test("TransformAction applies func (and may declare the new action space)", async (t) => {
  const inner = new ContinuousEnv();
  const space = new Box({ low: -1, high: 1, shape: [1] });
  const env = new TransformAction(inner, (a: NdArray<Float32Array>) => act(a.get(0), 5), space);
  t.equal(env.actionSpace, space);
  await env.reset();
  await env.step(act(0.25));
  t.same(inner.actions, [[0.25, 5]]);
  t.throws(() => new TransformAction(inner, 3 as never), /func must be a function/);
});

t.test("NormalizeObservation: running mean/variance per element, frozen on request", async (t) => {
  const env = new NormalizeObservation(new ContinuousEnv());
  const seen: number[][] = [];
  const [o0] = await env.reset();
  seen.push([0, 1]);
  t.same(Array.from(o0.shape), [2]);
  for (let k = 1; k <= 4; k++) {
    await env.step(act(0, 0));
    seen.push([10 * k, 10 * k + 1]);
  }
  // Closed form: prior (count 1e-4, mean 0, var 1) merged with the 5 samples.
  for (const i of [0, 1]) {
    const xs = seen.map((s) => s[i]!);
    const n = xs.length + 1e-4;
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const m2 = 1e-4 * 1 + 1e-4 * mean * mean + xs.reduce((a, x) => a + (x - mean) ** 2, 0);
    t.ok(Math.abs(env.mean[i]! - mean) < 1e-9, `mean[${i}] ${env.mean[i]} vs ${mean}`);
    t.ok(Math.abs(env.var[i]! - m2 / n) < 1e-6, `var[${i}] ${env.var[i]} vs ${m2 / n}`);
  }
  env.updateRunningMean = false;
  const before = Array.from(env.mean);
  const [o] = await env.step(act(0, 0));
  t.same(Array.from(env.mean), before, "frozen");
  t.ok(Math.abs(o.get(0) - (50 - before[0]!) / Math.sqrt(env.var[0]! + 1e-8)) < 1e-4);
  t.throws(() => new NormalizeObservation(new CartPoleEnv() as never, { epsilon: 0 }), /epsilon must be > 0/);
});

t.test("FrameStackObservation stacks the last k observations, oldest first", async (t) => {
  const env = new FrameStackObservation(new ContinuousEnv(), 3);
  t.same(env.observationSpace.shape, [3, 2]);
  const [o0] = await env.reset();
  t.same(Array.from(o0.data), [0, 1, 0, 1, 0, 1], "padded with the reset observation");
  const [o1] = await env.step(act(0, 0));
  t.same(Array.from(o1.data), [0, 1, 0, 1, 10, 11]);
  await env.step(act(0, 0));
  const [o3] = await env.step(act(0, 0));
  t.same(Array.from(o3.data), [10, 11, 20, 21, 30, 31]);
  t.ok(env.observationSpace.contains(o3));
  const zero = new FrameStackObservation(new ContinuousEnv(), 2, { padding: "zero" });
  const [z] = await zero.reset();
  t.same(Array.from(z.data), [0, 0, 0, 1], "zero padding");
  t.ok(zero.observationSpace.contains(z));
  t.throws(() => new FrameStackObservation(new ContinuousEnv(), 0), /stackSize must be a positive integer, got 0/);
});
