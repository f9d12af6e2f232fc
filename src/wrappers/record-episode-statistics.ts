import { Wrapper, InvalidArgumentError } from "../core";
import type { Env, Info, ResetOptions, StepResult } from "../core";

/** The statistics of one finished episode, put in `info[statsKey]` on its last step. */
export interface EpisodeStatistics {
  /** Sum of the rewards of the episode. */
  r: number;
  /** Number of steps of the episode. */
  l: number;
  /** Wall time from reset to the last step, in seconds (rounded to microseconds). */
  t: number;
}

/** Options of {@link RecordEpisodeStatistics}. */
export interface RecordEpisodeStatisticsOptions {
  /** Capacity of `returnQueue`, `lengthQueue` and `timeQueue` (default 100). */
  bufferLength?: number;
  /** The info key of the statistics (default "episode"). */
  statsKey?: string;
}

/**
 * Tracks episode returns, lengths and durations (Gymnasium's `RecordEpisodeStatistics`). On the
 * step that ends an episode (terminated or truncated), `info.episode = {r, l, t}` is added, and
 * the values are appended to `returnQueue`, `lengthQueue` and `timeQueue`, which keep the last
 * `bufferLength` episodes (oldest first). As in Gymnasium, the counters restart only when this
 * wrapper's `reset()` is called: with autoreset, use `new Autoreset(new RecordEpisodeStatistics(env))`.
 *
 * @example
 * ```ts
 * const env = new RecordEpisodeStatistics(make("CartPole-v1"));
 * await env.reset({ seed: 0 });
 * let info = {};
 * for (let done = false; !done; ) {
 *   const [, , term, trunc, i] = await env.step(0);
 *   done = term || trunc; info = i;
 * }
 * info.episode; // { r: 9, l: 9, t: 0.000412 } for example
 * ```
 */
export class RecordEpisodeStatistics<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act> {
  /** Returns of the last `bufferLength` episodes, oldest first. */
  readonly returnQueue: number[] = [];
  /** Lengths (steps) of the last `bufferLength` episodes, oldest first. */
  readonly lengthQueue: number[] = [];
  /** Durations (seconds) of the last `bufferLength` episodes, oldest first. */
  readonly timeQueue: number[] = [];
  /** Number of episodes finished so far. */
  episodeCount = 0;
  /** Return of the current episode so far. */
  episodeReturn = 0;
  /** Steps of the current episode so far. */
  episodeLength = 0;
  /** Capacity of the queues. */
  readonly bufferLength: number;
  /** The info key of the statistics. */
  readonly statsKey: string;
  private episodeStart = -1;

  /** @throws InvalidArgumentError when `bufferLength` is not a positive integer. */
  constructor(env: Env<Obs, Act>, opts: RecordEpisodeStatisticsOptions = {}) {
    super(env);
    const bufferLength = opts.bufferLength ?? 100;
    if (!Number.isSafeInteger(bufferLength) || bufferLength <= 0) {
      throw new InvalidArgumentError(
        `RecordEpisodeStatistics: bufferLength must be a positive integer, got ${String(bufferLength)}`,
      );
    }
    this.bufferLength = bufferLength;
    this.statsKey = opts.statsKey ?? "episode";
  }

  override async reset(opts?: ResetOptions): Promise<[Obs, Info]> {
    const result = await this.env.reset(opts);
    this.episodeStart = performance.now();
    this.episodeReturn = 0;
    this.episodeLength = 0;
    return result;
  }

  /** @throws InvalidArgumentError when the inner env already put `statsKey` in the final info. */
  override async step(action: Act): Promise<StepResult<Obs>> {
    const result = await this.env.step(action);
    this.episodeReturn += result[1];
    this.episodeLength += 1;
    if (result[2] || result[3]) {
      const info = result[4];
      if (this.statsKey in info) {
        throw new InvalidArgumentError(
          `RecordEpisodeStatistics: the env's info already has the key ${JSON.stringify(this.statsKey)}`,
        );
      }
      const now = performance.now();
      const seconds = Math.round((now - this.episodeStart) * 1000) / 1e6;
      const stats: EpisodeStatistics = { r: this.episodeReturn, l: this.episodeLength, t: seconds };
      info[this.statsKey] = stats;
      push(this.returnQueue, stats.r, this.bufferLength);
      push(this.lengthQueue, stats.l, this.bufferLength);
      push(this.timeQueue, stats.t, this.bufferLength);
      this.episodeCount += 1;
      this.episodeStart = now;
    }
    return result;
  }
}

function push(queue: number[], value: number, capacity: number): void {
  queue.push(value);
  if (queue.length > capacity) queue.shift();
}
