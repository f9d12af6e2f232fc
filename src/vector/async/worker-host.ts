import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import type { MessagePort, ResourceLimits } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { TimeoutError, WorkerError } from "../../core/errors";
import type { AutoresetMode } from "../autoreset-mode";
import type { VectorEnvSpec } from "./env-spec";
import {
  CONTROL_WORDS,
  EXITED,
  MESSAGE_REQUEST,
  OPCODE,
  REPLIES,
  REPLY_MESSAGE,
  REQUESTS,
  SHARED_STEP,
  STATE,
} from "./worker-protocol";
import type { WorkerFailure, WorkerInit, WorkerReply, WorkerRequest } from "./worker-protocol";

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Options of a {@link WorkerHost}. */
export interface WorkerHostOptions {
  autoresetMode: AutoresetMode;
  /** Microseconds an idle worker polls for the next request before it sleeps. */
  workerSpinMicros: number;
  resourceLimits?: ResourceLimits;
  execArgv?: string[];
}

/**
 * The main-thread handle of one AsyncVectorEnv worker (see worker-protocol.ts): sends requests,
 * receives replies with a timeout, and notices when the thread dies (exit, uncaught exception,
 * out of memory). Internal to src/vector.
 */
export class WorkerHost {
  /** Global indices of the envs the worker hosts. */
  readonly envIndices: readonly number[];
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly port: MessagePort;
  /** Replies expected so far: the worker's first reply (its hello) answers an implicit request. */
  private sent = 1;
  /** Replies taken so far. */
  private taken = 0;
  private exitCode: number | null = null;
  private uncaught: Error | null = null;
  private terminating = false;
  private exited: Promise<void>;

  constructor(file: string, envIndices: number[], specs: VectorEnvSpec[], opts: WorkerHostOptions) {
    this.envIndices = envIndices;
    const shared = new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT);
    this.control = new Int32Array(shared);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const init: WorkerInit = {
      control: shared,
      port: port2,
      envIndices,
      specs,
      autoresetMode: opts.autoresetMode,
      spinMicros: opts.workerSpinMicros,
    };
    this.worker = new Worker(bootstrapSource(file), {
      eval: true,
      workerData: init,
      transferList: [port2],
      resourceLimits: opts.resourceLimits,
      execArgv: opts.execArgv,
    });
    this.exited = new Promise<void>((resolve) => {
      this.worker.once("exit", (code) => {
        this.exitCode = code;
        Atomics.store(this.control, STATE, EXITED);
        Atomics.notify(this.control, REPLIES);
        resolve();
      });
    });
    this.worker.on("error", (e: Error) => {
      this.uncaught ??= e;
    });
    this.worker.unref();
  }

  /** Whether the worker thread has exited (or is exiting). */
  get dead(): boolean {
    return Atomics.load(this.control, STATE) === EXITED;
  }

  /** Whether the reply to the last request is there. */
  get answered(): boolean {
    return Atomics.load(this.control, REPLIES) >= this.sent;
  }

  /**
   * Block this thread until the reply to the last request is there, the worker dies, or `ms`
   * pass (a futex wait: the lowest wake-up latency, but the event loop stands still meanwhile).
   */
  waitBlocking(ms: number): void {
    for (;;) {
      const replies = Atomics.load(this.control, REPLIES);
      if (replies >= this.sent || this.dead || ms <= 0) return;
      const t0 = performance.now();
      Atomics.wait(this.control, REPLIES, replies, ms);
      ms -= performance.now() - t0;
    }
  }

  /**
   * Post one request (the previous one must have been answered); null is a step whose actions
   * are in the shared action buffer.
   */
  send(request: WorkerRequest | null): void {
    if (request === null) {
      Atomics.store(this.control, OPCODE, SHARED_STEP);
    } else {
      this.port.postMessage(request);
      Atomics.store(this.control, OPCODE, MESSAGE_REQUEST);
    }
    this.sent += 1;
    Atomics.store(this.control, REQUESTS, this.sent - 1);
    Atomics.notify(this.control, REQUESTS);
  }

  /**
   * Wait (without blocking the event loop) for the next reply: the hello first, then one per
   * request in order. Resolves to the reply's payload, or null when the reply had no message.
   * @throws TimeoutError after timeoutMs; WorkerError when the worker died or its env threw.
   */
  async receive<T>(method: string, timeoutMs: number, deadline = performance.now() + timeoutMs): Promise<T | null> {
    const want = this.taken + 1;
    if (Atomics.load(this.control, REPLIES) < want) {
      this.worker.ref();
      try {
        for (;;) {
          const replies = Atomics.load(this.control, REPLIES);
          if (replies >= want) break;
          if (this.dead) {
            await this.exited;
            throw this.deathError(method);
          }
          const left = deadline - performance.now();
          if (left <= 0) throw this.timeoutError(method, timeoutMs);
          const wait = waitAsync(this.control, REPLIES, replies, left);
          if (wait.async) await wait.value;
        }
      } finally {
        this.worker.unref();
      }
    }
    return this.take<T>(method);
  }

  /** Terminate the thread (idempotent); resolves once it has exited. */
  async terminate(): Promise<void> {
    if (!this.terminating) {
      this.terminating = true;
      this.port.close();
      if (this.exitCode === null) await this.worker.terminate();
    }
    await this.exited;
  }

  private take<T>(method: string): T | null {
    this.taken += 1;
    if (Atomics.load(this.control, REPLY_MESSAGE) === 0) return null;
    const received = receiveMessageOnPort(this.port);
    if (received === undefined)
      throw new WorkerError(
        `AsyncVectorEnv: the worker of env ${this.envList()} signalled a reply to ${method} but sent none`,
        this.envIndices[0] ?? null,
      );
    const reply = received.message as WorkerReply<T>;
    if (!reply.ok) throw failureError(reply.failure, this.envIndices[0] ?? null);
    return reply.payload;
  }

  private envList(): string {
    return this.envIndices.length === 1
      ? String(this.envIndices[0])
      : `${this.envIndices[0]}-${this.envIndices[this.envIndices.length - 1]}`;
  }

  private deathError(method: string): WorkerError {
    const cause = this.uncaught;
    const why = cause !== null ? `${cause.name}: ${cause.message}` : `exit code ${this.exitCode ?? "unknown"}`;
    const stack = cause?.stack ? `\nWorker stack:\n${cause.stack}` : "";
    return new WorkerError(
      `AsyncVectorEnv: the worker of env ${this.envList()} died during ${method} (${why})${stack}`,
      this.envIndices[0] ?? null,
      { cause },
    );
  }

  private timeoutError(method: string, timeoutMs: number): TimeoutError {
    return new TimeoutError(`AsyncVectorEnv: env ${this.envList()} did not answer ${method} within ${timeoutMs} ms`);
  }
}

/** Split env indices 0..numEnvs-1 into `workers` contiguous, nearly equal slices. */
export function splitEnvs(numEnvs: number, workers: number): number[][] {
  return Array.from({ length: workers }, (_, w) => {
    const from = Math.floor((w * numEnvs) / workers);
    const to = Math.floor(((w + 1) * numEnvs) / workers);
    return Array.from({ length: to - from }, (_, k) => from + k);
  });
}

/**
 * The worker's bootstrap (CommonJS, run with `eval`): requires the entry file. From compiled
 * lib/ that is plain `require`. From TypeScript sources (src/, under a TypeScript loader) the
 * loader's require hook must exist in the worker: ts-node's (tap) is inherited through execArgv;
 * tsx's is not (its workers get only its ESM hooks), so tsx's CommonJS hook is registered when
 * no `.ts` require hook is present.
 */
function bootstrapSource(file: string): string {
  return [
    `const file = ${JSON.stringify(file)};`,
    `const req = require("node:module").createRequire(file);`,
    `if (file.endsWith(".ts") && !require.extensions[".ts"]) { try { req("tsx/cjs/api").register(); } catch {} }`,
    `req(file);`,
  ].join("\n");
}

/** The error of a failure reported by a worker: env index, method, original message and stack. */
function failureError(f: WorkerFailure, fallbackIndex: number | null): WorkerError {
  const cause = new Error(f.message);
  cause.name = f.name;
  cause.stack = f.stack;
  const envIndex = f.envIndex ?? fallbackIndex;
  return new WorkerError(
    `AsyncVectorEnv: env ${envIndex} failed in ${f.method}: ${f.name}: ${f.message}\nWorker stack:\n${f.stack}`,
    envIndex,
    { cause },
  );
}

/** Poll the hosts' replies for up to `micros` µs (fast envs answer before an event-loop turn would). */
export function spinForReplies(hosts: readonly WorkerHost[], micros: number): void {
  if (micros <= 0) return;
  const end = performance.now() + micros / 1000;
  for (let k = 1; ; k++) {
    let all = true;
    for (const h of hosts) if (!h.answered && !h.dead) all = false;
    if (all) return;
    if ((k & 31) === 0 && performance.now() > end) return;
  }
}

/** Block for the hosts' replies for up to `ms` in total (see AsyncVectorEnv's blockingWaitMs). */
export function blockForReplies(hosts: readonly WorkerHost[], ms: number): void {
  if (ms <= 0) return;
  const end = performance.now() + ms;
  for (const h of hosts) h.waitBlocking(end - performance.now());
}
