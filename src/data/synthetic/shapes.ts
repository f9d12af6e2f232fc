import type { Rng } from "../../core/rng";
import { InvalidArgumentError } from "../../core/errors";

/** Shape categories the synthetic generator can draw. */
export const SYNTHETIC_SHAPES = ["disc", "box", "triangle", "star", "blob", "ring"] as const;

/** One of {@link SYNTHETIC_SHAPES}. */
export type SyntheticShape = (typeof SYNTHETIC_SHAPES)[number];

/** A shape outline: the outer polygon and, for rings, the hole (flat [x0, y0, ...], pixels). */
export interface ShapeOutline {
  outer: number[];
  hole?: number[];
}

/** Round to 2 decimals, as COCO polygon files do (the mask is rasterised from the rounded values). */
const r2 = (v: number): number => Math.round(v * 100) / 100;

function regular(
  cx: number,
  cy: number,
  radii: (k: number, angle: number) => number,
  n: number,
  rot: number,
): number[] {
  const pts: number[] = [];
  for (let k = 0; k < n; k++) {
    const a = rot + (2 * Math.PI * k) / n;
    const r = radii(k, a);
    pts.push(r2(cx + r * Math.cos(a)), r2(cy + r * Math.sin(a)));
  }
  return pts;
}

/**
 * A random outline of `shape` centred at (cx, cy) with typical radius `r` (pixels), all
 * randomness from `rng`. Vertices are rounded to 2 decimals.
 */
export function shapeOutline(shape: SyntheticShape, rng: Rng, cx: number, cy: number, r: number): ShapeOutline {
  const rot = rng.uniform(0, 2 * Math.PI);
  switch (shape) {
    case "disc":
      return { outer: regular(cx, cy, () => r, 40, rot) };
    case "ring": {
      const inner = r * rng.uniform(0.4, 0.65);
      return { outer: regular(cx, cy, () => r, 40, rot), hole: regular(cx, cy, () => inner, 32, rot) };
    }
    case "box": {
      const hw = r * rng.uniform(0.7, 1.3);
      const hh = r * rng.uniform(0.45, 1.0);
      const c = Math.cos(rot);
      const s = Math.sin(rot);
      const outer: number[] = [];
      for (const [dx, dy] of [
        [-hw, -hh],
        [hw, -hh],
        [hw, hh],
        [-hw, hh],
      ] as const) {
        outer.push(r2(cx + dx * c - dy * s), r2(cy + dx * s + dy * c));
      }
      return { outer };
    }
    case "triangle": {
      const jit = [rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3)];
      const rad = [rng.uniform(0.8, 1.2), rng.uniform(0.8, 1.2), rng.uniform(0.8, 1.2)];
      const outer: number[] = [];
      for (let k = 0; k < 3; k++) {
        const a = rot + (2 * Math.PI * k) / 3 + (jit[k] as number);
        outer.push(r2(cx + r * (rad[k] as number) * Math.cos(a)), r2(cy + r * (rad[k] as number) * Math.sin(a)));
      }
      return { outer };
    }
    case "star": {
      const points = rng.random() < 0.7 ? 5 : 6;
      const inner = rng.uniform(0.38, 0.55);
      return { outer: regular(cx, cy, (k) => (k % 2 === 0 ? r : r * inner), points * 2, rot) };
    }
    case "blob": {
      const harmonics = [2, 3, 4, 5].map((k) => ({
        k,
        amp: rng.uniform(0, 0.22 / (k - 1)),
        phase: rng.uniform(0, 2 * Math.PI),
      }));
      return {
        outer: regular(
          cx,
          cy,
          (_k, a) => r * (1 + harmonics.reduce((acc, h) => acc + h.amp * Math.sin(h.k * a + h.phase), 0)),
          36,
          rot,
        ),
      };
    }
    default:
      throw new InvalidArgumentError(
        `unknown synthetic shape ${JSON.stringify(shape)}; known: ${SYNTHETIC_SHAPES.join(", ")}`,
      );
  }
}
