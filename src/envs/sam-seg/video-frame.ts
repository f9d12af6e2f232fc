import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import type { RenderFrame } from "../../core/types";
import type { Click } from "../../rewards/reward-context";
import { drawText, fillRect, measureText } from "../../data/draw";
import type { Rgb } from "../../data/draw";

/** Height of the title strip {@link titleSamSegFrame} adds above the panels, pixels. */
export const VIDEO_TITLE_HEIGHT = 24;

/** What the titled frame says. */
export interface SamSegVideoCaption {
  /** Clicks made so far in the episode (0 after reset). */
  step: number;
  /** The episode's click budget (maxSteps), or null when unlimited. */
  maxSteps: number | null;
  /** The clicks, at image resolution, numbered 1.. on the prediction panel. */
  clicks: readonly Click[];
  /** [H, W] of the episode's image (the clicks' coordinate frame). */
  imageShape: readonly [number, number];
}

const STRIP: Rgb = [32, 32, 32];
const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/**
 * A video frame from a SamSegEnv render ([h, 3w, 3]): a title strip above the three panels
 * ("image", "ground truth", "prediction, click k/N") and each click's number beside its disc
 * on the prediction panel. Returns a new [h + 24, 3w, 3] frame; the render is not changed.
 *
 * @example
 * ```ts
 * const titled = titleSamSegFrame(await env.render(), { step: 2, maxSteps: 5, clicks: env.clicks, imageShape: [375, 500] });
 * ```
 */
export function titleSamSegFrame(frame: RenderFrame, caption: SamSegVideoCaption): RenderFrame {
  const [h, width] = frame.shape as [number, number, number];
  const pw = Math.floor(width / 3);
  const out = ndarray(new Uint8Array((h + VIDEO_TITLE_HEIGHT) * width * 3), [h + VIDEO_TITLE_HEIGHT, width, 3]);
  fillRect(out, 0, 0, width, VIDEO_TITLE_HEIGHT, STRIP);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) out.set(y + VIDEO_TITLE_HEIGHT, x, c, frame.get(y, x, c));
    }
  }
  const titles = [
    "image",
    "ground truth",
    `prediction, click ${caption.step}${caption.maxSteps === null ? "" : `/${caption.maxSteps}`}`,
  ];
  titles.forEach((title, n) => {
    const { width: tw } = measureText(title, 2);
    drawText(out, title, n * pw + Math.max(4, Math.floor((pw - tw) / 2)), 3, {
      scale: 2,
      color: WHITE,
      descenders: true,
    });
  });
  const [ih, iw] = caption.imageShape;
  caption.clicks.forEach((click, k) => {
    const x = 2 * pw + Math.round(((click.x + 0.5) * pw) / iw) + 6;
    const y = VIDEO_TITLE_HEIGHT + Math.round(((click.y + 0.5) * h) / ih) - 7;
    drawText(out, String(k + 1), x, y, { scale: 2, color: WHITE, shadow: BLACK });
  });
  return out;
}

/** The parts of a SamSegEnv {@link titleSamSegEnvFrame} reads (its `unwrapped` env). */
interface SamSegView {
  clicks: Click[];
  options: { maxSteps: number | null; imgShape: readonly number[] };
}

/**
 * {@link titleSamSegFrame} with the caption read from the env (`env.unwrapped` must be a
 * SamSegEnv); frames of other envs are returned unchanged. Fits RecordVideo's `annotate` option.
 */
export function titleSamSegEnvFrame(
  frame: NdArray<Uint8Array>,
  env: { unwrapped: unknown },
  step: number,
): NdArray<Uint8Array> {
  const u = env.unwrapped as Partial<SamSegView>;
  if (!Array.isArray(u.clicks) || u.options === undefined) return frame;
  const [ih, iw] = u.options.imgShape as [number, number];
  return titleSamSegFrame(frame, { step, maxSteps: u.options.maxSteps, clicks: u.clicks, imageShape: [ih, iw] });
}
