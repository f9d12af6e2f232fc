/**
 * Clip a closed polygon (flat [x0, y0, x1, y1, ...], finite numbers) to the axis-aligned box
 * [x0, x1] x [y0, y1] (Sutherland-Hodgman, one box edge at a time). The result is flat again and
 * may have fewer than 3 vertices (the polygon missed the box) or degenerate edges along the box
 * boundary (from concave inputs), which rasterise to nothing.
 *
 * @example
 * ```ts
 * clipPolygonToBox([-10, 0, 10, 0, 10, 10], 0, 0, 5, 5); // the part of the triangle in the box
 * ```
 */
export function clipPolygonToBox(xy: ArrayLike<number>, x0: number, y0: number, x1: number, y1: number): number[] {
  let pts: number[] = Array.from(xy);
  // Each pass keeps the half-plane axis * sign <= bound (axis 0: x, 1: y).
  const passes: Array<[axis: 0 | 1, sign: 1 | -1, bound: number]> = [
    [0, -1, -x0],
    [0, 1, x1],
    [1, -1, -y0],
    [1, 1, y1],
  ];
  for (const [axis, sign, bound] of passes) {
    const n = pts.length / 2;
    if (n === 0) break;
    const out: number[] = [];
    const inside = (k: number): boolean => sign * (pts[2 * k + axis] as number) <= bound;
    for (let k = 0; k < n; k++) {
      const prev = (k + n - 1) % n;
      const cIn = inside(k);
      const pIn = inside(prev);
      if (cIn !== pIn) {
        const px = pts[2 * prev] as number;
        const py = pts[2 * prev + 1] as number;
        const cx = pts[2 * k] as number;
        const cy = pts[2 * k + 1] as number;
        const pa = axis === 0 ? px : py;
        const ca = axis === 0 ? cx : cy;
        const t = (sign * bound - pa) / (ca - pa);
        if (axis === 0) out.push(sign * bound, py + t * (cy - py));
        else out.push(px + t * (cx - px), sign * bound);
      }
      if (cIn) out.push(pts[2 * k] as number, pts[2 * k + 1] as number);
    }
    pts = out;
  }
  return pts;
}
