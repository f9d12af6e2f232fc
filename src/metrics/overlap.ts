import type { MaskLike } from "./binary-grid";
import { assertSameShape, toBinaryGrid } from "./binary-grid";

/** Counts of the 2x2 confusion table of two binary masks (pixels). */
interface Overlap {
  intersection: number;
  sizeA: number;
  sizeB: number;
}

function overlap(a: MaskLike, b: MaskLike, ignore?: MaskLike): Overlap {
  const ga = toBinaryGrid(a, "a");
  const gb = toBinaryGrid(b, "b");
  assertSameShape(ga, gb, "a", "b");
  const gi = ignore ? toBinaryGrid(ignore, "ignore") : null;
  if (gi) assertSameShape(ga, gi, "a", "ignore");
  let inter = 0,
    sa = 0,
    sb = 0;
  const n = ga.h * ga.w;
  for (let i = 0; i < n; i++) {
    if (gi && gi.data[i]) continue;
    const x = ga.data[i],
      y = gb.data[i];
    sa += x;
    sb += y;
    inter += x & y;
  }
  return { intersection: inter, sizeA: sa, sizeB: sb };
}

/**
 * Intersection over union |a ∩ b| / |a ∪ b| of two [H, W] masks (non-zero = inside), in [0, 1].
 * Pixels where `ignore` is non-zero are left out of both counts (GrabCut's boundary band).
 * Two empty masks agree perfectly: IoU 1.
 *
 * @example
 * ```ts
 * iou(pred, gt); // 0.83
 * ```
 */
export function iou(a: MaskLike, b: MaskLike, ignore?: MaskLike): number {
  const o = overlap(a, b, ignore);
  const union = o.sizeA + o.sizeB - o.intersection;
  return union === 0 ? 1 : o.intersection / union;
}

/**
 * Dice coefficient 2|a ∩ b| / (|a| + |b|) of two [H, W] masks (non-zero = inside), in [0, 1];
 * `ignore` as in {@link iou}. Two empty masks: 1.
 *
 * @example
 * ```ts
 * dice(pred, gt); // 0.91
 * ```
 */
export function dice(a: MaskLike, b: MaskLike, ignore?: MaskLike): number {
  const o = overlap(a, b, ignore);
  const total = o.sizeA + o.sizeB;
  return total === 0 ? 1 : (2 * o.intersection) / total;
}
