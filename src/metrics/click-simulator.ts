import type { MaskLike } from "./binary-grid";
import { assertSameShape, toBinaryGrid } from "./binary-grid";
import { DT_FAR, squaredDistanceTransformInPlace } from "./distance-transform";
import { InvalidArgumentError } from "../core/errors";

/** A simulated click: (x, y) image pixels (column, row) and its polarity. */
export interface SimulatedClick {
  /** Column, pixels. */
  x: number;
  /** Row, pixels. */
  y: number;
  /** true: a foreground (positive) click; false: background (negative). */
  positive: boolean;
}

/** Options of {@link nextClick}. */
export interface NextClickOptions {
  /** Earlier clicks (x, y) pixels; those pixels are never chosen again. */
  clicked?: ReadonlyArray<{ x: number; y: number }>;
  /** Pad the error maps with a 1-pixel zero border so the image border counts as boundary (default true). */
  padding?: boolean;
  /** [H, W] mask of pixels excluded from the errors (non-zero = ignored), e.g. GrabCut's 128 band. */
  ignore?: MaskLike;
}

/**
 * The standard click simulator (RITM / SimpleClick / FocalClick / SAM evaluations): the next
 * click goes to the pixel deepest inside the larger error region.
 *
 * 1. fn = gt & !pred, fp = !gt & pred, both without ignored pixels;
 * 2. (padding) a 1-pixel zero border is added, so the image border counts as boundary;
 * 3. exact Euclidean distance transforms of fn and fp, cropped, zeroed at earlier clicks;
 * 4. positive iff max(fn) > max(fp) (ties go negative), at the first pixel in row-major order
 *    (topmost, then leftmost) attaining that maximum.
 *
 * Returns null when no error pixel is left to click (the prediction is perfect outside the
 * ignored and already-clicked pixels).
 *
 * @param gt ground truth [H, W], non-zero = object.
 * @param pred current binary prediction [H, W], non-zero = object (threshold logits yourself).
 *
 * @example
 * ```ts
 * const click = nextClick(gt, pred, { clicked: [{ x: 3, y: 5 }] });
 * // { x: 11, y: 4, positive: false }
 * ```
 */
export function nextClick(gt: MaskLike, pred: MaskLike, opts: NextClickOptions = {}): SimulatedClick | null {
  const g = toBinaryGrid(gt, "gt");
  const p = toBinaryGrid(pred, "pred");
  assertSameShape(g, p, "gt", "pred");
  const ign = opts.ignore ? toBinaryGrid(opts.ignore, "ignore") : null;
  if (ign) assertSameShape(g, ign, "gt", "ignore");
  const { h, w } = g;
  const pad = (opts.padding ?? true) ? 1 : 0;
  const ph = h + 2 * pad,
    pw = w + 2 * pad;
  const fn = new Float64Array(ph * pw);
  const fp = new Float64Array(ph * pw);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const i = r * w + c;
      const j = (r + pad) * pw + c + pad;
      if (ign && ign.data[i]) continue;
      if (g.data[i] && !p.data[i]) fn[j] = DT_FAR;
      else if (!g.data[i] && p.data[i]) fp[j] = DT_FAR;
    }
  }
  squaredDistanceTransformInPlace(fn, ph, pw);
  squaredDistanceTransformInPlace(fp, ph, pw);
  for (const [k, pt] of (opts.clicked ?? []).entries()) {
    const x = Math.round(pt.x),
      y = Math.round(pt.y);
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new InvalidArgumentError(`clicked[${k}] = (${pt.x}, ${pt.y}) is not a finite point`);
    }
    if (x < 0 || y < 0 || x >= w || y >= h) continue;
    const j = (y + pad) * pw + x + pad;
    fn[j] = 0;
    fp[j] = 0;
  }
  const best = (dt: Float64Array): { value: number; at: number } => {
    let value = 0,
      at = -1;
    for (let r = pad; r < pad + h; r++) {
      const o = r * pw;
      for (let c = pad; c < pad + w; c++) {
        const v = dt[o + c];
        if (v > value) {
          value = v;
          at = o + c;
        }
      }
    }
    return { value, at };
  };
  const bn = best(fn),
    bp = best(fp);
  if (bn.at < 0 && bp.at < 0) return null;
  const positive = bn.value > bp.value;
  const at = positive ? bn.at : bp.at;
  return { x: (at % pw) - pad, y: Math.floor(at / pw) - pad, positive };
}
