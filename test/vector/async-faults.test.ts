// Faults in AsyncVectorEnv workers surface as clear errors, never hangs, and leave no threads
// or ports behind (this file's process must exit on its own).
import t from "tap";
import { ClosedEnvError, InvalidArgumentError, TimeoutError, WorkerError } from "../../src/core";
import { Box, Discrete } from "../../src/spaces";
import { AsyncVectorEnv } from "../../src/vector";
import type { VectorEnvSpec } from "../../src/vector";
import { GOLDEN_SCRIPTS, TOY_ENVS_MODULE } from "./fixtures/toy-envs";
import type { Fault } from "./fixtures/toy-envs";

const counter: VectorEnvSpec = { module: TOY_ENVS_MODULE, exportName: "CounterEnv", args: [GOLDEN_SCRIPTS[0]] };
const faulty = (fault: Fault, atStep = 2): VectorEnvSpec => ({
  module: TOY_ENVS_MODULE,
  exportName: "FaultyEnv",
  args: [{ fault, atStep }],
});

async function stepUntilError(envs: AsyncVectorEnv, steps: number, timeoutMs?: number): Promise<Error> {
  await envs.reset({ seed: 0 });
  for (let k = 0; k < steps; k++) {
    try {
      await envs.step(Int32Array.of(0, 0), { timeoutMs });
    } catch (e) {
      return e as Error;
    }
  }
  throw new Error("no error");
}

t.test("an env that throws in step: WorkerError with env index, method, message and stack", async (t) => {
  const envs = new AsyncVectorEnv([counter, faulty("throw")], { execArgv: [] });
  await envs.whenReady();
  t.equal(envs.runningWorkers, 2);
  const err = await stepUntilError(envs, 3);
  t.type(err, WorkerError);
  t.equal((err as WorkerError).envIndex, 1);
  t.match(err.message, /env 1 failed in step: Error: boom at step 2/);
  t.match(err.message, /Worker stack:\n.*boom at step 2[\s\S]*toy-envs/);
  t.match((err as WorkerError).cause, { message: "boom at step 2" });
  await t.rejects(envs.step(Int32Array.of(0, 0)), ClosedEnvError, "the failed vector env is closed");
  await t.rejects(envs.reset(), /closed \(a worker failed: AsyncVectorEnv: env 1 failed in step/);
  t.equal(envs.runningWorkers, 0, "all workers were terminated");
  await envs.close();
  await envs.close();
});

t.test("a worker that calls process.exit: WorkerError naming the env and the exit code", async (t) => {
  const envs = new AsyncVectorEnv([counter, faulty("exit")], { execArgv: [], concurrency: 2 });
  const err = await stepUntilError(envs, 3);
  t.type(err, WorkerError);
  t.match(err.message, /worker of env 1 died during step \(exit code 3\)/);
  t.equal(envs.runningWorkers, 0, "the other worker was terminated too");
  await t.rejects(envs.getAttr("t"), ClosedEnvError);
  await envs.close();
});

t.test("blockingWaitMs: a worker that exits or hangs during a blocking wait still surfaces as an error", async (t) => {
  const exiting = new AsyncVectorEnv([counter, faulty("exit")], { execArgv: [], blockingWaitMs: 200 });
  const exitErr = await stepUntilError(exiting, 3);
  t.type(exitErr, WorkerError);
  t.match(exitErr.message, /worker of env 1 died during step \(exit code 3\)/);
  await exiting.close();
  const hanging = new AsyncVectorEnv([counter, faulty("hang")], { execArgv: [], blockingWaitMs: 60000 });
  const started = Date.now();
  const hangErr = await stepUntilError(hanging, 3, 300);
  t.type(hangErr, TimeoutError, "the blocking wait is capped by the call's timeout");
  t.ok(Date.now() - started < 10000, "no hang");
  await hanging.close();
  t.throws(() => new AsyncVectorEnv([counter], { blockingWaitMs: -1 }), InvalidArgumentError);
  t.throws(() => new AsyncVectorEnv([counter], { workerSpinMicros: NaN }), /workerSpinMicros must be >= 0, got NaN/);
});

t.test("an uncaught exception in a worker: WorkerError with its message and stack", async (t) => {
  const envs = new AsyncVectorEnv([counter, faulty("uncaught")], { execArgv: [], concurrency: 1 });
  const err = await stepUntilError(envs, 3);
  t.type(err, WorkerError);
  t.match(err.message, /worker of env 0-1 died during step \(Error: uncaught boom\)/);
  t.match(err.message, /Worker stack:[\s\S]*toy-envs/);
  await envs.close();
});

t.test("an env that never answers: TimeoutError after the call's timeout, workers terminated", async (t) => {
  const envs = new AsyncVectorEnv([counter, faulty("hang")], { execArgv: [], concurrency: 1, timeoutMs: 30000 });
  const started = Date.now();
  const err = await stepUntilError(envs, 3, 300);
  t.type(err, TimeoutError);
  t.match(err.message, /env 0-1 did not answer step within 300 ms/);
  t.ok(Date.now() - started < 10000, "no hang");
  t.equal(envs.runningWorkers, 0, "the hung worker was terminated");
  await t.rejects(envs.step(Int32Array.of(0, 0)), ClosedEnvError);
  await envs.close();
});

t.test("a worker over its heap limit dies with an error, not a hang", async (t) => {
  const envs = new AsyncVectorEnv([faulty("oom", 1)], { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 32 } });
  await envs.reset();
  const err = await envs.step(Int32Array.of(0)).catch((e: unknown) => e as Error);
  t.type(err, WorkerError);
  t.match((err as Error).message, /worker of env 0 died during step \(Error: .*memory/i);
  await envs.close();
});

t.test("an env that cannot be built: the error names the env and the constructor", async (t) => {
  t.throws(
    () => new AsyncVectorEnv([{ module: TOY_ENVS_MODULE, exportName: "BrokenConstructorEnv" }]),
    /constructor boom/,
    "the main-thread probe fails synchronously",
  );
  const envs = new AsyncVectorEnv([counter, { module: TOY_ENVS_MODULE, exportName: "BrokenConstructorEnv" }], {
    execArgv: [],
    observationSpace: new Box({ low: -1e6, high: 1e6, shape: [3], dtype: "float32" }),
    actionSpace: new Discrete(2),
  });
  await t.rejects(envs.whenReady(), {
    name: "WorkerError",
    envIndex: 1,
    message: /env 1 failed in constructor: Error: constructor boom/,
  });
  await t.rejects(envs.reset(), ClosedEnvError);
  await envs.close();
  t.throws(
    () => new AsyncVectorEnv([{ module: TOY_ENVS_MODULE, exportName: "Nope" }]),
    /no function or class export "Nope"/,
  );
  t.throws(() => new AsyncVectorEnv([{ nothing: 1 } as unknown as VectorEnvSpec]), InvalidArgumentError);
  t.throws(() => new AsyncVectorEnv([counter], { concurrency: 0 }), InvalidArgumentError);
});

t.test("spaces that differ between envs are refused", async (t) => {
  const envs = new AsyncVectorEnv([counter, counter], {
    execArgv: [],
    observationSpace: new Box({ low: 0, high: 1, shape: [3], dtype: "float32" }),
    actionSpace: new Discrete(2),
  });
  await t.rejects(envs.whenReady(), /env 0 has spaces Box/);
  await envs.close();
});
