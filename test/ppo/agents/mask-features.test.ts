import t from "tap";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { Box, Dict, Discrete, Text } from "../../../src/spaces";
import { resize } from "../../../src/data/resize";
import { Rng } from "../../../src/core/rng";
import { ImplicitAgent } from "../../../src/ppo/agents/implicit-agent";
import { ExplicitAgent } from "../../../src/ppo/agents/explicit-agent";
import { tensor as tfTensor } from "@tensorflow/tfjs";
import { maskTemperature, temperMaskProbability, temperMaskInPlace } from "../../../src/ppo/agents/mask-temperature";

// Observations as SamSegEnv gives them, batched: embedding [C, 8, 8], mask [16, 16], maxSteps 5.
const C = 3,
  G = 8,
  M = 16,
  N = 2;
const space = (withSteps: boolean): Dict =>
  new Dict({
    image: new Box({ low: 0, high: 255, shape: [16, 16, 3], dtype: "uint8" }),
    ...(withSteps ? { numSteps: new Discrete(6) } : {}),
    samImageEmbeddings: new Box({ low: -Infinity, high: Infinity, shape: [C, G, G], dtype: "float32" }),
    samPredMaskProb: new Box({ low: 0, high: 1, shape: [M, M], dtype: "float32" }),
    targetCategory: new Text({ maxLength: 8 }),
  });
const actions = new Discrete(2 * 4 * 4);
// inputGrid = the embedding grid: no pooling, so features are E * (1 + p) element for element.
const config = {
  inputGrid: [G, G] as [number, number],
  convs: [{ filters: 4, kernel: 3, stride: 2 }],
  hidden: 8,
  categorySlots: 2,
};

function batch(seed: number, numSteps: number[]): Record<string, unknown> {
  const rng = new Rng(seed);
  return {
    image: ndarray(new Uint8Array(N * 16 * 16 * 3), [N, 16, 16, 3]),
    numSteps: Int32Array.from(numSteps),
    samImageEmbeddings: ndarray(
      new Float32Array(N * C * G * G).map(() => rng.normal()),
      [N, C, G, G],
    ),
    samPredMaskProb: ndarray(
      new Float32Array(N * M * M).map(() => rng.random()),
      [N, M, M],
    ),
    targetCategory: ["cat", "dog"],
  };
}

/** p of sample i resized to the embedding grid by src/data's resize (the reference numbers). */
function resizedMask(obs: Record<string, unknown>, i: number): Float32Array {
  const p = (obs["samPredMaskProb"] as NdArray<Float32Array>).data.slice(i * M * M, (i + 1) * M * M);
  return resize(ndarray(p, [M, M]), [G, G], "linear").data as Float32Array;
}

t.test("temperature trick: hand-computed values of sigmoid(logit(p) / exp(maxSteps - numSteps))", async (t) => {
  const close = (a: number, b: number, what: string): void =>
    void t.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b}`);
  close(maskTemperature(5, 5), 1, "T at the last click");
  close(maskTemperature(0, 5), 148.413159, "T after reset = e^5");
  close(temperMaskProbability(0.8, maskTemperature(5, 5)), 0.8, "T = 1 leaves p");
  // logit(0.8) = ln 4 = 1.386294; / e = 0.509989; sigmoid = 0.624804.
  close(temperMaskProbability(0.8, maskTemperature(4, 5)), 0.624804, "p 0.8 at step 4 of 5");
  // logit(0.2) = -ln 4: symmetric, 1 - 0.624804.
  close(temperMaskProbability(0.2, maskTemperature(4, 5)), 0.375196, "p 0.2 at step 4 of 5");
  // logit(0.99) = 4.595120; / e^5 = 0.030962; sigmoid = 0.507740.
  close(temperMaskProbability(0.99, maskTemperature(0, 5)), 0.50774, "p 0.99 right after reset");
  // p = 1 is clamped to 1 - 1e-6: logit 13.815509; / e^2 = 1.869727; sigmoid = 0.866427.
  close(temperMaskProbability(1, maskTemperature(3, 5)), 0.866427, "p 1 (clamped) at step 3");
  close(temperMaskProbability(0, 1), 1e-6, "p 0 is clamped to 1e-6");
  const p = Float32Array.of(0.8, 0.5);
  temperMaskInPlace(p, Math.E);
  t.same(Array.from(p), [Math.fround(0.6248039414898167), 0.5]);
});

t.test("explicit agent maskTemperature: E * (1 + tempered p) with numSteps from the observation", async (t) => {
  const agent = new ExplicitAgent(space(true), actions, { ...config, maskTemperature: true }, 1);
  const plain = new ExplicitAgent(space(true), actions, config, 1);
  t.equal((agent.config as { maskTemperature?: boolean }).maskTemperature, true, "kept in the config (checkpoints)");
  const obs = batch(3, [0, 4]);
  const per = G * G * (C + 2);
  const x = new Float32Array(N * per),
    y = new Float32Array(N * per);
  await agent.featurize(obs, N, x);
  await plain.featurize(obs, N, y);
  const e = (obs["samImageEmbeddings"] as NdArray<Float32Array>).data;
  let exact = true,
    untouched = true;
  for (let i = 0; i < N; i++) {
    const pr = resizedMask(obs, i);
    const temperature = Math.exp(5 - [0, 4][i]!);
    for (let c = 0; c < C; c++) {
      for (let cell = 0; cell < G * G; cell++) {
        const ev = e[(i * C + c) * G * G + cell]!;
        exact &&=
          x[i * per + cell * (C + 2) + c] ===
          Math.fround(ev * (1 + Math.fround(temperMaskProbability(pr[cell]!, temperature))));
        untouched &&= y[i * per + cell * (C + 2) + c] === Math.fround(ev * (1 + pr[cell]!));
      }
    }
  }
  t.ok(exact, "with the trick: exactly E * (1 + sigmoid(logit(p) / e^(5 - numSteps))) on resize()'s p");
  t.ok(untouched, "without it: exactly E * (1 + p)");
  t.throws(() => new ExplicitAgent(space(false), actions, { ...config, maskTemperature: true }, 1), /numSteps/);
  agent.dispose();
  plain.dispose();
});

t.test("maskPlane: p average-pooled to the grid as one more plane, equal to resize()'s numbers", async (t) => {
  const agent = new ImplicitAgent(space(true), actions, { ...config, maskPlane: true }, 1);
  t.same(agent.inputShape, [G, G, C + 1 + 2], "embedding, mask plane, category planes");
  const obs = batch(4, [1, 1]);
  const per = G * G * (C + 3);
  const x = new Float32Array(N * per);
  agent.featurize(obs, N, x);
  for (let i = 0; i < N; i++) {
    const pr = resizedMask(obs, i);
    t.same(
      Array.from({ length: G * G }, (_, cell) => x[i * per + cell * (C + 3) + C]),
      Array.from(pr),
      `sample ${i}: plane C is p`,
    );
    t.same(
      [x[i * per + 5 * (C + 3) + C + 1], x[i * per + 5 * (C + 3) + C + 2]],
      i === 0 ? [1, 0] : [0, 1],
      `sample ${i}: category planes follow`,
    );
  }
  // Pooled 2x2 on a 4x4 grid: the mean of four resized values.
  const pooled = new ImplicitAgent(space(true), actions, { ...config, inputGrid: [4, 4], maskPlane: true }, 1);
  const z = new Float32Array(N * 16 * (C + 3));
  pooled.featurize(obs, N, z);
  const pr = resizedMask(obs, 1);
  const mean = (pr[2 * G + 2]! + pr[2 * G + 3]! + pr[3 * G + 2]! + pr[3 * G + 3]!) / 4;
  t.ok(
    Math.abs(z[16 * (C + 3) + (1 * 4 + 1) * (C + 3) + C]! - mean) < 1e-6,
    "cell (1, 1) of sample 1 averages its 2x2 block",
  );
  agent.dispose();
  pooled.dispose();
});

t.test("noRepeat config: action groups of the agent-side mask, kept in the config, validated", async (t) => {
  const make = (noRepeat?: "off" | "action" | "patch" | "cell"): ImplicitAgent =>
    new ImplicitAgent(space(true), actions, { ...config, inputGrid: [4, 4], ...(noRepeat ? { noRepeat } : {}) }, 1);
  const [off, action, patch, cell] = [make(), make("action"), make("patch"), make("cell")];
  t.equal(off.noRepeatGroups, null);
  t.equal((off.config as { noRepeat?: string }).noRepeat, "off", "old configs (no field) mean off");
  t.same(Array.from(action.noRepeatGroups!.subarray(0, 4)), [0, 1, 2, 3]);
  t.same(Array.from(patch.noRepeatGroups!.subarray(0, 6)), [0, 0, 1, 1, 2, 2]);
  t.equal((patch.config as { noRepeat?: string }).noRepeat, "patch");
  // 16x16 image, 4x4 patches of 4 px (centres 2, 6, 10, 14) on a 4x4 grid: patch (wi, hi) -> cell hi * 4 + wi.
  const groups = cell.noRepeatGroups!;
  t.equal(groups.length, 32);
  t.same(
    [groups[0], groups[1], groups[2 * (1 * 4 + 2)], groups[2 * (3 * 4 + 0) + 1]],
    [0, 0, 2 * 4 + 1, 0 * 4 + 3],
    "both labels of patch (wi, hi) share cell hi * 4 + wi",
  );
  t.throws(
    () => new ImplicitAgent(space(true), actions, { ...config, noRepeat: "pixel" as never }, 1),
    /noRepeat must be "off", "action", "patch" or "cell", got "pixel"/,
  );
  for (const a of [patch, action, off, cell]) a.dispose();
});

t.test("correctionPlanes: max(q - m, 0) and max(m - q, 0) of the prior q and the pooled mask m", async (t) => {
  // A provider whose map is known: q(y, x) = (y * G + x) / (G * G), at the grid size (no resize).
  const q = Float32Array.from({ length: G * G }, (_, i) => i / (G * G));
  const provider = { channels: 1, prior: async () => ({ data: q, height: G, width: G }) };
  const agent = new ExplicitAgent(
    space(true),
    actions,
    { ...config, correctionPlanes: "difference" as const },
    1,
    provider,
  );
  const plain = new ExplicitAgent(space(true), actions, config, 1, provider);
  t.equal((agent.config as { correctionPlanes?: string }).correctionPlanes, "difference", "kept in the config");
  t.equal((plain.config as { correctionPlanes?: string }).correctionPlanes, "off", "default off");
  t.same(agent.inputShape, [G, G, C + 2 + 3], "image planes, the prior map, two disagreement planes");
  const obs = batch(5, [1, 2]);
  const per = G * G * (C + 5);
  const x = new Float32Array(N * per);
  const y = new Float32Array(N * G * G * (C + 3));
  await agent.featurize(obs, N, x);
  await plain.featurize(obs, N, y);
  let pos = true,
    neg = true,
    same = true,
    bothPositive = 0;
  for (let i = 0; i < N; i++) {
    const m = resizedMask(obs, i);
    for (let cell = 0; cell < G * G; cell++) {
      const o = i * per + cell * (C + 5);
      const d = q[cell]! - m[cell]!;
      pos &&= Math.abs(x[o + C + 3]! - Math.max(d, 0)) < 1e-6;
      neg &&= Math.abs(x[o + C + 4]! - Math.max(-d, 0)) < 1e-6;
      if (x[o + C + 3]! > 0 && x[o + C + 4]! > 0) bothPositive++;
      for (let j = 0; j < C + 3; j++) same &&= x[o + j] === y[i * G * G * (C + 3) + cell * (C + 3) + j];
    }
  }
  t.ok(pos, "plane C + 3 (after the image planes, the category planes and the prior) = max(q - m, 0)");
  t.ok(neg, "plane C + 4 = max(m - q, 0)");
  t.equal(bothPositive, 0, "never both at one cell");
  t.ok(same, "the other planes are those of the agent without correction planes");
  const out = agent.forward(tfTensor(x, [N, ...agent.inputShape]));
  t.same(out.logits.shape, [N, 32], "the forward pass reads the wider input");
  out.logits.dispose();
  out.values.dispose();
  t.throws(
    () => new ExplicitAgent(space(true), actions, { ...config, correctionPlanes: "difference" as const }, 1),
    /needs a semantic prior/,
  );
  agent.dispose();
  plain.dispose();
});

t.test("correctionGain: a trainable skip g * disagreement plane into each cell's click logits", async (t) => {
  const q = Float32Array.from({ length: G * G }, (_, i) => i / (G * G));
  const provider = { channels: 1, prior: async () => ({ data: q, height: G, width: G }) };
  const base = { ...config, correctionPlanes: "difference" as const };
  const zero = new ExplicitAgent(space(true), actions, { ...base, correctionGain: 0 }, 1, provider);
  const five = new ExplicitAgent(space(true), actions, { ...base, correctionGain: 5 }, 1, provider);
  t.equal((five.config as { correctionGain?: number }).correctionGain, 5, "kept in the config");
  t.same(Array.from(five.params.get("correctionGain").dataSync()), [5, 5], "g+ and g- start at the config's value");
  const obs = batch(6, [1, 2]);
  const per = G * G * (C + 5);
  const x = new Float32Array(N * per);
  await five.featurize(obs, N, x);
  const input = tfTensor(x, [N, ...five.inputShape]);
  const a = zero.forward(input),
    b = five.forward(input);
  const la = a.logits.dataSync(),
    lb = b.logits.dataSync();
  let explained = true,
    moved = 0;
  for (let i = 0; i < N; i++) {
    for (const label of [0, 1]) {
      const plane = Array.from({ length: G * G }, (_, cell) => x[i * per + cell * (C + 5) + C + 3 + label]!);
      for (let patch = 0; patch < 16; patch++) {
        const d = (lb[i * 32 + 2 * patch + label]! - la[i * 32 + 2 * patch + label]!) / 5;
        explained &&= plane.some((v) => Math.abs(v - d) < 1e-4);
        if (d > 1e-3) moved++;
      }
    }
  }
  t.ok(explained, "each logit moves by 5 x the label's disagreement plane at some cell (the patch's cell)");
  t.ok(moved > 0, "and some move");
  t.same(Array.from(a.values.dataSync()), Array.from(b.values.dataSync()), "values do not depend on the skip");
  for (const o of [a, b]) {
    o.logits.dispose();
    o.values.dispose();
  }
  t.throws(
    () => new ExplicitAgent(space(true), actions, { ...config, correctionGain: 1 }, 1, provider),
    /needs correctionPlanes/,
  );
  t.throws(
    () => new ExplicitAgent(space(true), actions, { ...base, correctionGain: 1, actorHead: "dense" }, 1, provider),
    /spatial actor head/,
  );
  zero.dispose();
  five.dispose();
});

t.test("explicit agent: prior maps in SAM's frame; an empty mask before the first click", async (t) => {
  // A 12x16 image: in SAM's frame its longest side fills the 8x8 grid, so it covers rows 0..5.
  const wide = new Dict({
    image: new Box({ low: 0, high: 255, shape: [12, 16, 3], dtype: "uint8" }),
    numSteps: new Discrete(6),
    samImageEmbeddings: new Box({ low: -Infinity, high: Infinity, shape: [C, G, G], dtype: "float32" }),
    samPredMaskProb: new Box({ low: 0, high: 1, shape: [M, M], dtype: "float32" }),
    targetCategory: new Text({ maxLength: 8 }),
  });
  const ones = { channels: 1, prior: async () => ({ data: new Float32Array(12).fill(1), height: 3, width: 4 }) };
  const agent = new ExplicitAgent(wide, actions, { ...config, correctionPlanes: "difference" }, 1, ones);
  const obs = { ...batch(7, [0, 3]), image: ndarray(new Uint8Array(N * 12 * 16 * 3), [N, 12, 16, 3]) };
  const per = G * G * (C + 5);
  const x = new Float32Array(N * per);
  await agent.featurize(obs, N, x);
  const plane = (i: number, j: number): number[] =>
    Array.from({ length: G * G }, (_, cell) => x[i * per + cell * (C + 5) + j] as number);
  const prior = plane(0, C + 2);
  t.same(prior.slice(0, 6 * G), new Array(6 * G).fill(1), "rows 0..5 (the image) hold the prior");
  t.same(prior.slice(6 * G), new Array(2 * G).fill(0), "rows 6..7 (SAM's zero padding) hold none");
  t.same(plane(0, C + 3), prior, "numSteps 0: no mask yet, so the positive plane is the prior");
  t.same(plane(0, C + 4), new Array(G * G).fill(0), "and nothing to remove");
  const m = resizedMask(obs, 1);
  t.ok(
    plane(1, C + 4).every((v, cell) => Math.abs(v - Math.max(m[cell]! - prior[cell]!, 0)) < 1e-6),
    "numSteps 3: the env's mask counts",
  );
  agent.dispose();
});
