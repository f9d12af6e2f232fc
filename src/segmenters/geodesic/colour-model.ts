import type { LowResLab } from "./lab-image";
import { SAM_LOW_RES_SIZE } from "../sam-frame";

/** Bins per Lab axis of the colour histograms (8 x 8 x 8 = 512 bins). */
const BINS = 8;
const BIN_COUNT = BINS * BINS * BINS;

/**
 * The colour-histogram bin of every low-res cell (L in 0..100, a and b clamped to -80..80),
 * row stride 256; cells outside the image get bin 0 (they are never read).
 */
export function colourBins(lab: LowResLab): Uint16Array {
  const n = SAM_LOW_RES_SIZE;
  const out = new Uint16Array(n * n);
  const { lowResHeight: h, lowResWidth: w } = lab.frame;
  const q = (v: number, lo: number, hi: number): number => Math.min(BINS - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * BINS)));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const p = y * n + x;
    out[p] = (q(lab.l[p], 0, 100.001) * BINS + q(lab.a[p], -80, 80)) * BINS + q(lab.b[p], -80, 80);
  }
  return out;
}

/** Settings of {@link ColourModel.apply}. */
export interface ColourModelSettings {
  /** Multiplier of the log-likelihood ratio added to the logits. */
  weight: number;
  /** The ratio is clamped to +-clamp (nats) before weighting. */
  clamp: number;
  /** Only cells with |logit| > confidence train the histograms (object: > +c, background: < -c). */
  confidence: number;
  /** Radius (cells) of the box filter smoothing the ratio map; 0 = none. */
  smoothing: number;
}

/**
 * A one-step GrabCut-like colour model on the low-res grid: Lab histograms (512 bins,
 * Laplace-smoothed) of the confidently-object and confidently-background cells give a
 * log-likelihood ratio log p(c | object) / p(c | background) per cell, which is clamped,
 * box-smoothed (so single cells of a lucky colour do not flip) and added to the logits. It
 * reaches same-coloured parts that the geodesic paths do not. Holds reusable scratch buffers.
 */
export class ColourModel {
  private readonly fg = new Float64Array(BIN_COUNT);
  private readonly bg = new Float64Array(BIN_COUNT);
  private readonly ratio = new Float32Array(BIN_COUNT);
  private readonly map = new Float32Array(SAM_LOW_RES_SIZE * SAM_LOW_RES_SIZE);
  private readonly tmp = new Float32Array(SAM_LOW_RES_SIZE * SAM_LOW_RES_SIZE);

  /** Add the weighted, smoothed ratio to `logits` (row stride 256) over the [height, width] image region. */
  apply(logits: Float32Array, bins: Uint16Array, height: number, width: number, s: ColourModelSettings): void {
    const n = SAM_LOW_RES_SIZE;
    const { fg, bg, ratio, map, tmp } = this;
    fg.fill(0);
    bg.fill(0);
    let nf = 0, nb = 0;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      const p = y * n + x, v = logits[p];
      if (v > s.confidence) { fg[bins[p]]++; nf++; } else if (v < -s.confidence) { bg[bins[p]]++; nb++; }
    }
    if (nf === 0 || nb === 0) return;
    for (let i = 0; i < BIN_COUNT; i++) {
      const r = Math.log((fg[i] + 1) / (nf + BIN_COUNT)) - Math.log((bg[i] + 1) / (nb + BIN_COUNT));
      ratio[i] = s.weight * Math.max(-s.clamp, Math.min(s.clamp, r));
    }
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) map[y * n + x] = ratio[bins[y * n + x]];
    const r = s.smoothing;
    if (r > 0) {
      boxFilter(map, tmp, height, width, r, n, 1); // along rows: map -> tmp
      boxFilter(tmp, map, width, height, r, 1, n); // along columns: tmp -> map
    }
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) logits[y * n + x] += map[y * n + x];
  }
}

/**
 * 1-D box mean of radius r (shrinking at the ends) along lines of length `len`, `lines` of them;
 * element i of line j is at j * lineStride + i * step (the other of {1, 256}).
 */
function boxFilter(src: Float32Array, dst: Float32Array, lines: number, len: number, r: number, lineStride: number, step: number): void {
  for (let j = 0; j < lines; j++) {
    const base = j * lineStride;
    let sum = 0, lo = 0, hi = -1;
    for (let i = 0; i < len; i++) {
      const want = Math.min(len - 1, i + r);
      while (hi < want) sum += src[base + ++hi * step];
      while (lo < i - r) sum -= src[base + lo++ * step];
      dst[base + i * step] = sum / (hi - lo + 1);
    }
  }
}
