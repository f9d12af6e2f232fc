import t from "tap";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTraining } from "../../src/cli/training-session";
import {
  runEvaluation,
  formatTable,
  makeEvalPolicy,
  evalEnvKwargs,
  HELD_OUT_SYNTHETIC,
} from "../../src/cli/evaluation";
import { createAgent, selectBackend } from "../../src/ppo";
import { make } from "../../src/registry";
import { Rng } from "../../src/core/rng";
import { registerTinySamSeg, TINY_ID } from "./helpers/tiny-sam-seg";

t.test("eval: greedy, sampled, random and oracle on the same held-out episodes", async (t) => {
  registerTinySamSeg();
  const dir = mkdtempSync(join(tmpdir(), "asg-eval-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await runTraining(
    {
      envId: TINY_ID,
      envKwargs: {},
      outDir: dir,
      resume: null,
      backend: "wasm",
      vectorMode: "sync",
      checkpointEvery: 1,
      plotEvery: 1,
      progress: false,
      agent: { kind: "implicit", inputGrid: [8, 8], convs: [{ filters: 8, kernel: 3, stride: 2 }], hidden: 32 },
      hyperparameters: { numEnvs: 2, numSteps: 6, totalTimesteps: 12, numMinibatches: 2, updateEpochs: 1 },
    },
    () => {},
  );
  const lines: string[] = [];
  const results = await runEvaluation(
    {
      checkpoint: join(dir, "checkpoint.bin"),
      episodes: 3,
      maxClicks: 4,
      seed: 1000,
      envKwargs: {},
      policies: ["greedy", "sampled", "random", "oracle"],
      outDir: join(dir, "eval"),
      overlays: 1,
      backend: "wasm",
    },
    (l) => lines.push(l),
  );
  t.same(
    results.map((r) => r.policy),
    ["greedy", "sampled", "random", "oracle"],
  );
  for (const r of results) {
    t.equal(r.iouPerClick.length, 4, `${r.policy}: IoU after each of the 4 clicks`);
    t.ok(r.finalIou >= 0 && r.finalIou <= 1, `${r.policy}: final IoU in [0, 1]`);
    t.ok(r.noc85 >= 1 && r.noc85 <= 4 && r.noc90 >= r.noc85, `${r.policy}: NoC within the budget`);
    t.ok(existsSync(join(dir, "eval", `${r.policy}-episode0.png`)), `${r.policy}: overlay PNG`);
  }
  const oracle = results.find((r) => r.policy === "oracle")!;
  const random = results.find((r) => r.policy === "random")!;
  t.ok(
    oracle.finalIou > random.finalIou,
    `the click simulator beats random clicks (${oracle.finalIou.toFixed(3)} vs ${random.finalIou.toFixed(3)})`,
  );
  const saved = JSON.parse(readFileSync(join(dir, "eval", "eval.json"), "utf8")) as { results: unknown[] };
  t.equal(saved.results.length, 4);
  t.match(lines.join("\n"), /NoC@90/);
  t.match(formatTable(results, 4), /oracle/);
});

t.test("eval policies apply the agent's no-repeat mask per episode, as training does", async (t) => {
  registerTinySamSeg();
  await selectBackend("wasm");
  const env = make<unknown, number>(TINY_ID, { maxSteps: 6 });
  const agent = createAgent(
    {
      kind: "implicit",
      inputGrid: [8, 8],
      convs: [{ filters: 4, kernel: 3, stride: 2 }],
      hidden: 8,
      noRepeat: "patch",
    },
    env.observationSpace,
    env.actionSpace,
    1,
  );
  for (const name of ["greedy", "sampled"] as const) {
    const policy = makeEvalPolicy(name, agent, env, new Rng(3));
    const episodes: number[][] = [];
    for (let ep = 0; ep < 2; ep++) {
      let [obs] = await env.reset({ seed: 7 });
      policy.reset();
      const actions: number[] = [];
      for (let k = 0; k < 6; k++) {
        const a = await policy.act(obs);
        actions.push(a);
        [obs] = await env.step(a);
      }
      episodes.push(actions);
    }
    for (const actions of episodes)
      t.equal(
        new Set(actions.map((a) => a >> 1)).size,
        6,
        `${name}: six different patches in an episode (${actions.join(", ")})`,
      );
    if (name === "greedy")
      t.same(episodes[1], episodes[0], "greedy: reset() clears the memory (same episode, same clicks)");
  }
  agent.dispose();
  await env.close();
});

t.test("eval env options: SamSegEnv-v0 trained on synthetic images is scored on a held-out set", async (t) => {
  t.same(
    evalEnvKwargs("SamSegEnv-v0", {}, {}).kwargs,
    { syntheticDataset: { ...HELD_OUT_SYNTHETIC, seed: 1 } },
    "default training set (seed 0) -> seed 1, val",
  );
  const custom = evalEnvKwargs("SamSegEnv-v0", { syntheticDataset: { images: 1000, seed: 4 }, maxSteps: 7 }, {});
  t.same(
    custom.kwargs,
    { maxSteps: 7, syntheticDataset: { images: 100, seed: 5, split: "val" } },
    "a custom training set -> its next seed, 100 val images",
  );
  t.same(custom.heldOut, { images: 100, seed: 5, split: "val" });
  const explicit = { syntheticDataset: { seed: 9, images: 10 } };
  t.same(
    evalEnvKwargs("SamSegEnv-v0", { syntheticDataset: { seed: 4 } }, explicit),
    { kwargs: explicit, heldOut: null },
    "eval options win",
  );
  t.equal(
    evalEnvKwargs("SamSegEnv-v0", { dataset: "x" }, {}).heldOut,
    null,
    "a user dataset: no synthetic held-out set",
  );
  t.same(
    evalEnvKwargs("CartPole-v1", { a: 1 }, { b: 2 }),
    { kwargs: { a: 1, b: 2 }, heldOut: null },
    "other envs: merged options",
  );
});

t.test(
  "eval of an explicit agent with the bundled prior: the checkpoint rebuilds it, and prior-peak runs",
  async (t) => {
    registerTinySamSeg();
    const dir = mkdtempSync(join(tmpdir(), "asg-eval-"));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    // The tiny env's only category is "box", a synthetic shape; 96x128 images fit the prior.
    await runTraining(
      {
        envId: TINY_ID,
        envKwargs: { imgShape: [96, 128, 3] },
        outDir: dir,
        resume: null,
        backend: "wasm",
        vectorMode: "sync",
        checkpointEvery: 1,
        plotEvery: 1,
        progress: false,
        agent: {
          kind: "explicit",
          priorProvider: "synthetic-shapes",
          inputGrid: [8, 8],
          convs: [{ filters: 8, kernel: 3, stride: 2 }],
          hidden: 32,
          attentionDim: 8,
        },
        hyperparameters: { numEnvs: 2, numSteps: 6, totalTimesteps: 12, numMinibatches: 2, updateEpochs: 1 },
      },
      () => {},
    );
    const results = await runEvaluation(
      {
        checkpoint: join(dir, "checkpoint.bin"),
        episodes: 2,
        maxClicks: 3,
        seed: 1000,
        envKwargs: {},
        outDir: join(dir, "eval"),
        overlays: 0,
        backend: "wasm",
      },
      () => {},
    );
    t.same(
      results.map((r) => r.policy),
      ["greedy", "sampled", "random", "oracle", "prior-peak"],
      "prior-peak joins the default policies",
    );
    const peak = results.find((r) => r.policy === "prior-peak")!;
    t.ok(peak.finalIou >= 0 && peak.finalIou <= 1);

    // prior-peak clicks the highest unclicked prior cell, positive, never the same action twice.
    await selectBackend("wasm");
    const env = make<unknown, number>(TINY_ID, { imgShape: [96, 128, 3] });
    const agent = createAgent(
      {
        kind: "explicit",
        priorProvider: "synthetic-shapes",
        inputGrid: [8, 8],
        convs: [{ filters: 8, kernel: 3, stride: 2 }],
        hidden: 32,
        attentionDim: 8,
      },
      env.observationSpace,
      env.actionSpace,
      1,
    );
    const policy = makeEvalPolicy("prior-peak", agent, env, new Rng(1));
    const [obs] = await env.reset({ seed: 3 });
    policy.reset();
    const actions = [await policy.act(obs), await policy.act(obs), await policy.act(obs)];
    t.equal(new Set(actions).size, 3, `three distinct clicks ${actions.join(", ")}`);
    t.ok(
      actions.every((a) => a % 2 === 1 || a % 2 === 0),
      "actions are in range",
    );
    const o = obs as { image: import("ndarray").NdArray<Uint8Array>; targetCategory: string };
    const { data, width, height } = await (
      agent as unknown as {
        priorProvider: {
          prior: (i: unknown, c: string) => Promise<{ data: Float32Array; width: number; height: number }>;
        };
      }
    ).priorProvider.prior(o.image, o.targetCategory);
    let best = 0;
    for (let i = 1; i < data.length; i++) if ((data[i] as number) > (data[best] as number)) best = i;
    const u = env.unwrapped as unknown as { actionFor(p: { x: number; y: number }, positive: boolean): number };
    const x = Math.floor((((best % width) + 0.5) * 128) / width),
      y = Math.floor(((Math.floor(best / width) + 0.5) * 96) / height);
    t.equal(actions[0], u.actionFor({ x, y }, true), "the first click is a positive click on the prior's peak cell");
    const implicit = createAgent(
      { kind: "implicit", inputGrid: [8, 8], convs: [{ filters: 8, kernel: 3, stride: 2 }], hidden: 32 },
      env.observationSpace,
      env.actionSpace,
      1,
    );
    t.throws(() => makeEvalPolicy("prior-peak", implicit, env, new Rng(1)), /needs an explicit agent/);
    implicit.dispose();
    agent.dispose();
    await env.close();
  },
);
