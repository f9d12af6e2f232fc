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
  const q = (v: number, lo: number, hi: number): number =>
    Math.min(BINS - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * BINS)));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
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
  // Counts (integers; int32 increments are cheaper than float64 ones in the histogram loop).
  private readonly fg = new Int32Array(BIN_COUNT);
  private readonly bg = new Int32Array(BIN_COUNT);
  private readonly ratio = new Float32Array(BIN_COUNT);
  private readonly map = new Float32Array(SAM_LOW_RES_SIZE * SAM_LOW_RES_SIZE);
  private readonly colSum = new Float32Array(SAM_LOW_RES_SIZE);
  private readonly inv = new Float32Array(SAM_LOW_RES_SIZE + 1);
  private readonly ring: Float32Array[] = [];

  /** Add the weighted, smoothed ratio to `logits` (row stride 256) over the [height, width] image region. */
  apply(logits: Float32Array, bins: Uint16Array, height: number, width: number, s: ColourModelSettings): void {
    if (!this.ratioMap(logits, bins, height, width, s)) return;
    this.addTo(logits, s.weight, height, width);
  }

  /**
   * The smoothed, clamped log-likelihood ratio map at weight 1 (what `apply` adds times its
   * weight), trained on the confident cells of `logits`; kept until the next call. Returns
   * false (and keeps no map) when there are no confident object or no confident background cells.
   */
  ratioMap(
    logits: Float32Array,
    bins: Uint16Array,
    height: number,
    width: number,
    s: Omit<ColourModelSettings, "weight">,
  ): boolean {
    const n = SAM_LOW_RES_SIZE;
    const { fg, bg, ratio, map } = this;
    fg.fill(0);
    bg.fill(0);
    let nf = 0,
      nb = 0;
    const c = s.confidence;
    for (let y = 0; y < height; y++) {
      const row = y * n;
      for (let p = row; p < row + width; p++) {
        const v = logits[p];
        if (v > c) {
          fg[bins[p]]++;
          nf++;
        } else if (v < -c) {
          bg[bins[p]]++;
          nb++;
        }
      }
    }
    if (nf === 0 || nb === 0) return false;
    const lf = Math.log(nf + BIN_COUNT),
      lb = Math.log(nb + BIN_COUNT);
    for (let i = 0; i < BIN_COUNT; i++) {
      const r = Math.log(fg[i] + 1) - lf - (Math.log(bg[i] + 1) - lb);
      ratio[i] = Math.max(-s.clamp, Math.min(s.clamp, r));
    }
    const r = s.smoothing;
    if (r <= 0) {
      for (let y = 0; y < height; y++) for (let p = y * n; p < y * n + width; p++) map[p] = ratio[bins[p]];
      return true;
    }
    this.boxRows(height, width, r, bins);
    this.boxColumns(height, width, r);
    return true;
  }

  /** logits += weight * the map of the last successful `ratioMap`, over the region. */
  addTo(logits: Float32Array, weight: number, height: number, width: number): void {
    const n = SAM_LOW_RES_SIZE,
      map = this.map;
    for (let y = 0; y < height; y++) for (let p = y * n; p < y * n + width; p++) logits[p] += weight * map[p];
  }

  /** 1 / (window size) of a box of radius r (shrinking at the ends) at each position of a line of length len. */
  private inverseCounts(len: number, r: number): Float32Array {
    const inv = this.inv;
    for (let i = 0; i < len; i++) inv[i] = 1 / (Math.min(len - 1, i + r) - Math.max(0, i - r) + 1);
    return inv;
  }

  /** map = box mean of radius r along each row of ratio[bins] (shrinking at the row ends). */
  private boxRows(height: number, width: number, r: number, bins: Uint16Array): void {
    const n = SAM_LOW_RES_SIZE,
      { ratio, map } = this;
    const inv = this.inverseCounts(width, r);
    for (let y = 0; y < height; y++) {
      const row = y * n;
      let sum = 0;
      for (let x = 0; x < Math.min(r, width); x++) sum += ratio[bins[row + x]];
      // x in [0, a): only a value enters; [a, b): one enters, then one leaves; [b, width): only
      // one leaves (a = r + 1 and b = width - r when r + 1 <= width - r; else the general loop).
      const a = r + 1,
        b = width - r;
      if (a > b) {
        for (let x = 0; x < width; x++) {
          if (x + r < width) sum += ratio[bins[row + x + r]];
          if (x - r - 1 >= 0) sum -= ratio[bins[row + x - r - 1]];
          map[row + x] = sum * inv[x];
        }
        continue;
      }
      for (let x = 0; x < a; x++) {
        sum += ratio[bins[row + x + r]];
        map[row + x] = sum * inv[x];
      }
      for (let x = a; x < b; x++) {
        sum += ratio[bins[row + x + r]];
        sum -= ratio[bins[row + x - r - 1]];
        map[row + x] = sum * inv[x];
      }
      for (let x = b; x < width; x++) {
        sum -= ratio[bins[row + x - r - 1]];
        map[row + x] = sum * inv[x];
      }
    }
  }

  /** map = box mean of radius r along each column of map, row by row with running column sums. */
  private boxColumns(height: number, width: number, r: number): void {
    const n = SAM_LOW_RES_SIZE,
      { map, colSum } = this;
    // In place: row y is written after rows y - r - 1 (the last one subtracted) have been read,
    // so keep a ring of the r + 1 most recent source rows below the write position in `ring`.
    const ring = this.ringRows(r + 1);
    colSum.fill(0, 0, width);
    for (let y = 0; y < Math.min(r, height); y++) for (let x = 0; x < width; x++) colSum[x] += map[y * n + x];
    // One pass per row; per column the same float32 operations in the same order (add the entering
    // row, subtract the leaving one, keep the source, write the mean), so the map is unchanged.
    // The leaving row's ring slot is the one the current row is kept in: read before written.
    const fr = Math.fround;
    for (let y = 0; y < height; y++) {
      const add = y + r < height ? (y + r) * n : -1,
        sub = y - r - 1;
      const old = ring[(sub >= 0 ? sub : y) % (r + 1)],
        keep = ring[y % (r + 1)],
        row = y * n;
      const f = 1 / (Math.min(height - 1, y + r) - Math.max(0, y - r) + 1);
      for (let x = 0; x < width; x++) {
        let c = colSum[x];
        if (add >= 0) c = fr(c + map[add + x]);
        if (sub >= 0) c = fr(c - old[x]);
        colSum[x] = c;
        keep[x] = map[row + x];
        map[row + x] = c * f;
      }
    }
  }

  private ringRows(k: number): Float32Array[] {
    while (this.ring.length < k) this.ring.push(new Float32Array(SAM_LOW_RES_SIZE));
    return this.ring;
  }
}
