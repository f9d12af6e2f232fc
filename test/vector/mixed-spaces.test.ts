// Spaces that do not live in shared memory (a Text leaf in a Dict observation, a Tuple action)
// travel by message in AsyncVectorEnv and give the same results as SyncVectorEnv.
import t from "tap";
import ndarray from "ndarray";
import { AsyncVectorEnv, SyncVectorEnv } from "../../src/vector";
import type { VectorEnv } from "../../src/vector";
import { MixedEnv, TOY_ENVS_MODULE } from "./fixtures/toy-envs";
import { plain } from "./fixtures/golden";

t.test("Dict obs with a Text leaf and Tuple actions: Sync and Async agree", async (t) => {
  const sync = new SyncVectorEnv([() => new MixedEnv(), () => new MixedEnv()]);
  const async = new AsyncVectorEnv(
    [
      { module: TOY_ENVS_MODULE, exportName: "MixedEnv" },
      { module: TOY_ENVS_MODULE, exportName: "MixedEnv" },
    ],
    { execArgv: [] },
  );
  const runs: unknown[][] = [];
  for (const envs of [sync, async] as VectorEnv[]) {
    const rows: unknown[] = [plain(await envs.reset({ seed: 0 }))];
    for (let k = 0; k < 3; k++) {
      // A batched Tuple action is a Tuple of batches: env 0 gets (k % 3, 1), env 1 gets (2, 0).
      const actions = [ndarray(Int32Array.of(k % 3, 2), [2]), ndarray(Int32Array.of(1, 0), [2])];
      rows.push(plain(await envs.step(actions as never)));
    }
    runs.push(rows);
    await envs.close();
  }
  t.strictSame(runs[1], runs[0]);
  t.strictSame(runs[0]![0], [
    {
      label: ["s0", "s0"],
      pos: [
        [0, 0],
        [0, 0],
      ],
    },
    { nested: { start: [true, true], _start: [true, true] }, _nested: [true, true] },
  ]);
  t.strictSame(runs[0]![3], [
    {
      label: ["s3", "s3"],
      pos: [
        [3, 3],
        [3, 2],
      ],
    },
    [2, 2],
    [false, false],
    [false, false],
    {},
  ]);
});
