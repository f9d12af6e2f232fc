import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import type { RenderFrame } from "../../core/types";
import type { Click } from "../../rewards/reward-context";
import { resize } from "../../data/resize";
import { drawText, fillDisc } from "../../data/draw";
import type { Rgb } from "../../data/draw";

/** Colour of positive clicks in renders (green). */
export const POSITIVE_CLICK_COLOR: Rgb = [0, 255, 0];
/** Colour of negative clicks in renders (red). */
export const NEGATIVE_CLICK_COLOR: Rgb = [255, 0, 0];
/** Radius of the click discs, pixels at image resolution. */
export const CLICK_RADIUS = 10;

/** What the three-panel frame shows. */
export interface SamSegFrameInput {
  /** The episode's image [H, W, 3] uint8. */
  image: NdArray<Uint8Array>;
  /** Instance masks [H, W, K] uint8 (> 0 inside instance k). */
  instances: NdArray<Uint8Array>;
  /** Predicted foreground probability, row-major H * W. */
  predProb: Float32Array;
  /** The episode's clicks so far. */
  clicks: readonly Click[];
  /** Target category (drawn as text). */
  category: string;
  /** Reward of the last step (drawn as "Reward: %.2f"). */
  reward: number;
  /** [h, w] of each panel. */
  panelShape: readonly [number, number];
}

/**
 * The reference's render frame: three panels of panelShape side by side ([h, 3w, 3] uint8):
 * the image; the ground truth with instance k grey (k + 1) * trunc(255 / K); the predicted
 * probability * 255 as grey with filled discs (radius 10, drawn at image resolution) at the
 * clicks, green for positive and red for negative. Panels are resized bilinearly. Text (5x7
 * bitmap font, white with a black shadow): the category with its baseline at (10, h / 2) and
 * "Reward: %.2f" at (10, h / 2 + 50).
 */
export function renderSamSegFrame(input: SamSegFrameInput): RenderFrame {
  const [h, w] = input.image.shape as [number, number, number];
  const [ph, pw] = input.panelShape;
  const k = input.instances.shape[2] as number;
  const greys = new Uint8Array(h * w * 3);
  const step = k > 0 ? Math.trunc(255 / k) : 0;
  for (let m = 0; m < k; m++) {
    const v = (m + 1) * step;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (input.instances.get(y, x, m) > 0) {
          const i = (y * w + x) * 3;
          greys[i] = greys[i + 1] = greys[i + 2] = v;
        }
      }
    }
  }
  const pred = new Uint8Array(h * w * 3);
  for (let i = 0; i < h * w; i++) {
    const v = Math.trunc((input.predProb[i] as number) * 255);
    pred[3 * i] = pred[3 * i + 1] = pred[3 * i + 2] = v;
  }
  const predImage = ndarray(pred, [h, w, 3]);
  for (const c of input.clicks)
    fillDisc(predImage, c.x, c.y, CLICK_RADIUS, c.positive ? POSITIVE_CLICK_COLOR : NEGATIVE_CLICK_COLOR);

  const panels = [input.image, ndarray(greys, [h, w, 3]), predImage].map((p) =>
    h === ph && w === pw ? p : resize(p, [ph, pw], "linear"),
  );
  const frame = ndarray(new Uint8Array(ph * pw * 3 * 3), [ph, 3 * pw, 3]);
  panels.forEach((p, n) => {
    for (let y = 0; y < ph; y++) {
      for (let x = 0; x < pw; x++) {
        for (let c = 0; c < 3; c++) frame.set(y, n * pw + x, c, p.get(y, x, c));
      }
    }
  });
  const textStyle = { scale: 2, color: [255, 255, 255] as Rgb, shadow: [0, 0, 0] as Rgb, anchor: "baseline" as const };
  drawText(frame, input.category, 10, Math.trunc(ph / 2), textStyle);
  drawText(frame, `Reward: ${input.reward.toFixed(2)}`, 10, Math.trunc(ph / 2) + 50, textStyle);
  return frame;
}
