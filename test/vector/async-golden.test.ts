import t from "tap";
import { AutoresetMode, AsyncVectorEnv } from "../../src/vector";
import { GOLDEN_SCRIPTS, TOY_ENVS_MODULE } from "./fixtures/toy-envs";
import {
  DISABLED_CALLS,
  DISABLED_TABLE,
  NEXT_STEP_TABLE,
  SAME_STEP_TABLE,
  STEP_CALLS,
  runCalls,
} from "./fixtures/golden";

// The golden tables of golden.ts, which SyncVectorEnv passes too (sync-vector-env.test.ts).
function golden(
  mode: AutoresetMode,
  opts: { copy?: boolean; concurrency?: number; blockingWaitMs?: number; workerSpinMicros?: number } = {},
): AsyncVectorEnv {
  return new AsyncVectorEnv(
    GOLDEN_SCRIPTS.map((o) => ({ module: TOY_ENVS_MODULE, exportName: "CounterEnv", args: [o] })),
    { autoresetMode: mode, timeoutMs: 20000, execArgv: [], ...opts },
  );
}

t.test("golden tables, one worker per env and one worker for both", async (t) => {
  for (const opts of [
    { copy: true },
    { copy: false, concurrency: 1 },
    { copy: true, blockingWaitMs: 100 },
    { copy: false, blockingWaitMs: 0, workerSpinMicros: 0 },
  ]) {
    const tag = JSON.stringify(opts);
    for (const [mode, calls, table] of [
      [AutoresetMode.NEXT_STEP, STEP_CALLS, NEXT_STEP_TABLE],
      [AutoresetMode.SAME_STEP, STEP_CALLS, SAME_STEP_TABLE],
      [AutoresetMode.DISABLED, DISABLED_CALLS, DISABLED_TABLE],
    ] as const) {
      const envs = golden(mode, opts);
      t.strictSame(await runCalls(envs, [...calls]), table, `${mode} ${tag}`);
      await envs.close();
    }
  }
});
