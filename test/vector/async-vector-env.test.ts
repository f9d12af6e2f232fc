import t from "tap";
import type { NdArray } from "ndarray";
import { ClosedEnvError, ResetNeededError, Rng } from "../../src/core";
import { make } from "../../src/registry";
import { AutoresetMode, AsyncVectorEnv, SyncVectorEnv } from "../../src/vector";
import { GOLDEN_SCRIPTS, TOY_ENVS_MODULE } from "./fixtures/toy-envs";
import { plain } from "./fixtures/golden";

function golden(mode: AutoresetMode, opts: { copy?: boolean; concurrency?: number } = {}): AsyncVectorEnv {
  return new AsyncVectorEnv(
    GOLDEN_SCRIPTS.map((o) => ({ module: TOY_ENVS_MODULE, exportName: "CounterEnv", args: [o] })),
    { autoresetMode: mode, timeoutMs: 20000, execArgv: [], ...opts },
  );
}

t.test("Sync and Async with the same seed: identical CartPole trajectories for 1000 steps", async (t) => {
  const n = 4;
  const sync = new SyncVectorEnv(Array.from({ length: n }, () => () => make("CartPole-v1")));
  const async = new AsyncVectorEnv(
    Array.from({ length: n }, () => ({ id: "CartPole-v1" })),
    { execArgv: [], concurrency: 2 },
  );
  const rng = new Rng(7);
  const [s0, si] = await sync.reset({ seed: 42 });
  const [a0, ai] = await async.reset({ seed: 42 });
  t.strictSame(plain(a0), plain(s0));
  t.strictSame(plain(ai), plain(si));
  let mismatches = 0;
  let episodesEnded = 0;
  for (let k = 0; k < 1000; k++) {
    const actions = Int32Array.from({ length: n }, () => rng.integers(2));
    const s = await sync.step(actions);
    const a = await async.step(actions);
    if (JSON.stringify(plain(a)) !== JSON.stringify(plain(s))) mismatches++;
    episodesEnded += s[2].filter(Boolean).length + s[3].filter(Boolean).length;
  }
  t.equal(mismatches, 0, "every step equal (obs, rewards, flags, infos)");
  t.ok(episodesEnded > 20, `autoresets exercised (${episodesEnded} episode ends)`);
  t.ok(async.observationSpace.equals(sync.observationSpace) && async.actionSpace.equals(sync.actionSpace));
  t.strictSame(async.metadata, sync.metadata);
  await sync.close();
  await async.close();
});

t.test("copy: false hands out views of the shared buffers; copy: true fresh arrays", async (t) => {
  const spec = GOLDEN_SCRIPTS.map((o) => ({ module: TOY_ENVS_MODULE, exportName: "CounterEnv", args: [o] }));
  const view = new AsyncVectorEnv(spec, { execArgv: [], concurrency: 1, copy: false });
  const [v1] = (await view.reset()) as [NdArray<Float32Array>, unknown];
  t.ok(v1.data.buffer instanceof SharedArrayBuffer, "backed by shared memory");
  const [v2] = (await view.step(Int32Array.of(0, 0))) as [NdArray<Float32Array>, ...unknown[]];
  t.equal(v1.data, v2.data);
  t.strictSame(
    plain(v1),
    [
      [0, 0, 1],
      [1, 0, 1],
    ],
    "the view shows the latest step",
  );
  await view.close();
  const copied = new AsyncVectorEnv(spec, { execArgv: [], concurrency: 1 });
  const [c1] = (await copied.reset()) as [NdArray<Float32Array>, unknown];
  await copied.step(Int32Array.of(0, 0));
  t.notOk(c1.data.buffer instanceof SharedArrayBuffer);
  t.strictSame(
    plain(c1),
    [
      [0, 0, 0],
      [1, 0, 0],
    ],
    "an earlier copy is not overwritten",
  );
  await copied.close();
});

t.test("call, getAttr, setAttr, render, seeds and closing", async (t) => {
  const envs = golden(AutoresetMode.NEXT_STEP, { concurrency: 2 });
  t.strictSame(await envs.call("echo", "a", { b: [1] }), [
    [0, "a", { b: [1] }],
    [1, "a", { b: [1] }],
  ]);
  t.strictSame(await envs.getAttr("id"), [0, 1]);
  await envs.setAttr("t", [5, 6]);
  t.strictSame(await envs.getAttr("t"), [5, 6]);
  await envs.setAttr("t", 9);
  t.strictSame(await envs.getAttr("t"), [9, 9]);
  t.strictSame(await envs.render(), [null, null]);
  await envs.reset({ seed: 11 });
  t.strictSame(await envs.getAttr("rngSeed"), [11, 12]);
  await t.rejects(envs.reset({ options: { fn: () => 1 } }), {
    name: "InvalidArgumentError",
    message: /reset: a value cannot be sent to a worker/,
  });
  await t.rejects(
    envs.setAttr("t", () => 1),
    /setAttr\("t"\): a value cannot be sent/,
  );
  t.strictSame(await envs.getAttr("t"), [0, 0], "still usable after a refused value");
  await t.rejects(envs.call("nope"), { name: "WorkerError", message: /env 0 failed in call\("nope"\)/ });
  t.equal(envs.runningWorkers, 0, "a failed call closes the vector env");
  await envs.close();
  await t.rejects(envs.getAttr("id"), ClosedEnvError);

  const again = golden(AutoresetMode.NEXT_STEP, { concurrency: 1 });
  await t.rejects(again.step(Int32Array.of(0, 0)), ResetNeededError);
  const pending = again.reset();
  await t.rejects(again.reset(), /still pending/);
  await pending;
  await again.close();
  await again.close();
  t.equal(again.runningWorkers, 0);
  await t.rejects(again.reset(), ClosedEnvError);
});
