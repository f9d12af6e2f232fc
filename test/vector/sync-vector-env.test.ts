import t from "tap";
import { ClosedEnvError, InvalidArgumentError, ResetNeededError, SeedError } from "../../src/core";
import { Box, MultiDiscrete } from "../../src/spaces";
import { AutoresetMode, SyncVectorEnv } from "../../src/vector";
import { CounterEnv, GOLDEN_SCRIPTS } from "./fixtures/toy-envs";
import {
  DISABLED_CALLS,
  DISABLED_TABLE,
  NEXT_STEP_TABLE,
  SAME_STEP_TABLE,
  STEP_CALLS,
  plain,
  runCalls,
} from "./fixtures/golden";

function golden(mode: AutoresetMode, copy = true): SyncVectorEnv {
  return new SyncVectorEnv(
    GOLDEN_SCRIPTS.map((o) => () => new CounterEnv(o)),
    { autoresetMode: mode, copy },
  );
}

t.test("golden tables", async (t) => {
  for (const copy of [true, false]) {
    t.strictSame(
      await runCalls(golden(AutoresetMode.NEXT_STEP, copy), STEP_CALLS),
      NEXT_STEP_TABLE,
      `NEXT_STEP copy=${copy}`,
    );
    t.strictSame(
      await runCalls(golden(AutoresetMode.SAME_STEP, copy), STEP_CALLS),
      SAME_STEP_TABLE,
      `SAME_STEP copy=${copy}`,
    );
    t.strictSame(
      await runCalls(golden(AutoresetMode.DISABLED, copy), DISABLED_CALLS),
      DISABLED_TABLE,
      `DISABLED copy=${copy}`,
    );
  }
});

t.test("NEXT_STEP ignores the action of the reset step", async (t) => {
  const envs = golden(AutoresetMode.NEXT_STEP);
  await runCalls(envs, STEP_CALLS);
  const [a0, a1] = envs.envs as CounterEnv[];
  // env 0 stepped at vector steps 1,2,3,5,6,8 (reset at 4 and 7); env 1 at 1,2,4,5,6,7 (reset at 3 and 8).
  t.strictSame(a0!.actions, [0, 1, 0, 0, 1, 1]);
  t.strictSame(a1!.actions, [1, 0, 0, 1, 0, 1]);
});

t.test("spaces, metadata and string form", async (t) => {
  const envs = golden(AutoresetMode.SAME_STEP);
  t.equal(envs.numEnvs, 2);
  t.ok(envs.observationSpace instanceof Box);
  t.strictSame(envs.observationSpace.shape, [2, 3]);
  t.ok(envs.actionSpace instanceof MultiDiscrete);
  t.equal(envs.metadata.autoresetMode, AutoresetMode.SAME_STEP);
  t.equal(envs.toString(), "SyncVectorEnv(numEnvs=2)");
  t.equal(golden(AutoresetMode.NEXT_STEP).metadata.autoresetMode, "NextStep");
});

t.test("copy: true returns fresh arrays, copy: false the shared buffer", async (t) => {
  const copied = golden(AutoresetMode.NEXT_STEP, true);
  const [o1] = await copied.reset();
  const [o2] = await copied.step(Int32Array.of(0, 0));
  t.not((o1 as { data: unknown }).data, (o2 as { data: unknown }).data);
  t.strictSame(
    plain(o1),
    [
      [0, 0, 0],
      [1, 0, 0],
    ],
    "an earlier copy is not overwritten",
  );
  const view = golden(AutoresetMode.NEXT_STEP, false);
  const [v1] = await view.reset();
  const [v2] = await view.step(Int32Array.of(0, 0));
  t.equal((v1 as { data: unknown }).data, (v2 as { data: unknown }).data);
  t.strictSame(
    plain(v1),
    [
      [0, 0, 1],
      [1, 0, 1],
    ],
    "the view shows the latest step",
  );
});

t.test("seeds: s -> s + i, arrays per env, bad seeds rejected", async (t) => {
  const envs = golden(AutoresetMode.NEXT_STEP);
  await envs.reset({ seed: 7 });
  t.strictSame(await envs.getAttr("rngSeed"), [7, 8]);
  await envs.reset({ seed: [3, null] });
  t.strictSame(await envs.getAttr("rngSeed"), [3, 8], "null keeps the env's stream");
  await t.rejects(envs.reset({ seed: -1 }), SeedError);
  await t.rejects(envs.reset({ seed: [1] }), InvalidArgumentError);
  await t.rejects(envs.reset({ seed: [1, 2.5] }), SeedError);
});

t.test("resetMask validation", async (t) => {
  const envs = golden(AutoresetMode.DISABLED);
  await t.rejects(envs.reset({ options: { resetMask: [true] } }), InvalidArgumentError);
  await t.rejects(envs.reset({ options: { resetMask: [false, false] } }), /at least one true/);
  await t.rejects(
    envs.reset({ options: { resetMask: [true, false] } }),
    ResetNeededError,
    "partial reset before any full reset",
  );
  await t.rejects(envs.reset({ options: { resetMask: [1, 0] as unknown as boolean[] } }), /booleans/);
  await envs.reset();
  const [obs] = await envs.reset({ options: { resetMask: [false, true] } });
  t.strictSame(plain(obs), [
    [0, 0, 0],
    [1, 1, 0],
  ]);
});

t.test("errors: step before reset, wrong action count, closed env", async (t) => {
  const envs = golden(AutoresetMode.NEXT_STEP);
  await t.rejects(envs.step(Int32Array.of(0, 0)), ResetNeededError);
  await envs.reset();
  await t.rejects(envs.step(Int32Array.of(0, 0, 1)), /expected 2 actions/);
  await envs.close();
  await envs.close();
  t.ok((envs.envs as CounterEnv[]).every((e) => e.closed));
  await t.rejects(envs.step(Int32Array.of(0, 0)), ClosedEnvError);
  await t.rejects(envs.reset(), ClosedEnvError);
  await t.rejects(envs.getAttr("t"), ClosedEnvError);
  t.throws(() => new SyncVectorEnv([]), InvalidArgumentError);
  t.throws(() => new SyncVectorEnv([() => new CounterEnv(GOLDEN_SCRIPTS[0]!), () => ({}) as never]), /envFns\[1\]/);
});

t.test("call, getAttr, setAttr", async (t) => {
  const envs = golden(AutoresetMode.NEXT_STEP);
  t.strictSame(await envs.call("echo", "a", 2), [
    [0, "a", 2],
    [1, "a", 2],
  ]);
  t.strictSame(await envs.getAttr("id"), [0, 1]);
  t.strictSame(await envs.call("id"), [0, 1], "call on a non-function returns the value");
  await envs.setAttr("t", [5, 6]);
  t.strictSame(await envs.getAttr("t"), [5, 6]);
  await envs.setAttr("t", 9);
  t.strictSame(await envs.getAttr("t"), [9, 9]);
  await t.rejects(envs.setAttr("t", [1, 2, 3]), InvalidArgumentError);
  t.strictSame(await envs.render(), [null, null]);
});
