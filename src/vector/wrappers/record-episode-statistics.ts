import { InvalidArgumentError } from "../../core/errors";
import { AutoresetMode } from "../autoreset-mode";
import type { Infos, VectorResetOptions, VectorStepOptions, VectorStepResult } from "../types";
import { splitResetOptions } from "../vector-args";
import type { VectorEnv } from "../vector-env";
import { VectorWrapper } from "./vector-wrapper";

/** Options of {@link VectorRecordEpisodeStatistics}. */
export interface VectorRecordEpisodeStatisticsOptions {
  /** Capacity of `returnQueue`, `lengthQueue` and `timeQueue` (default 100). */
  bufferLength?: number;
  /** The infos key of the statistics (default "episode"). */
  statsKey?: string;
}

/**
 * Tracks the return, length and wall time of every sub-env's episodes (Gymnasium's
 * `wrappers.vector.RecordEpisodeStatistics`). On a step where some envs' episodes end,
 * `infos.episode = {r, l, t}` (Float64Array [numEnvs] each: return, length in steps, seconds;
 * 0 for envs that did not end) and `infos._episode` (boolean[numEnvs]) are added, and the ended
 * episodes are appended to `returnQueue` / `lengthQueue` / `timeQueue` (last `bufferLength`,
 * oldest first). Aware of the autoreset mode: under NEXT_STEP (and DISABLED) the reset step
 * after an end belongs to no episode; under SAME_STEP every step counts and a new episode starts
 * right after the ending step.
 *
 * @example
 * ```ts
 * const envs = new VectorRecordEpisodeStatistics(makeVec("CartPole-v1", 4));
 * await envs.reset({ seed: 0 });
 * const [, , , , infos] = await envs.step(Int32Array.of(0, 1, 0, 1));
 * if (infos._episode) console.log((infos.episode as { r: Float64Array }).r);
 * ```
 */
export class VectorRecordEpisodeStatistics<Obs = unknown, Act = unknown> extends VectorWrapper<Obs, Act> {
  /** Number of episodes finished so far. */
  episodeCount = 0;
  /** Returns of the last finished episodes, oldest first. */
  readonly returnQueue: number[] = [];
  /** Lengths of the last finished episodes. */
  readonly lengthQueue: number[] = [];
  /** Durations (s) of the last finished episodes. */
  readonly timeQueue: number[] = [];
  /** The infos key of the statistics. */
  readonly statsKey: string;
  /** Capacity of the queues. */
  readonly bufferLength: number;

  private readonly mode: AutoresetMode;
  private readonly returns: Float64Array;
  private readonly lengths: Float64Array;
  private readonly startTimes: Float64Array;
  private readonly prevDones: boolean[];

  /** @throws InvalidArgumentError when bufferLength is not a positive integer. */
  constructor(env: VectorEnv<Obs, Act>, opts: VectorRecordEpisodeStatisticsOptions = {}) {
    super(env);
    this.bufferLength = opts.bufferLength ?? 100;
    if (!Number.isSafeInteger(this.bufferLength) || this.bufferLength < 1)
      throw new InvalidArgumentError(`bufferLength must be a positive integer, got ${String(opts.bufferLength)}`);
    this.statsKey = opts.statsKey ?? "episode";
    this.mode = env.metadata.autoresetMode ?? AutoresetMode.NEXT_STEP;
    const n = env.numEnvs;
    this.returns = new Float64Array(n);
    this.lengths = new Float64Array(n);
    this.startTimes = new Float64Array(n);
    this.prevDones = new Array<boolean>(n).fill(false);
  }

  override async reset(opts: VectorResetOptions = {}): Promise<[Obs, Infos]> {
    const { resetMask } = splitResetOptions(opts.options, this.numEnvs);
    const result = await this.env.reset(opts);
    const now = seconds();
    for (let i = 0; i < this.numEnvs; i++) {
      if (resetMask !== null && !resetMask[i]) continue;
      this.startTimes[i] = now;
      this.returns[i] = 0;
      this.lengths[i] = 0;
      this.prevDones[i] = false;
    }
    return result;
  }

  override async step(actions: Act, opts?: VectorStepOptions): Promise<VectorStepResult<Obs>> {
    const result = await this.env.step(actions, opts);
    const [, rewards, terminated, truncated, infos] = result;
    const n = this.numEnvs;
    const now = seconds();
    for (let i = 0; i < n; i++) {
      if (this.mode !== AutoresetMode.SAME_STEP && this.prevDones[i]) {
        // NEXT_STEP reset step: not part of any episode; the new episode starts now.
        this.returns[i] = 0;
        this.lengths[i] = 0;
        this.startTimes[i] = now;
      } else {
        this.returns[i] = (this.returns[i] as number) + (rewards[i] as number);
        this.lengths[i] = (this.lengths[i] as number) + 1;
      }
    }
    const dones = terminated.map((t, i) => t || (truncated[i] as boolean));
    if (dones.includes(true)) {
      if (this.statsKey in infos || `_${this.statsKey}` in infos) {
        throw new InvalidArgumentError(
          `VectorRecordEpisodeStatistics: infos already has the key ${JSON.stringify(this.statsKey)}`,
        );
      }
      const r = new Float64Array(n);
      const l = new Float64Array(n);
      const t = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        if (!dones[i]) continue;
        r[i] = this.returns[i] as number;
        l[i] = this.lengths[i] as number;
        t[i] = Math.round((now - (this.startTimes[i] as number)) * 1e6) / 1e6;
        this.push(r[i] as number, l[i] as number, t[i] as number);
        if (this.mode === AutoresetMode.SAME_STEP) {
          // Already reset inside this step: the next episode starts now.
          this.returns[i] = 0;
          this.lengths[i] = 0;
          this.startTimes[i] = now;
        }
      }
      infos[this.statsKey] = { r, l, t };
      infos[`_${this.statsKey}`] = dones;
    }
    dones.forEach((d, i) => (this.prevDones[i] = d));
    return result;
  }

  private push(r: number, l: number, t: number): void {
    this.episodeCount += 1;
    for (const [queue, v] of [
      [this.returnQueue, r],
      [this.lengthQueue, l],
      [this.timeQueue, t],
    ] as const) {
      queue.push(v);
      if (queue.length > this.bufferLength) queue.shift();
    }
  }
}

function seconds(): number {
  return performance.now() / 1000;
}
