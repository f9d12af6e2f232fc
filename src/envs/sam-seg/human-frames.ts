import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { RenderFrame } from "../../core/types";
import { encodePng } from "../../data/image-io";

/**
 * Writes the 'human' render mode's frames as PNG files into a folder:
 * `<dir>/episode-<n>-step-<k>.png`, and says once (on stderr) where they go.
 */
export class HumanFrameWriter {
  /** Absolute folder of the frames. */
  readonly dir: string;
  private episode = 0;
  private announced = false;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Write one frame; step 0 starts a new episode number. Returns the file path. */
  async write(frame: RenderFrame, step: number): Promise<string> {
    if (step === 0) this.episode++;
    await mkdir(this.dir, { recursive: true });
    const file = join(
      this.dir,
      `episode-${String(this.episode).padStart(4, "0")}-step-${String(step).padStart(3, "0")}.png`,
    );
    await writeFile(file, encodePng(frame));
    if (!this.announced) {
      this.announced = true;
      process.stderr.write(`SamSegEnv: writing human-mode frames to ${this.dir}\n`);
    }
    return file;
  }
}
