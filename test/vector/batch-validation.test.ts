// Issue 14, items 2 and 3: a batch with one bad action is refused as a whole, before any sub-env
// steps, with the same InvalidActionError in SyncVectorEnv and AsyncVectorEnv (checked in the
// main thread: 2^32 no longer wraps to 0 in the shared int32 buffer), and both stay usable.
import t from "tap";
import { InvalidActionError } from "../../src/core";
import { AsyncVectorEnv, SyncVectorEnv } from "../../src/vector";
import type { VectorEnvSpec } from "../../src/vector";
import { make } from "../../src/registry";
import { CounterEnv, GOLDEN_SCRIPTS, TOY_ENVS_MODULE } from "./fixtures/toy-envs";

const BAD: unknown[][] = [
  [0, -1],
  [0, 2 ** 32],
  [0, 2],
  [0, 1.5],
  [0, NaN],
  [0, "1"],
  [0, null],
  [1, 2 ** 32 + 1],
];

t.test("item 2: SyncVectorEnv.step([0, -1]) steps no env, keeps its results, stays usable", async (t) => {
  const envs = new SyncVectorEnv([0, 1].map((i) => () => new CounterEnv(GOLDEN_SCRIPTS[i]!)));
  await envs.reset({ seed: 0 });
  for (const bad of BAD) {
    await t.rejects(envs.step(bad as never), InvalidActionError, `actions ${String(bad)}`);
  }
  await t.rejects(envs.step([0, -1] as never), /action -1 of env 1 is not in Discrete\(2\); no env was stepped/);
  t.same((envs.envs[0] as CounterEnv).actions, [], "env 0 was never stepped");
  t.same((envs.envs[1] as CounterEnv).actions, []);
  const [, rewards] = await envs.step(Int32Array.of(1, 0));
  t.equal(rewards.length, 2);
  t.same((envs.envs[0] as CounterEnv).actions, [1]);
  await envs.close();
});

t.test("item 2: the same through make()'s CartPole stack: the first step after a refusal is step 1", async (t) => {
  const envs = new SyncVectorEnv([0, 1].map(() => () => make("CartPole-v1")));
  const ref = new SyncVectorEnv([0, 1].map(() => () => make("CartPole-v1")));
  await envs.reset({ seed: 3 });
  await ref.reset({ seed: 3 });
  await t.rejects(envs.step([0, -1] as never), InvalidActionError);
  const [a] = await envs.step([0, 1] as never);
  const [b] = await ref.step([0, 1] as never);
  t.same(Array.from((a as { data: Float32Array }).data), Array.from((b as { data: Float32Array }).data));
  await envs.close();
  await ref.close();
});

t.test("item 3: AsyncVectorEnv refuses the same batches in the main thread and stays open", async (t) => {
  const spec = (i: number): VectorEnvSpec => ({
    module: TOY_ENVS_MODULE,
    exportName: "CounterEnv",
    args: [GOLDEN_SCRIPTS[i]],
  });
  const envs = new AsyncVectorEnv([spec(0), spec(1)], { execArgv: [] });
  await envs.reset({ seed: 0 });
  for (const bad of BAD) {
    await t.rejects(envs.step(bad as never), InvalidActionError, `actions ${String(bad)}`);
  }
  await t.rejects(envs.step([0, 2 ** 32] as never), /action 4294967296 of env 1 is not in Discrete\(2\)/);
  t.same(await envs.getAttr("actions"), [[], []], "no worker saw an action");
  await envs.step(Int32Array.of(1, 1));
  t.same(await envs.getAttr("actions"), [[1], [1]]);
  t.equal(envs.runningWorkers, 2);
  await envs.close();
});
