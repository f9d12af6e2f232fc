import { InvalidArgumentError } from "../core/errors";

/** Side of SAM's square input frame (pixels). */
export const SAM_FRAME_SIZE = 1024;
/** Side of SAM's low-res logits grid (covers the whole 1024 frame, 4 frame pixels per cell). */
export const SAM_LOW_RES_SIZE = 256;

/**
 * Where an [H, W] image sits in SAM's frames: resized so its longest side is 1024
 * (new size = trunc(old * scale + 0.5)) and zero-padded bottom/right to 1024x1024.
 */
export interface SamFrame {
  /** Original image rows / columns (pixels). */
  height: number;
  width: number;
  /** 1024 / max(H, W). */
  scale: number;
  /** Resized image rows / columns in the 1024 frame (pixels). */
  newHeight: number;
  newWidth: number;
  /** Rows / columns of the 256x256 low-res grid touched by the image: ceil(new / 4). */
  lowResHeight: number;
  lowResWidth: number;
}

/**
 * The SAM frame of an image of `imageSize` = [H, W] pixels.
 *
 * @example
 * ```ts
 * samFrame([375, 500]); // { scale: 2.048, newHeight: 768, newWidth: 1024, lowResHeight: 192, lowResWidth: 256, ... }
 * ```
 */
export function samFrame(imageSize: readonly [number, number]): SamFrame {
  const [h, w] = imageSize;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new InvalidArgumentError(`imageSize must be two positive integers [H, W], got [${h}, ${w}]`);
  }
  const scale = SAM_FRAME_SIZE / Math.max(h, w);
  const newHeight = Math.trunc(h * scale + 0.5);
  const newWidth = Math.trunc(w * scale + 0.5);
  const cell = SAM_FRAME_SIZE / SAM_LOW_RES_SIZE;
  return {
    height: h,
    width: w,
    scale,
    newHeight,
    newWidth,
    lowResHeight: Math.ceil(newHeight / cell),
    lowResWidth: Math.ceil(newWidth / cell),
  };
}

/**
 * Map an image point (x, y) pixels into the 1024 frame, as SAM's ResizeLongestSide does:
 * (x * newW / W, y * newH / H).
 */
export function toFramePoint(frame: SamFrame, x: number, y: number): [number, number] {
  return [(x * frame.newWidth) / frame.width, (y * frame.newHeight) / frame.height];
}

/**
 * The interpolation of one axis of {@link lowResToImage}: image pixel i (of `len`, `newLen` in
 * the 1024 frame) reads low-res cells lo[i] and hi[i] with weight wt[i] on hi.
 */
export function upsampleAxis(len: number, newLen: number, lo: Int32Array, hi: Int32Array, wt: Float32Array): void {
  const n = SAM_LOW_RES_SIZE;
  const f = newLen / len / (SAM_FRAME_SIZE / n);
  for (let i = 0; i < len; i++) {
    const s = Math.max(0, (i + 0.5) * f - 0.5);
    const a = Math.min(Math.floor(s), n - 1);
    lo[i] = a;
    hi[i] = Math.min(a + 1, n - 1);
    wt[i] = s - a;
  }
}

/** Both axes' tables of {@link upsampleAxis} for a frame (rows: y0, y1, wy; columns: x0, x1, wx). */
export function upsampleTables(frame: SamFrame): {
  y0: Int32Array;
  y1: Int32Array;
  wy: Float32Array;
  x0: Int32Array;
  x1: Int32Array;
  wx: Float32Array;
} {
  const { height: h, width: w } = frame;
  const t = {
    y0: new Int32Array(h),
    y1: new Int32Array(h),
    wy: new Float32Array(h),
    x0: new Int32Array(w),
    x1: new Int32Array(w),
    wx: new Float32Array(w),
  };
  upsampleAxis(h, frame.newHeight, t.y0, t.y1, t.wy);
  upsampleAxis(w, frame.newWidth, t.x0, t.x1, t.wx);
  return t;
}

/**
 * Bilinearly upsample low-res logits (planes of 256x256, SAM frame) to the original image
 * size: [k, 256, 256] -> [k, H, W] row-major. Each image pixel centre is mapped through the
 * 1024 frame (crop to newH x newW, then 4 frame pixels per low-res cell) with half-pixel
 * centres, which is SAM's upsample-crop-resize postprocessing folded into one interpolation.
 */
export function lowResToImage(lowRes: Float32Array, k: number, frame: SamFrame, out?: Float32Array): Float32Array {
  const { height: h, width: w } = frame;
  const n = SAM_LOW_RES_SIZE;
  const res = out ?? new Float32Array(k * h * w);
  const { y0, y1, wy, x0, x1, wx } = upsampleTables(frame);
  // Separable: interpolate the low-res rows the image needs along x once, then along y.
  const rows = Math.min(n, y1[h - 1] + 1);
  const horizontal = new Float32Array(rows * w);
  for (let m = 0; m < k; m++) {
    const src = m * n * n,
      dst = m * h * w;
    for (let r = 0; r < rows; r++) {
      const s = src + r * n,
        o = r * w;
      for (let c = 0; c < w; c++) {
        const a = lowRes[s + x0[c]];
        horizontal[o + c] = a + (lowRes[s + x1[c]] - a) * wx[c];
      }
    }
    for (let r = 0; r < h; r++) {
      const ra = y0[r] * w,
        rb = y1[r] * w,
        fy = wy[r],
        o = dst + r * w;
      for (let c = 0; c < w; c++) {
        const top = horizontal[ra + c];
        res[o + c] = top + (horizontal[rb + c] - top) * fy;
      }
    }
  }
  return res;
}
