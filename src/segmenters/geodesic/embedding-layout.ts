import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import type { LowResLab } from "./lab-image";
import type { SamFrame } from "../sam-frame";
import { SAM_LOW_RES_SIZE } from "../sam-frame";

/** Side of the embedding grid (SAM's 64x64, 16 frame pixels per cell). */
export const EMBEDDING_GRID = 64;
/** Summary channels the agent reads first (see {@link packEmbedding}). */
export const SUMMARY_CHANNELS = 8;
/** Lightness detail channels: the 256x256 L plane folded 4x4 into 16 channels of 64x64. */
const L_DETAIL_CHANNELS = 16;

/** Chroma resolution stored in the embedding: "half" = a, b at 128x128; "full" = at 256x256. */
export type ChromaResolution = "half" | "full";

/** Number of embedding channels for a chroma resolution: 32 (half) or 56 (full). */
export function embeddingChannels(chroma: ChromaResolution): number {
  return SUMMARY_CHANNELS + L_DETAIL_CHANNELS + (chroma === "half" ? 8 : 32);
}

/**
 * Pack a low-res Lab image into a self-contained embedding [C, 64, 64] float32:
 * - 0..7 summary features per 16x16-frame-pixel cell (what a policy looks at): mean L / 100,
 *   mean a / 128, mean b / 128, std of L / 25, mean colour-gradient magnitude / 25, L averaged
 *   over 2x2 and 4x4 cells / 100 (multi-scale context), fraction of the cell inside the image;
 * - 8..23: the 256x256 L plane / 100, space-to-depth 4x4 (channel 8 + 4 * dy + dx holds
 *   L[4i + dy, 4j + dx]);
 * - then a / 128 and b / 128, space-to-depth: at 128x128 (2x2, 4 channels each) for "half"
 *   chroma, at 256x256 (4x4, 16 channels each) for "full".
 * The detail channels let `predict` rebuild the 256x256 Lab image from the embedding alone, so
 * an embedding survives copies, worker transfer and the on-disk cache.
 */
export function packEmbedding(lab: LowResLab, chroma: ChromaResolution): NdArray<Float32Array> {
  const g = EMBEDDING_GRID,
    n = SAM_LOW_RES_SIZE,
    cells = g * g;
  const channels = embeddingChannels(chroma);
  const out = new Float32Array(channels * cells);
  const { l, a, b, frame } = lab;
  const { lowResHeight: lh, lowResWidth: lw } = frame;
  // Colour-gradient magnitude at 256 (forward differences inside the image).
  const grad = new Float32Array(n * n);
  for (let y = 0; y < lh; y++) {
    for (let x = 0; x < lw; x++) {
      const o = y * n + x;
      const ox = x + 1 < lw ? o + 1 : o,
        oy = y + 1 < lh ? o + n : o;
      const gx = (l[ox] - l[o]) ** 2 + (a[ox] - a[o]) ** 2 + (b[ox] - b[o]) ** 2;
      const gy = (l[oy] - l[o]) ** 2 + (a[oy] - a[o]) ** 2 + (b[oy] - b[o]) ** 2;
      grad[o] = Math.sqrt(gx + gy);
    }
  }
  for (let i = 0; i < g; i++) {
    for (let j = 0; j < g; j++) {
      let sl = 0,
        sa = 0,
        sb = 0,
        sll = 0,
        sg = 0,
        valid = 0;
      for (let dy = 0; dy < 4; dy++) {
        for (let dx = 0; dx < 4; dx++) {
          const y = 4 * i + dy,
            x = 4 * j + dx,
            o = y * n + x;
          out[(8 + 4 * dy + dx) * cells + i * g + j] = l[o] / 100;
          if (y >= lh || x >= lw) continue;
          valid++;
          sl += l[o];
          sa += a[o];
          sb += b[o];
          sll += l[o] * l[o];
          sg += grad[o];
        }
      }
      const c = i * g + j;
      if (valid > 0) {
        const ml = sl / valid;
        out[c] = ml / 100;
        out[cells + c] = sa / valid / 128;
        out[2 * cells + c] = sb / valid / 128;
        out[3 * cells + c] = Math.sqrt(Math.max(0, sll / valid - ml * ml)) / 25;
        out[4 * cells + c] = sg / valid / 25;
      }
      out[7 * cells + c] = valid / 16;
    }
  }
  // Multi-scale context: channel 0 (mean L) averaged over 2x2 and 4x4 groups of cells.
  for (const [ch, k] of [
    [5, 2],
    [6, 4],
  ] as const) {
    for (let i = 0; i < g; i++) {
      for (let j = 0; j < g; j++) {
        const i0 = i - (i % k),
          j0 = j - (j % k);
        let s = 0,
          m = 0;
        for (let u = i0; u < i0 + k; u++)
          for (let v = j0; v < j0 + k; v++) {
            const w = out[7 * cells + u * g + v];
            s += out[u * g + v] * w;
            m += w;
          }
        out[ch * cells + i * g + j] = m > 0 ? s / m : 0;
      }
    }
  }
  const base = SUMMARY_CHANNELS + L_DETAIL_CHANNELS;
  if (chroma === "full") {
    for (let i = 0; i < g; i++)
      for (let j = 0; j < g; j++)
        for (let dy = 0; dy < 4; dy++)
          for (let dx = 0; dx < 4; dx++) {
            const o = (4 * i + dy) * n + 4 * j + dx,
              c = i * g + j,
              k = 4 * dy + dx;
            out[(base + k) * cells + c] = a[o] / 128;
            out[(base + 16 + k) * cells + c] = b[o] / 128;
          }
  } else {
    for (let i = 0; i < g; i++)
      for (let j = 0; j < g; j++)
        for (let dy = 0; dy < 2; dy++)
          for (let dx = 0; dx < 2; dx++) {
            // 128-grid cell (2i + dy, 2j + dx) averages 256 cells (4i + 2dy + {0,1}, 4j + 2dx + {0,1}).
            const o = (4 * i + 2 * dy) * n + 4 * j + 2 * dx,
              c = i * g + j,
              k = 2 * dy + dx;
            out[(base + k) * cells + c] = (a[o] + a[o + 1] + a[o + n] + a[o + n + 1]) / 4 / 128;
            out[(base + 4 + k) * cells + c] = (b[o] + b[o + 1] + b[o + n] + b[o + n + 1]) / 4 / 128;
          }
  }
  return ndarray(out, [channels, g, g]);
}

/**
 * Rebuild the 256x256 Lab planes from an embedding made by {@link packEmbedding} (half chroma is
 * bilinearly upsampled). `data` is the embedding's dense [C, 64, 64] data.
 */
export function unpackLab(data: Float32Array, chroma: ChromaResolution, frame: SamFrame): LowResLab {
  const g = EMBEDDING_GRID,
    n = SAM_LOW_RES_SIZE,
    cells = g * g;
  const l = new Float32Array(n * n),
    a = new Float32Array(n * n),
    b = new Float32Array(n * n);
  const base = SUMMARY_CHANNELS + L_DETAIL_CHANNELS;
  for (let i = 0; i < g; i++)
    for (let j = 0; j < g; j++)
      for (let dy = 0; dy < 4; dy++)
        for (let dx = 0; dx < 4; dx++) {
          const o = (4 * i + dy) * n + 4 * j + dx,
            c = i * g + j,
            k = 4 * dy + dx;
          l[o] = data[(8 + k) * cells + c] * 100;
          if (chroma === "full") {
            a[o] = data[(base + k) * cells + c] * 128;
            b[o] = data[(base + 16 + k) * cells + c] * 128;
          }
        }
  if (chroma === "half") {
    const h = n / 2;
    const a2 = new Float32Array(h * h),
      b2 = new Float32Array(h * h);
    for (let i = 0; i < g; i++)
      for (let j = 0; j < g; j++)
        for (let dy = 0; dy < 2; dy++)
          for (let dx = 0; dx < 2; dx++) {
            const c = i * g + j,
              k = 2 * dy + dx,
              o = (2 * i + dy) * h + 2 * j + dx;
            a2[o] = data[(base + k) * cells + c] * 128;
            b2[o] = data[(base + 4 + k) * cells + c] * 128;
          }
    // Bilinear x2 upsampling with half-pixel centres, clamped to the image's 128-grid extent.
    const eh = Math.ceil(frame.lowResHeight / 2),
      ew = Math.ceil(frame.lowResWidth / 2);
    for (let y = 0; y < frame.lowResHeight; y++) {
      const sy = Math.min(Math.max(0, (y + 0.5) / 2 - 0.5), eh - 1);
      const y0 = Math.floor(sy),
        y1 = Math.min(y0 + 1, eh - 1),
        fy = sy - y0;
      for (let x = 0; x < frame.lowResWidth; x++) {
        const sx = Math.min(Math.max(0, (x + 0.5) / 2 - 0.5), ew - 1);
        const x0 = Math.floor(sx),
          x1 = Math.min(x0 + 1, ew - 1),
          fx = sx - x0;
        const o = y * n + x;
        const i00 = y0 * h + x0,
          i01 = y0 * h + x1,
          i10 = y1 * h + x0,
          i11 = y1 * h + x1;
        a[o] = (a2[i00] * (1 - fx) + a2[i01] * fx) * (1 - fy) + (a2[i10] * (1 - fx) + a2[i11] * fx) * fy;
        b[o] = (b2[i00] * (1 - fx) + b2[i01] * fx) * (1 - fy) + (b2[i10] * (1 - fx) + b2[i11] * fx) * fy;
      }
    }
  }
  return { frame, l, a, b };
}
