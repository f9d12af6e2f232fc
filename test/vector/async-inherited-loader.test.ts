// Workers inherit this process's execArgv by default: under tap that is the ts-node loader, so
// the worker entry and the env module load from TypeScript sources without any option.
import t from "tap";
import { AsyncVectorEnv } from "../../src/vector";
import { GOLDEN_SCRIPTS, TOY_ENVS_MODULE } from "./fixtures/toy-envs";
import { plain } from "./fixtures/golden";

t.test("a worker started with the inherited execArgv runs a TypeScript env", async (t) => {
  const envs = new AsyncVectorEnv([{ module: TOY_ENVS_MODULE, exportName: "CounterEnv", args: [GOLDEN_SCRIPTS[1]] }], {
    startTimeoutMs: 60000,
  });
  const [obs] = await envs.reset({ seed: 0 });
  t.strictSame(plain(obs), [[1, 0, 0]]);
  const [next, rewards, terminated, truncated] = await envs.step(Int32Array.of(1));
  t.strictSame(plain(next), [[1, 0, 1]]);
  t.strictSame([Array.from(rewards), terminated, truncated], [[1], [false], [false]]);
  await envs.close();
  t.equal(envs.runningWorkers, 0);
});
