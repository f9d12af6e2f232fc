import type { LowResLab } from "./lab-image";
import { SAM_LOW_RES_SIZE } from "../sam-frame";

/** Bins per Lab axis of the colour histograms (8 x 8 x 8 = 512 bins). */
const BINS = 8;

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

/**
 * Add `weight` times the colour log-likelihood ratio log p(c | fg) / p(c | bg) (histograms of
 * the cells with logit > 0 vs <= 0, Laplace-smoothed, ratio clamped to +-clamp) to the logits
 * of the image region, in place: a one-step GrabCut-like colour model on top of the geodesic
 * labelling that reaches same-coloured parts the paths do not.
 */
export function addColourLikelihood(
  logits: Float32Array,
  bins: Uint16Array,
  height: number,
  width: number,
  weight: number,
  clamp: number,
): void {
  const n = SAM_LOW_RES_SIZE, k = BINS * BINS * BINS;
  const fg = new Float64Array(k), bg = new Float64Array(k);
  let nf = 0, nb = 0;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const p = y * n + x;
    if (logits[p] > 0) { fg[bins[p]]++; nf++; } else { bg[bins[p]]++; nb++; }
  }
  if (nf === 0 || nb === 0) return;
  const ratio = new Float32Array(k);
  for (let i = 0; i < k; i++) {
    const r = Math.log((fg[i] + 1) / (nf + k)) - Math.log((bg[i] + 1) / (nb + k));
    ratio[i] = weight * Math.max(-clamp, Math.min(clamp, r));
  }
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const p = y * n + x;
    logits[p] += ratio[bins[p]];
  }
}
