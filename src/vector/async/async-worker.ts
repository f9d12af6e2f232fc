// Entry point of an AsyncVectorEnv worker thread (see worker-protocol.ts). It builds its envs
// from their specs, then serves requests until "close". Not part of the public API.
import { receiveMessageOnPort, workerData } from "node:worker_threads";
import { AutoresetMode } from "../autoreset-mode";
import type { VectorEnvSpec } from "./env-spec";
import { buildEnv } from "./env-loader";
import { SharedActionReader } from "./shared-actions";
import { SharedObservationWriter } from "./shared-observations";
import { SubEnvRunner } from "../sub-env-runner";
import { fromWire, isEmptyInfo, toWire } from "./wire";
import { EXITED, OPCODE, REPLIES, REPLY_MESSAGE, REQUESTS, SHARED_STEP, STATE } from "./worker-protocol";
import type {
  HelloReply,
  ResetReply,
  SharedResults,
  StepReply,
  ValuesReply,
  WorkerFailure,
  WorkerInit,
  WorkerReply,
  WorkerRequest,
} from "./worker-protocol";

/** Requests at least this long (ms) are followed by polling for the next one (see serve). */
const SPIN_AFTER_MS = 0.5;

const init = workerData as WorkerInit;
const control = new Int32Array(init.control);
const port = init.port;
// Keeps this thread alive while an env awaits something that holds no handle of its own
// (a hung env must look hung, not exit); cleared on close.
const keepAlive = setInterval(() => undefined, 1 << 30);
process.on("exit", () => {
  Atomics.store(control, STATE, EXITED);
  Atomics.notify(control, REPLIES);
});

/** The global index of the env being served, for failure reports. */
let currentEnv: number | null = null;

/** Answer the current request: with a message, or (null) with the shared results only. */
function reply(message: WorkerReply | null): void {
  if (message !== null) {
    try {
      port.postMessage(message);
    } catch (e) {
      port.postMessage({
        ok: false,
        failure: failure(e, "postMessage (the result could not be sent to the main thread)"),
      } satisfies WorkerReply);
    }
  }
  Atomics.store(control, REPLY_MESSAGE, message === null ? 0 : 1);
  Atomics.add(control, REPLIES, 1);
  Atomics.notify(control, REPLIES);
}

function failure(e: unknown, method: string): WorkerFailure {
  const err = e instanceof Error ? e : new Error(String(e));
  return { envIndex: currentEnv, method, name: err.name, message: err.message, stack: err.stack ?? "" };
}

async function serve(): Promise<void> {
  const runners: SubEnvRunner[] = [];
  try {
    for (let k = 0; k < init.specs.length; k++) {
      currentEnv = init.envIndices[k] as number;
      runners.push(
        new SubEnvRunner(await buildEnv(init.specs[k] as VectorEnvSpec), init.autoresetMode ?? AutoresetMode.NEXT_STEP),
      );
    }
    const env = (runners[0] as SubEnvRunner).env;
    const hello: HelloReply = {
      observationSpace: env.observationSpace.describe(),
      actionSpace: env.actionSpace.describe(),
      metadata: JSON.parse(JSON.stringify(env.metadata)) as HelloReply["metadata"],
      renderMode: env.renderMode,
    };
    for (let k = 1; k < runners.length; k++) {
      const other = (runners[k] as SubEnvRunner).env;
      currentEnv = init.envIndices[k] as number;
      if (!other.observationSpace.equals(env.observationSpace) || !other.actionSpace.equals(env.actionSpace)) {
        throw new Error(
          `spaces ${other.observationSpace} / ${other.actionSpace} differ from env ${init.envIndices[0]}'s ${env.observationSpace} / ${env.actionSpace}`,
        );
      }
    }
    reply({ ok: true, payload: hello });
  } catch (e) {
    reply({ ok: false, failure: failure(e, "constructor") });
    return;
  }
  let writer: SharedObservationWriter | null = null;
  let results: SharedResults | null = null;
  let actionReader: SharedActionReader | null = null;
  let seen = 0;
  let lastRequestMs = 0;
  for (;;) {
    // After a long request (a CPU-bound step: the main thread slept meanwhile and wakes with a
    // free core), poll briefly before sleeping: the next request usually follows within tens of
    // microseconds, and a futex wake-up costs about as much again. After short requests the
    // main thread is busy itself, and a polling worker would take its core.
    if (lastRequestMs >= SPIN_AFTER_MS) {
      const spinUntil = performance.now() + init.spinMicros / 1000;
      while (Atomics.load(control, REQUESTS) === seen && performance.now() < spinUntil);
    }
    Atomics.wait(control, REQUESTS, seen);
    if (Atomics.load(control, REQUESTS) === seen) continue;
    seen += 1;
    const requestStart = performance.now();
    const request: WorkerRequest | undefined =
      Atomics.load(control, OPCODE) === SHARED_STEP
        ? { kind: "step", actions: null }
        : (receiveMessageOnPort(port)?.message as WorkerRequest | undefined);
    if (request === undefined) continue;
    currentEnv = null;
    let method: string = request.kind;
    try {
      switch (request.kind) {
        case "setup": {
          const env = (runners[0] as SubEnvRunner).env;
          writer = new SharedObservationWriter(env.observationSpace, request.buffers);
          results = request.results;
          actionReader = request.actions === null ? null : new SharedActionReader(env.actionSpace, request.actions);
          reply({ ok: true, payload: null });
          break;
        }
        case "reset": {
          const out: ResetReply = { infos: [], rest: [] };
          const options = fromWire(request.options) as Record<string, unknown> | undefined;
          for (let k = 0; k < runners.length; k++) {
            if (request.mask !== null && !request.mask[k]) {
              out.infos.push(null);
              out.rest.push(null);
              continue;
            }
            currentEnv = init.envIndices[k] as number;
            const [obs, info] = await (runners[k] as SubEnvRunner).reset(request.seeds[k], options);
            out.rest.push((writer as SharedObservationWriter).write(currentEnv, obs).map(toWire));
            out.infos.push(isEmptyInfo(info) ? null : (toWire(info) as typeof info));
          }
          reply({ ok: true, payload: out });
          break;
        }
        case "step": {
          const res = results as SharedResults;
          let extras: StepReply | null = null;
          for (let k = 0; k < runners.length; k++) {
            const i = init.envIndices[k] as number;
            currentEnv = i;
            const action =
              request.actions === null ? (actionReader as SharedActionReader).read(i) : fromWire(request.actions[k]);
            const r = await (runners[k] as SubEnvRunner).step(action);
            const rest = (writer as SharedObservationWriter).write(i, r.obs);
            res.rewards[i] = r.reward;
            res.terminated[i] = r.terminated ? 1 : 0;
            res.truncated[i] = r.truncated ? 1 : 0;
            if (rest.length > 0 || r.final !== undefined || !isEmptyInfo(r.info)) {
              extras ??= {
                infos: new Array(runners.length).fill(null),
                finals: new Array(runners.length).fill(null),
                rest: new Array(runners.length).fill(null),
              };
              extras.infos[k] = isEmptyInfo(r.info) ? null : (toWire(r.info) as typeof r.info);
              extras.finals[k] = r.final === undefined ? null : (toWire(r.final) as typeof r.final);
              extras.rest[k] = rest.length > 0 ? rest.map(toWire) : null;
            }
          }
          reply(extras === null ? null : { ok: true, payload: extras });
          break;
        }
        case "call":
        case "getAttr": {
          const out: ValuesReply = { values: [] };
          method = `${request.kind}(${JSON.stringify(request.name)})`;
          for (let k = 0; k < runners.length; k++) {
            currentEnv = init.envIndices[k] as number;
            const runner = runners[k] as SubEnvRunner;
            const value =
              request.kind === "call"
                ? await runner.call(request.name, fromWire(request.args) as unknown[])
                : runner.getAttr(request.name);
            out.values.push(toWire(value));
          }
          reply({ ok: true, payload: out });
          break;
        }
        case "setAttr":
          method = `setAttr(${JSON.stringify(request.name)})`;
          for (let k = 0; k < runners.length; k++) {
            currentEnv = init.envIndices[k] as number;
            (runners[k] as SubEnvRunner).setAttr(request.name, fromWire(request.values[k]));
          }
          reply({ ok: true, payload: null });
          break;
        case "close":
          for (let k = 0; k < runners.length; k++) {
            currentEnv = init.envIndices[k] as number;
            await (runners[k] as SubEnvRunner).env.close();
          }
          reply({ ok: true, payload: null });
          clearInterval(keepAlive);
          port.close();
          return;
      }
    } catch (e) {
      reply({ ok: false, failure: failure(e, method) });
    }
    lastRequestMs = performance.now() - requestStart;
  }
}

void serve();
