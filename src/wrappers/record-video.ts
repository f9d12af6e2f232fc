// Node's fs is imported lazily (only when a video is written), so importing the wrappers
// never pulls a Node builtin into a browser bundle.
import type { NdArray } from "ndarray";
import type { Env } from "../core/env";
import { InvalidArgumentError } from "../core/errors";
import type { Info, RenderFrame, ResetOptions, StepResult } from "../core/types";
import { Wrapper } from "../core/wrapper";
import { encodeGif } from "./gif-encoder";
import { requireNodeBuiltin } from "../core/node-builtins";

/**
 * Gymnasium's default episode trigger (`capped_cubic_video_schedule`): episodes 0, 1, 8, 27,
 * ..., 729 (perfect cubes below 1000), then every 1000th episode.
 */
export function cappedCubicVideoSchedule(episodeId: number): boolean {
  if (episodeId < 1000) return Math.round(Math.cbrt(episodeId)) ** 3 === episodeId;
  return episodeId % 1000 === 0;
}

/** Options of {@link RecordVideo}. */
export interface RecordVideoOptions<Obs = unknown, Act = unknown> {
  /** Folder of the GIF files (created when the first video is written). */
  videoFolder: string;
  /** Which episodes to record, by episode id (0 for the first reset); default {@link cappedCubicVideoSchedule}. */
  episodeTrigger?: (episodeId: number) => boolean;
  /** File name prefix: `<namePrefix>-episode-<id>.gif` (default "rl-video"). */
  namePrefix?: string;
  /** Frames per second of the GIF (default: the env's metadata.renderFps, else 30). */
  fps?: number;
  /**
   * Change each frame before it is stored, e.g. add titles (`step` = steps taken in the episode
   * so far, 0 after reset). Default: frames as rendered.
   */
  annotate?: (frame: NdArray<Uint8Array>, env: Env<Obs, Act>, step: number) => NdArray<Uint8Array>;
  /** Called with the path of every video written (default: nothing). */
  onVideo?: (path: string) => void;
}

/**
 * Records episodes as animated GIFs (Gymnasium's `RecordVideo`, GIF instead of MP4): for every
 * episode the trigger selects, the frame after reset and after each step (from `render()`, so
 * the env must have renderMode "rgb_array") are written to
 * `<videoFolder>/<namePrefix>-episode-<id>.gif` when the episode ends, when the next reset
 * comes first, or on close().
 *
 * @example
 * ```ts
 * const env = new RecordVideo(make("CartPole-v1", { renderMode: "rgb_array" }), {
 *   videoFolder: "runs/videos", episodeTrigger: (id) => id % 10 === 0,
 * });
 * ```
 */
export class RecordVideo<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act> {
  /** Folder of the videos, as given. */
  readonly videoFolder: string;
  /** Paths of the videos written so far. */
  readonly videos: string[] = [];
  private readonly trigger: (episodeId: number) => boolean;
  private readonly namePrefix: string;
  private readonly fps: number;
  private readonly annotate: RecordVideoOptions<Obs, Act>["annotate"];
  private readonly onVideo: (path: string) => void;
  private episodeId = -1;
  private frames: NdArray<Uint8Array>[] | null = null;
  private steps = 0;

  constructor(env: Env<Obs, Act>, options: RecordVideoOptions<Obs, Act>) {
    super(env);
    if (env.renderMode !== "rgb_array") {
      throw new InvalidArgumentError(
        `RecordVideo needs an env with renderMode "rgb_array", got ${JSON.stringify(env.renderMode)}`,
      );
    }
    if (typeof options.videoFolder !== "string" || options.videoFolder === "") {
      throw new InvalidArgumentError(
        `RecordVideo videoFolder must be a non-empty path, got ${JSON.stringify(options.videoFolder)}`,
      );
    }
    this.videoFolder = options.videoFolder;
    this.trigger = options.episodeTrigger ?? cappedCubicVideoSchedule;
    this.namePrefix = options.namePrefix ?? "rl-video";
    this.fps = options.fps ?? env.metadata.renderFps ?? 30;
    this.annotate = options.annotate;
    this.onVideo = options.onVideo ?? ((): void => {});
  }

  /** True while an episode is being recorded. */
  get recording(): boolean {
    return this.frames !== null;
  }

  override async reset(opts?: ResetOptions): Promise<[Obs, Info]> {
    await this.stopRecording();
    const result = await this.env.reset(opts);
    this.episodeId++;
    this.steps = 0;
    if (this.trigger(this.episodeId)) {
      this.frames = [];
      await this.capture();
    }
    return result;
  }

  override async step(action: Act): Promise<StepResult<Obs>> {
    const result = await this.env.step(action);
    if (this.frames !== null) {
      this.steps++;
      await this.capture();
      if (result[2] || result[3]) await this.stopRecording();
    }
    return result;
  }

  /** Write the episode being recorded (if any) now; resolves to its path, or null. */
  async stopRecording(): Promise<string | null> {
    const frames = this.frames;
    this.frames = null;
    if (frames === null || frames.length === 0) return null;
    const path = `${this.videoFolder.replace(/[\\/]+$/, "")}/${this.namePrefix}-episode-${this.episodeId}.gif`;
    const fs = requireNodeBuiltin("node:fs/promises", "RecordVideo (writing GIF files)");
    await fs.mkdir(this.videoFolder, { recursive: true });
    await fs.writeFile(path, encodeGif(frames, { fps: this.fps }));
    this.videos.push(path);
    this.onVideo(path);
    return path;
  }

  /** Writes the episode being recorded, then closes the env. */
  override async close(): Promise<void> {
    await this.stopRecording();
    await this.env.close();
  }

  private async capture(): Promise<void> {
    const frame: RenderFrame | string | null = await this.env.render();
    if (frame === null || typeof frame === "string") {
      throw new InvalidArgumentError(
        `RecordVideo: render() returned ${frame === null ? "null" : "a string"}, expected an [H, W, 3] frame`,
      );
    }
    this.frames?.push(this.annotate ? this.annotate(frame, this.env, this.steps) : frame);
  }
}
