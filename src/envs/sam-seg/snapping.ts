/**
 * The reference's refine_input_point: move a positive click that missed the ground truth onto
 * the foreground seen in a small window around it. Uses ground truth (privileged information).
 *
 * Window: h = trunc(patchSize / 2); columns [max(0, x-h), min(W, x+h)), rows [max(0, y-h),
 * min(H, y+h)) (14x14 for h = 7). If the click is on foreground, or the window has no
 * foreground, the point is unchanged; else it becomes (trunc(mean fg column), trunc(mean fg row)).
 *
 * @param gt ground truth [H, W] row-major, > 0 = foreground.
 * @param size [H, W].
 * @param point (x, y) integer pixels inside the image.
 * @param patchSize the action grid's effective patch size, pixels.
 * @returns the (possibly moved) point.
 * @example
 * ```ts
 * snapPositiveClick(gt, [375, 500], { x: 85, y: 52 }, 15.625); // { x: 90, y: 54 } for a box at x >= 90, y >= 50
 * ```
 */
export function snapPositiveClick(
  gt: Uint8Array,
  size: readonly [number, number],
  point: { x: number; y: number },
  patchSize: number,
): { x: number; y: number } {
  const [h, w] = size;
  const x = point.x;
  const y = point.y;
  if ((gt[y * w + x] as number) > 0) return { x, y };
  const half = Math.trunc(patchSize / 2);
  const x0 = Math.max(0, x - half);
  const x1 = Math.min(w, x + half);
  const y0 = Math.max(0, y - half);
  const y1 = Math.min(h, y + half);
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  for (let r = y0; r < y1; r++) {
    const row = r * w;
    for (let c = x0; c < x1; c++) {
      if ((gt[row + c] as number) > 0) {
        count++;
        sumX += c;
        sumY += r;
      }
    }
  }
  if (count === 0) return { x, y };
  return { x: Math.trunc(sumX / count), y: Math.trunc(sumY / count) };
}
