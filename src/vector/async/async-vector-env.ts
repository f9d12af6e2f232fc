import { extname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { ClosedEnvError, InvalidArgumentError, ResetNeededError, WorkerError } from "../../core/errors";
import type { Space } from "../../core/space";
import { batchSpace } from "../../spaces/batch";
import { spaceFromJSON } from "../../spaces/from-json";
import { AutoresetMode, parseAutoresetMode } from "../autoreset-mode";
import { positiveMs, resolveTimings } from "./async-vector-env-options";
import { payload, settleAll } from "./replies";
import type { AsyncVectorEnvOptions } from "./async-vector-env-options";
import { addInfo } from "../batch-infos";
import { cloneValue } from "../clone-value";
import { normalizeEnvSpec } from "./env-spec";
import { buildEnvSync } from "./env-loader";
import type { VectorEnvSpec } from "./env-spec";
import { SharedObservationBatch } from "./shared-observations";
import { SharedActionBatch, hasSharedActions } from "./shared-actions";
import type { Infos, VectorMetadata, VectorResetOptions, VectorStepOptions, VectorStepResult } from "../types";
import {
  assertNoneEnded,
  envSeeds,
  perEnvValues,
  splitActions,
  splitResetOptions,
  validateActions,
} from "../vector-args";
import { VectorEnv } from "../vector-env";
import { fromWire, toWire } from "./wire";
import { WorkerHost, blockForReplies, spinForReplies, splitEnvs } from "./worker-host";
import { createSharedResults } from "./worker-protocol";
import type { HelloReply, ResetReply, SharedResults, StepReply, ValuesReply, WorkerRequest } from "./worker-protocol";

/** The worker entry point next to this module: async-worker.js in lib/, async-worker.ts in src/. */
const WORKER_FILE = join(__dirname, `async-worker${extname(__filename)}`);

/**
 * A vector env whose sub-envs run in worker threads (Gymnasium's `AsyncVectorEnv`), so CPU-heavy
 * envs use several cores. Sub-envs are described by serialisable specs (`{id, kwargs}` through
 * the registry, or `{module, exportName, args}`) and built inside the workers (every method
 * waits for that; `whenReady()` too). Unless the spaces are passed as options, env 0 is also
 * built once in this thread to read its spaces. Array-valued observations (Box, Discrete, MultiDiscrete,
 * MultiBinary, also inside Dict/Tuple) live in SharedArrayBuffers written in place by the
 * workers; `copy: false` hands out views of them.
 *
 * Failures never hang: an env that throws surfaces as a WorkerError naming the env index, the
 * method and the original message and stack; a worker that dies (process.exit, uncaught
 * exception, out of memory) as a WorkerError; a call over its timeout as a TimeoutError. After
 * any of these all workers are terminated and further use throws ClosedEnvError. `close()`
 * terminates every worker and is safe to call twice.
 *
 * @example
 * ```ts
 * const envs = new AsyncVectorEnv([{ id: "CartPole-v1" }, { id: "CartPole-v1" }], { timeoutMs: 5000 });
 * const [obs] = await envs.reset({ seed: 1 });                  // NdArray [2, 4] float32
 * const [next, rewards, terminated, truncated, infos] = await envs.step(Int32Array.of(0, 1));
 * await envs.close();
 * ```
 */
export class AsyncVectorEnv<Obs = unknown, Act = unknown> extends VectorEnv<Obs, Act> {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<unknown>;
  readonly singleActionSpace: Space<unknown>;
  readonly observationSpace: Space<Obs>;
  readonly actionSpace: Space<Act>;
  readonly metadata: VectorMetadata;
  /** The env specs, normalised (module paths absolute). */
  readonly envSpecs: readonly VectorEnvSpec[];
  /** Whether reset/step return copies of the batched observation. */
  readonly copy: boolean;
  /** The autoreset rule (also in metadata.autoresetMode). */
  readonly autoresetMode: AutoresetMode;
  /** Default timeout of every call, in ms. */
  readonly timeoutMs: number;

  private readonly hosts: WorkerHost[];
  private readonly shared: SharedObservationBatch;
  private readonly sharedActions: SharedActionBatch | null;
  private readonly results: SharedResults;
  private readonly spinMicros: number;
  private readonly blockingWaitMs: number;
  private readonly everReset: boolean[];
  private readonly ended: boolean[];
  private readonly started: Promise<void>;
  private needsReset = true;
  private pending: string | null = null;
  private closed = false;
  private closedBecause: string | null = null;

  /**
   * @throws InvalidArgumentError for bad specs or options; WorkerError when an env cannot be
   *   built in its worker (naming the env) or the envs' spaces differ; TimeoutError when the
   *   workers do not start within startTimeoutMs.
   */
  constructor(envSpecs: readonly VectorEnvSpec[], opts: AsyncVectorEnvOptions = {}) {
    super();
    if (!Array.isArray(envSpecs) || envSpecs.length === 0)
      throw new InvalidArgumentError(`AsyncVectorEnv needs a non-empty array of env specs, got ${String(envSpecs)}`);
    this.envSpecs = envSpecs.map((s, i) => normalizeEnvSpec(s, i));
    this.numEnvs = envSpecs.length;
    this.autoresetMode = parseAutoresetMode(opts.autoresetMode ?? AutoresetMode.NEXT_STEP);
    this.copy = opts.copy ?? true;
    const { timeoutMs, startTimeoutMs, spinMicros, blockingWaitMs, workerSpinMicros, workers } = resolveTimings(
      opts,
      this.numEnvs,
    );
    this.timeoutMs = timeoutMs;
    this.spinMicros = spinMicros;
    this.blockingWaitMs = blockingWaitMs;

    if (opts.observationSpace !== undefined && opts.actionSpace !== undefined) {
      this.singleObservationSpace = opts.observationSpace;
      this.singleActionSpace = opts.actionSpace;
      this.metadata = { renderModes: [], ...opts.metadata, autoresetMode: this.autoresetMode };
    } else {
      // Gymnasium's dummy env: build env 0 here once to read its spaces and metadata.
      const probe = buildEnvSync(this.envSpecs[0] as VectorEnvSpec);
      this.singleObservationSpace = probe.observationSpace;
      this.singleActionSpace = probe.actionSpace;
      this.metadata = { ...probe.metadata, autoresetMode: this.autoresetMode };
      this.renderMode = probe.renderMode;
      void probe.close().catch(() => undefined);
    }
    this.observationSpace = batchSpace(this.singleObservationSpace, this.numEnvs) as Space<Obs>;
    this.actionSpace = batchSpace(this.singleActionSpace, this.numEnvs) as Space<Act>;
    this.shared = new SharedObservationBatch(this.singleObservationSpace, this.numEnvs);
    this.sharedActions = hasSharedActions(this.singleActionSpace)
      ? new SharedActionBatch(this.singleActionSpace, this.numEnvs)
      : null;
    this.results = createSharedResults(this.numEnvs);
    this.everReset = new Array<boolean>(this.numEnvs).fill(false);
    this.ended = new Array<boolean>(this.numEnvs).fill(false);
    const hostOptions = {
      autoresetMode: this.autoresetMode,
      workerSpinMicros,
      resourceLimits: opts.resourceLimits,
      execArgv: opts.execArgv,
    };
    this.hosts = splitEnvs(this.numEnvs, workers).map((indices) => {
      const host = new WorkerHost(
        WORKER_FILE,
        indices,
        indices.map((i) => this.envSpecs[i] as VectorEnvSpec),
        hostOptions,
      );
      host.send({
        kind: "setup",
        buffers: this.shared.buffers,
        results: this.results,
        actions: this.sharedActions?.buffer ?? null,
      });
      return host;
    });
    this.started = this.start(startTimeoutMs);
    this.started.catch(() => undefined);
  }

  /** Number of this vector env's worker threads that have not exited yet. */
  get runningWorkers(): number {
    return this.hosts.filter((h) => !h.dead).length;
  }

  /**
   * Resolves once every worker has built its envs (reset/step/... wait for this by themselves).
   * @throws WorkerError when an env cannot be built in its worker (naming the env), its spaces
   *   differ from env 0's, or the worker dies; TimeoutError after startTimeoutMs.
   */
  async whenReady(): Promise<void> {
    await this.started;
  }

  /** Wait for every worker's hello (checking its spaces) and setup reply. */
  private async start(startTimeoutMs: number): Promise<void> {
    const deadline = performance.now() + startTimeoutMs;
    try {
      const hellos = await settleAll(
        this.hosts.map((h) =>
          h.receive<HelloReply>("constructor", startTimeoutMs, deadline).then((r) => payload(r, "constructor")),
        ),
      );
      hellos.forEach((h, w) => {
        const i = (this.hosts[w] as WorkerHost).envIndices[0];
        const obs = spaceFromJSON(h.observationSpace);
        const act = spaceFromJSON(h.actionSpace);
        if (!obs.equals(this.singleObservationSpace) || !act.equals(this.singleActionSpace)) {
          throw new WorkerError(
            `AsyncVectorEnv: env ${i} has spaces ${obs} / ${act}, expected ${this.singleObservationSpace} / ${this.singleActionSpace}`,
            i ?? null,
          );
        }
      });
      await settleAll(this.hosts.map((h) => h.receive("setup", startTimeoutMs, deadline)));
    } catch (e) {
      await this.shutdown(e as Error);
      throw e;
    }
  }

  async reset(opts: VectorResetOptions = {}): Promise<[Obs, Infos]> {
    this.assertUsable("reset");
    const seeds = envSeeds(opts.seed, this.numEnvs);
    const { envOptions, resetMask } = splitResetOptions(opts.options, this.numEnvs);
    if (resetMask !== null) {
      const never = this.everReset.findIndex((done, i) => !done && !resetMask[i]);
      if (never >= 0)
        throw new ResetNeededError(
          `reset: env ${never} was never reset; reset all envs before a partial reset with options.resetMask`,
        );
    }
    const options = toWire(envOptions);
    const requests = new Map<WorkerHost, WorkerRequest>();
    for (const h of this.hosts) {
      const mask = resetMask === null ? null : h.envIndices.map((i) => resetMask[i] as boolean);
      if (mask !== null && !mask.includes(true)) continue;
      requests.set(h, { kind: "reset", seeds: h.envIndices.map((i) => seeds[i]), options, mask });
    }
    const replies = await this.roundTrip<ResetReply>("reset", requests, opts.timeoutMs);
    const infos: Infos = {};
    for (const [h, r] of replies) {
      const reply = payload(r, "reset");
      h.envIndices.forEach((i, k) => {
        if (resetMask !== null && !resetMask[i]) return;
        this.everReset[i] = true;
        this.ended[i] = false;
        const info = reply.infos[k];
        const rest = reply.rest[k];
        if (rest !== null && rest !== undefined && rest.length > 0) this.shared.setMessageLeaves(i, rest.map(fromWire));
        if (info !== null && info !== undefined) addInfo(infos, fromWire(info) as Infos, i, this.numEnvs);
      });
    }
    this.needsReset = false;
    return [this.output(), infos];
  }

  async step(actions: Act, opts: VectorStepOptions = {}): Promise<VectorStepResult<Obs>> {
    this.assertUsable("step");
    if (this.needsReset) throw new ResetNeededError("Cannot call step() on a vector env before calling reset()");
    const list = splitActions(this.singleActionSpace, this.actionSpace, actions, this.numEnvs);
    validateActions(this.singleActionSpace, list);
    if (this.autoresetMode === AutoresetMode.DISABLED) assertNoneEnded(this.ended);
    const requests = new Map<WorkerHost, WorkerRequest | null>();
    if (this.sharedActions !== null) {
      this.sharedActions.write(list);
      for (const h of this.hosts) requests.set(h, null);
    } else {
      for (const h of this.hosts) requests.set(h, { kind: "step", actions: h.envIndices.map((i) => toWire(list[i])) });
    }
    const replies = await this.roundTrip<StepReply>("step", requests, opts.timeoutMs);
    const n = this.numEnvs;
    const { rewards: sharedRewards, terminated: sharedTerminated, truncated: sharedTruncated } = this.results;
    const rewards = sharedRewards.slice();
    const terminated = new Array<boolean>(n);
    const truncated = new Array<boolean>(n);
    for (let i = 0; i < n; i++) {
      terminated[i] = sharedTerminated[i] === 1;
      truncated[i] = sharedTruncated[i] === 1;
      this.ended[i] = this.autoresetMode !== AutoresetMode.SAME_STEP && (terminated[i] || truncated[i]);
    }
    const infos: Infos = {};
    for (const [h, extras] of replies) {
      if (extras === null) continue;
      h.envIndices.forEach((i, k) => {
        const rest = extras.rest[k];
        if (rest !== null && rest !== undefined) this.shared.setMessageLeaves(i, rest.map(fromWire));
        const final = extras.finals[k];
        if (final !== null && final !== undefined) {
          const f = fromWire(final) as { obs: unknown; info: Infos };
          addInfo(infos, { finalObs: f.obs, finalInfo: f.info }, i, n);
        }
        const info = extras.infos[k];
        if (info !== null && info !== undefined) addInfo(infos, fromWire(info) as Infos, i, n);
      });
    }
    return [this.output(), rewards, terminated, truncated, infos];
  }

  async call(name: string, ...args: unknown[]): Promise<unknown[]> {
    this.assertUsable(`call(${JSON.stringify(name)})`);
    const request: WorkerRequest = { kind: "call", name, args: toWire(args) as unknown[] };
    return this.collectValues(`call(${JSON.stringify(name)})`, request);
  }

  async getAttr(name: string): Promise<unknown[]> {
    this.assertUsable(`getAttr(${JSON.stringify(name)})`);
    return this.collectValues(`getAttr(${JSON.stringify(name)})`, { kind: "getAttr", name });
  }

  async setAttr(name: string, values: unknown): Promise<void> {
    this.assertUsable(`setAttr(${JSON.stringify(name)})`);
    const list = perEnvValues(values, this.numEnvs);
    const requests = new Map<WorkerHost, WorkerRequest>();
    for (const h of this.hosts)
      requests.set(h, { kind: "setAttr", name, values: h.envIndices.map((i) => toWire(list[i])) });
    await this.roundTrip(`setAttr(${JSON.stringify(name)})`, requests, undefined);
  }

  /**
   * Close every sub-env in its worker (waiting at most the call timeout, capped at 5 s), then
   * terminate all workers. Safe to call more than once.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closedBecause = "close() was called";
    const timeoutMs = Math.min(this.timeoutMs, 5000);
    const live = this.hosts.filter((h) => !h.dead && h.answered);
    for (const h of live) h.send({ kind: "close" });
    await Promise.allSettled(live.map((h) => h.receive("close", timeoutMs)));
    await Promise.all(this.hosts.map((h) => h.terminate()));
  }

  /** The batch (a copy unless copy is false). */
  private output(): Obs {
    return (this.copy ? cloneValue(this.shared.batch) : this.shared.batch) as Obs;
  }

  private async collectValues(method: string, request: WorkerRequest): Promise<unknown[]> {
    const requests = new Map<WorkerHost, WorkerRequest>(this.hosts.map((h) => [h, request]));
    const replies = await this.roundTrip<ValuesReply>(method, requests, undefined);
    const out = new Array<unknown>(this.numEnvs);
    for (const [h, reply] of replies)
      h.envIndices.forEach((i, k) => (out[i] = fromWire(payload(reply, method).values[k])));
    return out;
  }

  /**
   * Send each host its request and wait for all replies. On any failure (an env threw, a worker
   * died, a timeout) every worker is terminated and the first error is thrown.
   */
  private async roundTrip<T>(
    method: string,
    requests: Map<WorkerHost, WorkerRequest | null>,
    timeoutMs: number | undefined,
  ): Promise<Map<WorkerHost, T | null>> {
    const ms = timeoutMs === undefined ? this.timeoutMs : positiveMs(timeoutMs, "timeoutMs");
    this.pending = method;
    try {
      await this.started;
      const sent: WorkerHost[] = [];
      try {
        for (const [h, request] of requests) {
          h.send(request);
          sent.push(h);
        }
      } catch (e) {
        // A value the structured clone refuses (a function, ...): let the workers that got their
        // request answer, so that replies stay in step with requests, then report it.
        await Promise.allSettled(sent.map((h) => h.receive(method, ms)));
        throw new InvalidArgumentError(`${method}: a value cannot be sent to a worker (${(e as Error).message})`);
      }
      spinForReplies([...requests.keys()], this.spinMicros);
      blockForReplies([...requests.keys()], Math.min(this.blockingWaitMs, ms));
      const deadline = performance.now() + ms;
      const settled = await Promise.allSettled([...requests.keys()].map((h) => h.receive<T>(method, ms, deadline)));
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
      if (failed !== undefined) {
        const reason = failed.reason as Error;
        await this.shutdown(reason);
        throw reason;
      }
      const out = new Map<WorkerHost, T | null>();
      [...requests.keys()].forEach((h, k) => out.set(h, (settled[k] as PromiseFulfilledResult<T | null>).value));
      return out;
    } finally {
      this.pending = null;
    }
  }

  /** Terminate every worker after a failure; later calls throw ClosedEnvError naming it. */
  private async shutdown(reason: Error): Promise<void> {
    this.closed = true;
    this.closedBecause = `a worker failed: ${reason.message.split("\n")[0]}`;
    await Promise.all(this.hosts.map((h) => h.terminate()));
  }

  private assertUsable(method: string): void {
    if (this.closed)
      throw new ClosedEnvError(
        `${this.toString()} is closed (${this.closedBecause ?? "closed"}); cannot call ${method}`,
      );
    if (this.pending !== null)
      throw new InvalidArgumentError(
        `${this.toString()}: cannot call ${method} while ${this.pending} is still pending (await it first)`,
      );
  }
}
