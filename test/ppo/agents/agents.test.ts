import t from "tap";
import * as tf from "@tensorflow/tfjs";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { Box, Dict, Discrete, Text } from "../../../src/spaces";
import { selectBackend } from "../../../src/ppo/nn/backend";
import { ImplicitAgent } from "../../../src/ppo/agents/implicit-agent";
import { cellToPatchMatrix } from "../../../src/ppo/agents/click-grid";
import { ActionGrid } from "../../../src/envs/sam-seg/action-grid";
import { ExplicitAgent } from "../../../src/ppo/agents/explicit-agent";
import type { SemanticPriorProvider } from "../../../src/priors/semantic-prior";
import { MlpAgent } from "../../../src/ppo/agents/mlp-agent";
import { orthogonalMatrix } from "../../../src/ppo/nn/orthogonal";
import { Rng } from "../../../src/core/rng";
import { InvalidArgumentError } from "../../../src/core/errors";

const C = 4,
  G = 8,
  M = 16,
  N = 2;
const obsSpace = new Dict({
  image: new Box({ low: 0, high: 255, shape: [16, 16, 3], dtype: "uint8" }),
  numSteps: new Discrete(6),
  samImageEmbeddings: new Box({ low: -Infinity, high: Infinity, shape: [C, G, G], dtype: "float32" }),
  samPredMaskProb: new Box({ low: 0, high: 1, shape: [M, M], dtype: "float32" }),
  targetCategory: new Text({ maxLength: 8 }),
});
const actSpace = new Discrete(2 * 4 * 4);
const small = {
  inputGrid: [4, 4] as [number, number],
  convs: [
    { filters: 6, kernel: 3, stride: 2 },
    { filters: 5, kernel: 3, stride: 1 },
  ],
  hidden: 16,
  categorySlots: 0,
};

function batch(seed: number): Record<string, unknown> {
  const rng = new Rng(seed);
  const e = new Float32Array(N * C * G * G).map(() => rng.normal());
  const p = new Float32Array(N * M * M).map(() => rng.random());
  const img = new Uint8Array(N * 16 * 16 * 3).map(() => rng.integers(256));
  return {
    image: ndarray(img, [N, 16, 16, 3]),
    numSteps: new Int32Array(N),
    samImageEmbeddings: ndarray(e, [N, C, G, G]),
    samPredMaskProb: ndarray(p, [N, M, M]),
    targetCategory: ["cat", "dog"],
  };
}

async function run(
  agent: {
    featurize(o: unknown, n: number, out: Float32Array): void | Promise<void>;
    inputShape: readonly number[];
    forward(x: tf.Tensor): { logits: tf.Tensor; values: tf.Tensor };
  },
  obs: unknown,
): Promise<[Float32Array, Float32Array]> {
  const size = agent.inputShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(N * size);
  await agent.featurize(obs, N, x);
  const input = tf.tensor(x, [N, ...agent.inputShape]);
  const { logits, values } = agent.forward(input);
  const out: [Float32Array, Float32Array] = [logits.dataSync() as Float32Array, values.dataSync() as Float32Array];
  tf.dispose([input, logits, values]);
  return out;
}

t.test("orthogonal init: orthonormal rows/columns scaled by the gain", async (t) => {
  for (const [r, c] of [
    [3, 5],
    [6, 4],
  ] as const) {
    const q = orthogonalMatrix(r, c, 2, new Rng(1));
    const short = Math.min(r, c);
    for (let a = 0; a < short; a++) {
      for (let b = 0; b < short; b++) {
        let dot = 0;
        for (let k = 0; k < Math.max(r, c); k++)
          dot += r < c ? q[a * c + k]! * q[b * c + k]! : q[k * c + a]! * q[k * c + b]!;
        t.ok(Math.abs(dot - (a === b ? 4 : 0)) < 1e-4, `${r}x${c} entry (${a}, ${b})`);
      }
    }
  }
});

t.test("MLP agent: plain-JS rollout forward equals the tfjs forward", async (t) => {
  await selectBackend("wasm");
  const space = new Box({ low: -1, high: 1, shape: [5], dtype: "float32" });
  const agent = new MlpAgent(space, new Discrete(3), { kind: "mlp" }, 4);
  const x = new Float32Array(10).map((_, i) => Math.sin(i));
  const [l, v] = tf.tidy(() => {
    const o = agent.forward(tf.tensor(x, [2, 5]));
    return [o.logits.dataSync() as Float32Array, o.values.dataSync() as Float32Array];
  });
  const l2 = new Float32Array(6),
    v2 = new Float32Array(2);
  agent.fastForward(x, 2, l2, v2);
  for (let i = 0; i < 6; i++) t.ok(Math.abs(l[i]! - l2[i]!) < 1e-5);
  for (let i = 0; i < 2; i++) t.ok(Math.abs(v[i]! - v2[i]!) < 1e-5);
  agent.dispose();
});

t.test("implicit agent: x = E * (1 + p) average-pooled, NHWC", async (t) => {
  await selectBackend("wasm");
  const agent = new ImplicitAgent(obsSpace, actSpace, { ...small, inputGrid: [8, 8] }, 1);
  const obs = batch(1);
  const x = new Float32Array(N * 8 * 8 * C);
  agent.featurize(obs, N, x);
  // p is 16x16 and the grid 8x8: bilinear halving averages 2x2 blocks exactly.
  const e = (obs["samImageEmbeddings"] as NdArray<Float32Array>).data;
  const p = (obs["samPredMaskProb"] as NdArray<Float32Array>).data;
  const i = 1,
    c = 2,
    y = 3,
    xx = 5;
  const pr =
    (p[i * 256 + 2 * y * 16 + 2 * xx]! +
      p[i * 256 + 2 * y * 16 + 2 * xx + 1]! +
      p[i * 256 + (2 * y + 1) * 16 + 2 * xx]! +
      p[i * 256 + (2 * y + 1) * 16 + 2 * xx + 1]!) /
    4;
  const expected = e[i * C * 64 + c * 64 + y * 8 + xx]! * (1 + pr);
  t.ok(
    Math.abs(x[i * 256 + (y * 8 + xx) * C + c]! - expected) < 1e-5,
    `modulated value ${x[i * 256 + (y * 8 + xx) * C + c]} vs ${expected}`,
  );
  const [logits, values] = await run(agent, obs);
  t.equal(logits.length, N * 32);
  t.equal(values.length, N);
  agent.dispose();
});

t.test("explicit agent without a provider is the implicit agent", async (t) => {
  await selectBackend("wasm");
  const a = new ImplicitAgent(obsSpace, actSpace, small, 9);
  const b = new ExplicitAgent(obsSpace, actSpace, small, 9);
  const [la, va] = await run(a, batch(2));
  const [lb, vb] = await run(b, batch(2));
  t.same(Array.from(lb), Array.from(la));
  t.same(Array.from(vb), Array.from(va));
  t.throws(() => new ExplicitAgent(obsSpace, actSpace, { ...small, priorChannels: 2 }, 1), InvalidArgumentError);
  a.dispose();
  b.dispose();
});

const provider: SemanticPriorProvider = {
  channels: 2,
  async prior(image, category) {
    const data = new Float32Array(2 * 4 * 4);
    for (let k = 0; k < 16; k++) {
      data[k] = image.get(k % 16, 3, 0) / 255;
      data[16 + k] = category === "cat" ? 1 : -1;
    }
    return { data, height: 4, width: 4 };
  },
};

t.test("explicit agent: attention is per sample (changing one sample never changes another)", async (t) => {
  await selectBackend("wasm");
  const agent = new ExplicitAgent(obsSpace, actSpace, { ...small, priorChannels: 2, attentionDim: 8 }, 3, provider);
  t.same(agent.inputShape, [4, 4, C + 2]);
  const obs = batch(4);
  const [l1, v1] = await run(agent, obs);
  const changed = batch(5);
  // Keep sample 0, replace sample 1 entirely (embedding, mask, image, category).
  for (const key of ["samImageEmbeddings", "samPredMaskProb", "image"]) {
    const src = (obs[key] as NdArray<Float32Array>).data;
    const dst = (changed[key] as NdArray<Float32Array>).data;
    dst.set(src.subarray(0, src.length / N));
  }
  changed["targetCategory"] = ["cat", "cat"];
  const [l2, v2] = await run(agent, changed);
  t.same(Array.from(l2.subarray(0, 32)), Array.from(l1.subarray(0, 32)), "sample 0 logits unchanged");
  t.equal(v2[0], v1[0], "sample 0 value unchanged");
  t.not(v2[1], v1[1], "sample 1 changed");
  agent.dispose();
});

t.test("explicit agent: the spatial head reads the prior planes; a bundled prior by name", async (t) => {
  await selectBackend("wasm");
  const agent = new ExplicitAgent(obsSpace, actSpace, { ...small, priorChannels: 2, attentionDim: 8 }, 3, provider);
  t.same(agent.params.get("actorSpatial.0.weight").shape, [3, 3, 2 + C, 32], "prior planes + image planes");
  // Only the prior maps differ (same image, embedding, mask): the logits move.
  const obs = batch(8);
  const [l1] = await run(agent, obs);
  const flipped = new ExplicitAgent(obsSpace, actSpace, { ...small, priorChannels: 2, attentionDim: 8 }, 3, {
    channels: 2,
    prior: async (image, category) => {
      const p = await provider.prior(image, category);
      return { ...p, data: p.data.map((v) => 1 - v) };
    },
  });
  const [l2] = await run(flipped, obs);
  t.notSame(Array.from(l2), Array.from(l1));
  flipped.dispose();
  agent.dispose();
  const named = new ExplicitAgent(obsSpace, actSpace, { ...small, priorProvider: "synthetic-shapes" }, 3);
  t.equal(named.config.kind, "explicit");
  t.equal(
    (named.config as { priorProvider?: string }).priorProvider,
    "synthetic-shapes",
    "the name is kept (checkpoints rebuild it)",
  );
  t.equal((named.config as { priorChannels?: number }).priorChannels, 1);
  t.same(named.inputShape, [4, 4, C + 1]);
  named.dispose();
  t.throws(
    () => new ExplicitAgent(obsSpace, actSpace, { ...small, priorProvider: "clip" as "synthetic-shapes" }, 3),
    InvalidArgumentError,
  );
});

t.test("image agents train on wasm (conv filter gradients) without leaking tensors", async (t) => {
  await selectBackend("wasm");
  const agent = new ExplicitAgent(obsSpace, actSpace, { ...small, priorChannels: 2, attentionDim: 8 }, 3, provider);
  const x = new Float32Array(N * 4 * 4 * (C + 2));
  await agent.featurize(batch(6), N, x);
  const step = (): number =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const { logits, values } = agent.forward(tf.tensor(x, [N, 4, 4, C + 2]));
        return tf.add(tf.sum(tf.square(values)), tf.sum(tf.square(logits))) as tf.Scalar;
      }, agent.params.variables());
      for (const v of agent.params.variables()) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.01)));
      t.equal(Object.keys(grads).length, agent.params.variables().length, "every parameter gets a gradient");
      return value.dataSync()[0]!;
    });
  const first = step();
  const count = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < 5; i++) last = step();
  t.ok(last < first, `loss decreases (${first.toFixed(4)} -> ${last.toFixed(4)})`);
  t.equal(tf.memory().numTensors, count);
  agent.dispose();
});

/** A 375 x 500 image's geometry as the geodesic segmenter's observation gives it. */
const GEOMETRY_375X500 = {
  imageHeight: 375,
  imageWidth: 500,
  channels: 32,
  height: 64,
  width: 64,
  maskHeight: 256,
  maskWidth: 256,
};

t.test("spatial actor head: each click patch reads the grid cell under its centre (SAM frame)", async (t) => {
  const m = cellToPatchMatrix(GEOMETRY_375X500, [16, 16], new ActionGrid([375, 500], { numPatches: 32 }));
  const cellOf = (wi: number, hi: number): number => {
    const p = wi * 32 + hi;
    for (let c = 0; c < 256; c++) if (m[c * 1024 + p] === 1) return c;
    return -1;
  };
  t.equal(cellOf(0, 0), 0, "centre (7, 5) -> cell (0, 0)");
  t.equal(cellOf(31, 31), 11 * 16 + 15, "centre (492, 369) -> row 11 (the image fills 12 of 16 rows), col 15");
  t.equal(cellOf(15, 0), 7, "centre (242, 5) -> col floor(242 / 500 * 16) = 7");
  let ones = 0;
  for (const v of m) ones += v;
  t.equal(ones, 1024, "exactly one cell per patch");
});

t.test("spatial actor head, patchLogits bilinear: patch centres interpolate the cell centres", async (t) => {
  const clicks = new ActionGrid([375, 500], { numPatches: 32 });
  const m = cellToPatchMatrix(GEOMETRY_375X500, [16, 16], clicks, "bilinear");
  const weights = (wi: number, hi: number): Map<number, number> => {
    const out = new Map<number, number>();
    for (let c = 0; c < 256; c++) if (m[c * 1024 + wi * 32 + hi] !== 0) out.set(c, m[c * 1024 + wi * 32 + hi]!);
    return out;
  };
  for (let p = 0; p < 1024; p++) {
    let sum = 0;
    for (let c = 0; c < 256; c++) sum += m[c * 1024 + p]!;
    if (Math.abs(sum - 1) > 1e-6) t.fail(`patch ${p}: weights sum to ${sum}`);
  }
  // Patch (0, 0): centre x = 7.8125 px -> grid u = 7.8125 / 500 * 16 - 0.5 = -0.25: clamped to cell 0.
  t.same([...weights(0, 0)], [[0, 1]], "the top-left corner clamps to cell (0, 0)");
  // Patch (16, 0): the env's centre x = 257 px -> u = 257 / 500 * 16 - 0.5 = 7.724: cells 7 and 8, y clamped.
  t.equal(clicks.xCentres[16], 257);
  const w = weights(16, 0);
  t.same([...w.keys()], [7, 8]);
  t.ok(Math.abs(w.get(7)! - 0.276) < 1e-6 && Math.abs(w.get(8)! - 0.724) < 1e-6, "0.276 / 0.724 between cells 7 and 8");
  const space = new Dict({
    image: new Box({ low: 0, high: 255, shape: [375, 500, 3], dtype: "uint8" }),
    samImageEmbeddings: new Box({ low: -Infinity, high: Infinity, shape: [4, 16, 16], dtype: "float32" }),
    samPredMaskProb: new Box({ low: 0, high: 1, shape: [16, 16], dtype: "float32" }),
  });
  await selectBackend("wasm");
  const agentConfig = { inputGrid: [16, 16] as [number, number], convs: [], hidden: 4 };
  t.throws(
    () =>
      new ImplicitAgent(space, new Discrete(2048), { ...agentConfig, actorHead: "dense", patchLogits: "bilinear" }, 1),
    /patchLogits "bilinear" needs the spatial actor head, got actorHead "dense"/,
  );
  const bilinear = new ImplicitAgent(space, new Discrete(2048), { ...agentConfig, patchLogits: "bilinear" }, 1);
  t.equal(bilinear.config.patchLogits, "bilinear", "kept in the config (and so in checkpoints)");
  bilinear.dispose();
  const cell = new ImplicitAgent(space, new Discrete(2048), agentConfig, 1);
  t.notOk("patchLogits" in cell.config, "absent when not given: older configs stay as they were");
  cell.dispose();
  // A linear ramp over the cells (value = gx) comes out as the patch centre's grid x, clamped.
  for (const wi of [3, 10, 20, 31]) {
    let v = 0;
    for (let c = 0; c < 256; c++) v += (c % 16) * m[c * 1024 + wi * 32 + 5]!;
    const u = Math.min(Math.max((clicks.xCentres[wi]! * 16) / 500 - 0.5, 0), 15);
    t.ok(Math.abs(v - u) < 1e-5, `ramp at patch column ${wi}: ${v} = ${u}`);
  }
});

t.test("spatial head: logits follow the x-major action order (2 * patch + label)", async (t) => {
  await selectBackend("wasm");
  const agent = new ImplicitAgent(obsSpace, actSpace, { ...small, inputGrid: [4, 4], actorHead: "spatial" }, 2);
  const dense = new ImplicitAgent(obsSpace, actSpace, { ...small, inputGrid: [4, 4], actorHead: "dense" }, 2);
  const [l] = await run(agent, batch(8));
  const [ld] = await run(dense, batch(8));
  t.equal(l.length, N * 32);
  t.equal(ld.length, N * 32);
  t.ok(Number.isFinite(l[0]!) && l.some((v) => v !== l[0]), "per-patch logits differ");
  agent.dispose();
  dense.dispose();
});

t.test("category planes: one-hot target category per sample, vocabulary grows and is kept in the config", async (t) => {
  await selectBackend("wasm");
  const agent = new ImplicitAgent(obsSpace, actSpace, { ...small, categorySlots: 3, categories: ["dog"] }, 1);
  t.same(agent.inputShape, [4, 4, C + 3]);
  const x = new Float32Array(N * 16 * (C + 3));
  agent.featurize(batch(1), N, x); // categories ["cat", "dog"]
  const plane = (i: number, cell: number, k: number): number => x[i * 16 * (C + 3) + cell * (C + 3) + C + k]!;
  t.same([plane(0, 5, 0), plane(0, 5, 1), plane(0, 5, 2)], [0, 1, 0], "sample 0: cat is new -> plane 1");
  t.same([plane(1, 9, 0), plane(1, 9, 1), plane(1, 9, 2)], [1, 0, 0], "sample 1: dog -> plane 0");
  t.same((agent.config as { categories: string[] }).categories, ["dog", "cat"]);
  agent.dispose();
});

t.test("categoryReadout: the spatial head reads the target category's own readout channels", async (t) => {
  await selectBackend("wasm");
  const agent = new ImplicitAgent(
    obsSpace,
    actSpace,
    {
      ...small,
      actorHead: "spatial",
      categorySlots: 3,
      categories: ["cat", "dog"],
      categoryReadout: true,
      spatialFilters: 4,
    },
    5,
  );
  t.same(agent.params.get("actorSpatial.2.weight").shape, [1, 1, 4, 6], "2 labels x 3 category planes");
  // Zero the readout of plane 1 ("dog"): label l of plane k is channel l * 3 + k.
  const w = agent.params.get("actorSpatial.2.weight");
  const wd = w.dataSync().slice();
  for (let f = 0; f < 4; f++) for (const ch of [1, 4]) wd[f * 6 + ch] = 0;
  w.assign(tf.tensor4d(wd, [1, 1, 4, 6]));
  const [logits] = await run(agent, batch(3)); // sample 0: cat (plane 0), sample 1: dog (plane 1)
  t.ok(
    logits.subarray(32).every((v) => v === 0),
    "the dog sample's logits come from the zeroed readout only",
  );
  t.ok(
    logits.subarray(0, 32).some((v) => v !== 0),
    "the cat sample's do not",
  );
  t.throws(
    () => new ImplicitAgent(obsSpace, actSpace, { ...small, categorySlots: 0, categoryReadout: true }, 1),
    /categoryReadout needs category planes/,
  );
  agent.dispose();
});
