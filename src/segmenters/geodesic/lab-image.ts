import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../../core/errors";
import type { SamFrame } from "../sam-frame";
import { SAM_LOW_RES_SIZE, samFrame } from "../sam-frame";

/**
 * A CIE Lab image on SAM's 256x256 low-res grid (the 1024 frame at 4 frame pixels per cell);
 * cells outside the image (padding) hold 0. Planes are row-major 256x256.
 */
export interface LowResLab {
  frame: SamFrame;
  /** Lightness, 0..100. */
  l: Float32Array;
  /** Green-red, about -128..127. */
  a: Float32Array;
  /** Blue-yellow, about -128..127. */
  b: Float32Array;
}

/** sRGB byte (in quarter steps, 0..1020) -> linear light, a lookup table. */
const SRGB_TO_LINEAR = (() => {
  const t = new Float32Array(1021);
  for (let i = 0; i < t.length; i++) {
    const v = i / 1020;
    t[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }
  return t;
})();

function labF(t: number): number {
  return t > 0.008856451679 ? Math.cbrt(t) : 7.787037037 * t + 16 / 116;
}

/**
 * Check an [H, W, 3] uint8 image and return its dimensions; the error names what is wrong.
 */
export function checkRgbImage(image: NdArray<Uint8Array>): [number, number] {
  const shape = image?.shape;
  if (!Array.isArray(shape) || shape.length !== 3 || shape[2] !== 3 || shape[0] < 1 || shape[1] < 1) {
    throw new InvalidArgumentError(`image must be an [H, W, 3] uint8 ndarray, got shape [${shape?.join(", ")}]`);
  }
  return [shape[0], shape[1]];
}

/**
 * Area-average an [H, W, 3] uint8 RGB image onto the 256x256 low-res SAM grid and convert to
 * CIE Lab (D65). Each low-res cell averages the image pixels whose centres fall inside it.
 */
export function lowResLab(image: NdArray<Uint8Array>): LowResLab {
  const [h, w] = checkRgbImage(image);
  const frame = samFrame([h, w]);
  const n = SAM_LOW_RES_SIZE;
  const { lowResHeight: lh, lowResWidth: lw } = frame;
  // Image pixel row r belongs to low-res row floor((r + 0.5) * newH / H / 4).
  const rowCell = new Int32Array(h),
    colCell = new Int32Array(w);
  for (let r = 0; r < h; r++) rowCell[r] = Math.min(lh - 1, Math.floor(((r + 0.5) * frame.newHeight) / h / 4));
  for (let c = 0; c < w; c++) colCell[c] = Math.min(lw - 1, Math.floor(((c + 0.5) * frame.newWidth) / w / 4));
  const sum = new Float32Array(lh * lw * 3);
  const count = new Float32Array(lh * lw);
  const src = image.data;
  const [s0, s1, s2] = image.stride;
  for (let r = 0; r < h; r++) {
    const rowBase = rowCell[r] * lw;
    const ib = image.offset + r * s0;
    for (let c = 0; c < w; c++) {
      const cell = rowBase + colCell[c];
      const p = ib + c * s1;
      sum[cell * 3] += src[p];
      sum[cell * 3 + 1] += src[p + s2];
      sum[cell * 3 + 2] += src[p + 2 * s2];
      count[cell] += 1;
    }
  }
  const l = new Float32Array(n * n),
    a = new Float32Array(n * n),
    b = new Float32Array(n * n);
  for (let y = 0; y < lh; y++) {
    for (let x = 0; x < lw; x++) {
      const cell = y * lw + x;
      let k = count[cell];
      if (k === 0) {
        // No pixel centre fell in this cell (an upscaled small image): sample the nearest pixel.
        const r = Math.min(h - 1, Math.floor(((y + 0.5) * 4 * h) / frame.newHeight));
        const c = Math.min(w - 1, Math.floor(((x + 0.5) * 4 * w) / frame.newWidth));
        const p = image.offset + r * s0 + c * s1;
        sum[cell * 3] = src[p];
        sum[cell * 3 + 1] = src[p + s2];
        sum[cell * 3 + 2] = src[p + 2 * s2];
        k = 1;
      }
      const q = 4 / k;
      const rl = SRGB_TO_LINEAR[Math.round(sum[cell * 3] * q)];
      const gl = SRGB_TO_LINEAR[Math.round(sum[cell * 3 + 1] * q)];
      const bl = SRGB_TO_LINEAR[Math.round(sum[cell * 3 + 2] * q)];
      const fx = labF((0.4124564 * rl + 0.3575761 * gl + 0.1804375 * bl) / 0.95047);
      const fy = labF(0.2126729 * rl + 0.7151522 * gl + 0.072175 * bl);
      const fz = labF((0.0193339 * rl + 0.119192 * gl + 0.9503041 * bl) / 1.08883);
      const o = y * n + x;
      l[o] = 116 * fy - 16;
      a[o] = 500 * (fx - fy);
      b[o] = 200 * (fy - fz);
    }
  }
  return { frame, l, a, b };
}
