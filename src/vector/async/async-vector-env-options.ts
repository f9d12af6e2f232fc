import type { ResourceLimits } from "node:worker_threads";
import { InvalidArgumentError } from "../../core/errors";
import type { Space } from "../../core/space";
import type { EnvMetadata } from "../../core/types";
import type { AutoresetMode } from "../autoreset-mode";

/** Options of {@link AsyncVectorEnv}. */
export interface AsyncVectorEnvOptions {
  /** When sub-envs whose episode ended are reset (default NEXT_STEP). */
  autoresetMode?: AutoresetMode | `${AutoresetMode}`;
  /**
   * true (default): reset/step return a fresh copy of the batched observation; false: they
   * return views of the shared buffers, overwritten by the next reset/step.
   */
  copy?: boolean;
  /** Number of worker threads (default numEnvs); each hosts a contiguous slice of the envs. */
  concurrency?: number;
  /** Default timeout of every reset/step/call/getAttr/setAttr, in ms (default 60000). */
  timeoutMs?: number;
  /** Timeout of building the envs in the workers, in ms (default 60000). */
  startTimeoutMs?: number;
  /**
   * Microseconds the main thread polls for replies before yielding to the event loop (default
   * 50): fast envs answer within it and skip an event-loop round trip.
   */
  spinMicros?: number;
  /**
   * Milliseconds the main thread may block (a futex wait, after the spin) for the replies of a
   * call before yielding to the event loop (default 20; 0 never blocks). Blocking wakes up sooner
   * and more steadily than the event loop (measured: CPU-bound 2 ms envs on 2 cores step 5% faster
   * on median, with a far shorter tail), and steps shorter than this never wait for an event-loop
   * turn. Meanwhile the event loop stands still: timers, I/O and a second vector env stepped
   * concurrently (`Promise.all`) wait up to this long; set 0 where that matters more than speed.
   */
  blockingWaitMs?: number;
  /**
   * Microseconds a worker polls for its next request before it sleeps, after a request that took
   * over 0.5 ms (default 100; after short requests it sleeps at once, leaving the core to the
   * busy main thread). The main thread usually sends within that time, which saves a futex
   * wake-up per step (a 2 ms CPU-bound env on 2 cores, with blockingWaitMs: median
   * Async(2)/Sync(2) speedup 1.82x -> 1.86x). Costs up to this much CPU per worker per call.
   */
  workerSpinMicros?: number;
  /** V8 heap limits of each worker (a worker over them dies with an error, never a hang). */
  resourceLimits?: ResourceLimits;
  /**
   * Node options of the worker threads (default: this process's execArgv, as Node does). From
   * TypeScript sources, `[]` makes workers use tsx's fast require hook instead of an inherited
   * loader.
   */
  execArgv?: string[];
  /**
   * The single observation and action spaces (and metadata) of the envs. When both spaces are
   * given, no env is built in this thread; otherwise env 0 is built here once to read them
   * (as Gymnasium does), which needs a CommonJS module or a registered id.
   */
  observationSpace?: Space<unknown>;
  actionSpace?: Space<unknown>;
  metadata?: EnvMetadata;
}

/** The checked timing and threading options of an AsyncVectorEnv of `numEnvs` envs. */
export interface ResolvedTimings {
  timeoutMs: number;
  startTimeoutMs: number;
  spinMicros: number;
  blockingWaitMs: number;
  workerSpinMicros: number;
  /** Worker threads: min(concurrency, numEnvs). */
  workers: number;
}

/**
 * The timing and threading options with their defaults.
 * @throws InvalidArgumentError naming a bad value.
 */
export function resolveTimings(opts: AsyncVectorEnvOptions, numEnvs: number): ResolvedTimings {
  const timeoutMs = positiveMs(opts.timeoutMs ?? 60000, "timeoutMs");
  const startTimeoutMs = positiveMs(opts.startTimeoutMs ?? 60000, "startTimeoutMs");
  const spinMicros = opts.spinMicros ?? 50;
  if (!(spinMicros >= 0)) throw new InvalidArgumentError(`spinMicros must be >= 0, got ${String(opts.spinMicros)}`);
  const blockingWaitMs = opts.blockingWaitMs ?? 20;
  if (!(blockingWaitMs >= 0))
    throw new InvalidArgumentError(`blockingWaitMs must be >= 0, got ${String(opts.blockingWaitMs)}`);
  const workerSpinMicros = opts.workerSpinMicros ?? 100;
  if (!(workerSpinMicros >= 0))
    throw new InvalidArgumentError(`workerSpinMicros must be >= 0, got ${String(opts.workerSpinMicros)}`);
  const concurrency = opts.concurrency ?? numEnvs;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new InvalidArgumentError(`concurrency must be a positive integer, got ${String(concurrency)}`);
  return {
    timeoutMs,
    startTimeoutMs,
    spinMicros,
    blockingWaitMs,
    workerSpinMicros,
    workers: Math.min(concurrency, numEnvs),
  };
}

/** `ms` when it is a positive number. @throws InvalidArgumentError naming `what` otherwise. */
export function positiveMs(ms: number, what: string): number {
  if (!(typeof ms === "number" && ms > 0))
    throw new InvalidArgumentError(`${what} must be a positive number of ms, got ${String(ms)}`);
  return ms;
}
