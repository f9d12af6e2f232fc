// Vector-env benchmarks (issue 3). Four figures, medians over repeated batches:
// 1. SyncVectorEnv of 8 CartPole-v1: overhead per env-step over stepping the same 8 envs by hand
//    (target <= 2 us; Python Gymnasium 9.44 us per env-step in total).
// 2. AsyncVectorEnv of 2 CartPole-v1 (2 workers): time per vector step (target <= 50 us;
//    Gymnasium 171 us).
// 3. A CPU-bound env (~2 ms of work per step): steps/s of Async(2) over Sync(2) (target >= 1.85x;
//    Gymnasium 1.80x).
// 4. SamSeg-sized observations ([256,64,64] + [256,256] float32, 8 envs, 2 workers): time an
//    Async vector step adds over the envs' own work (target <= 5 ms).
import { make } from "../src/registry";
import type { Env } from "../src/core";
import { AsyncVectorEnv, SyncVectorEnv } from "../src/vector";
import type { VectorEnv } from "../src/vector";
import { BENCH_ENVS_MODULE, BigObsEnv, BusyEnv, burn } from "./vector-bench-envs";
import { median } from "./median";

/** Median microseconds per call of `fn` over `batches` batches of `calls` calls (after warm-up). */
async function timeIt(fn: () => Promise<unknown>, batches: number, calls: number, warmup = 2): Promise<number> {
  const times: number[] = [];
  for (let b = 0; b < batches + warmup; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await fn();
    const us = Number(process.hrtime.bigint() - t0) / 1e3 / calls;
    if (b >= warmup) times.push(us);
  }
  return median(times);
}

const ACTIONS = (n: number): Int32Array[] =>
  Array.from({ length: 64 }, (_, k) => Int32Array.from({ length: n }, (_, i) => (k * 7 + i * 3) % 2));

async function syncCartPole(): Promise<void> {
  const n = 8;
  const actions = ACTIONS(n);
  const envs = Array.from({ length: n }, () => make("CartPole-v1")) as Env<unknown, number>[];
  await Promise.all(envs.map((e, i) => e.reset({ seed: i })));
  let k = 0;
  const raw = await timeIt(
    async () => {
      const a = actions[k++ & 63] as Int32Array;
      for (let i = 0; i < n; i++) {
        const env = envs[i] as Env<unknown, number>;
        const [, , te, tr] = await env.step(a[i] as number);
        if (te || tr) await env.reset();
      }
    },
    21,
    2000,
  );
  for (const copy of [true, false]) {
    const vec = new SyncVectorEnv(
      Array.from({ length: n }, () => () => make("CartPole-v1")),
      { copy },
    );
    await vec.reset({ seed: 0 });
    const vector = await timeIt(() => vec.step(actions[k++ & 63] as never), 21, 2000);
    console.log(
      `Sync x8 CartPole (copy=${copy}): ${(vector / n).toFixed(3)} us per env-step, overhead over the envs' own steps ${((vector - raw) / n).toFixed(3)} us per env-step ` +
        `(envs alone ${(raw / n).toFixed(3)} us; target overhead <= 2 us; Gymnasium 9.44 us total)`,
    );
    await vec.close();
  }
}

async function asyncCartPole(): Promise<void> {
  const actions = ACTIONS(2);
  let k = 0;
  for (const copy of [true, false]) {
    const vec = new AsyncVectorEnv([{ id: "CartPole-v1" }, { id: "CartPole-v1" }], { copy });
    await vec.reset({ seed: 0 });
    const us = await timeIt(() => vec.step(actions[k++ & 63] as never), 15, 2000, 3);
    console.log(
      `Async x2 CartPole (2 workers, copy=${copy}): ${us.toFixed(1)} us per vector step (target <= 50 us; Gymnasium 171 us)`,
    );
    await vec.close();
  }
}

async function cpuBound(): Promise<void> {
  // Calibrate burn() to ~2 ms in this thread (fastest of several runs: least disturbed by load).
  let iterations = 100_000;
  for (let r = 0; r < 4; r++) {
    let best = Infinity;
    for (let k = 0; k < 10; k++) {
      const t0 = process.hrtime.bigint();
      burn(iterations, k);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e3);
    }
    iterations = Math.round((iterations * 2000) / best);
  }
  const stepMs = (await timeIt(async () => burn(iterations, 1), 5, 50)) / 1000;
  const actions = ACTIONS(2);
  let k = 0;
  const sync = new SyncVectorEnv([() => new BusyEnv(iterations), () => new BusyEnv(iterations)]);
  await sync.reset({ seed: 0 });
  const syncUs = await timeIt(() => sync.step(actions[k++ & 63] as never), 9, 50, 1);
  const spec = { module: BENCH_ENVS_MODULE, exportName: "BusyEnv", args: [iterations] };
  for (const [blockingWaitMs, workerSpinMicros] of [
    [0, 0],
    [20, 100],
  ] as const) {
    const asyncEnv = new AsyncVectorEnv([spec, spec], { blockingWaitMs, workerSpinMicros });
    await asyncEnv.reset({ seed: 0 });
    const asyncUs = await timeIt(() => asyncEnv.step(actions[k++ & 63] as never), 9, 50, 1);
    await asyncEnv.close();
    console.log(
      `CPU-bound env (${stepMs.toFixed(2)} ms/step): Sync(2) ${(2e6 / syncUs).toFixed(0)} env-steps/s, Async(2, blockingWaitMs ${blockingWaitMs}, workerSpinMicros ${workerSpinMicros}) ${(2e6 / asyncUs).toFixed(0)} env-steps/s, ` +
        `speedup ${(syncUs / asyncUs).toFixed(2)}x (target >= 1.85x; Gymnasium 1.80x)`,
    );
  }
}

async function bigObservations(): Promise<void> {
  const n = 8;
  const workers = 2;
  // The envs' own work: one worker steps n / workers envs one after the other.
  const own = Array.from({ length: n / workers }, () => new BigObsEnv());
  await Promise.all(own.map((e) => e.reset({ seed: 0 })));
  const ownUs = await timeIt(
    async () => {
      for (const e of own) await e.step(0);
    },
    9,
    20,
  );
  const actions = ACTIONS(n);
  let k = 0;
  for (const copy of [false, true]) {
    const vec: VectorEnv = new AsyncVectorEnv(
      Array.from({ length: n }, () => ({ module: BENCH_ENVS_MODULE, exportName: "BigObsEnv" })),
      { concurrency: workers, copy },
    );
    await vec.reset({ seed: 0 });
    const us = await timeIt(() => vec.step(actions[k++ & 63] as never), 9, 20);
    console.log(
      `SamSeg-sized obs, Async x8 (2 workers, copy=${copy}): ${(us / 1000).toFixed(2)} ms per vector step, envs' own work ${(ownUs / 1000).toFixed(2)} ms ` +
        `(4 envs per worker, in parallel) -> adds ${((us - ownUs) / 1000).toFixed(2)} ms (target <= 5 ms)`,
    );
    await vec.close();
  }
}

async function main(): Promise<void> {
  const load = (await import("node:os")).loadavg()[0] as number;
  console.log(
    `(load average ${load.toFixed(2)} on ${(await import("node:os")).cpus().length} cores: the Async and CPU-bound figures need an otherwise idle machine)`,
  );
  const only = process.argv[2]; // "sync" | "async" | "cpu" | "big": run just that part
  if (only === undefined || only === "sync") await syncCartPole();
  if (only === undefined || only === "async") await asyncCartPole();
  if (only === undefined || only === "cpu") await cpuBound();
  if (only === undefined || only === "big") await bigObservations();
}

void main();
