import type { Rng } from "../../core/rng";
import { polygonToRuns } from "../polygon";
import { rleDecode } from "../rle";
import { paintBackground, pixelNoise, randomColor, toRgb } from "./texture";
import { shapeOutline, type SyntheticShape } from "./shapes";

/** One drawn shape of a synthetic scene (before occlusion by later shapes). */
export interface SyntheticInstance {
  /** Index into the scene's categories. */
  category: number;
  /** Full mask [h*w] 0/1 of the shape (occluded parts included). */
  full: Uint8Array;
  /** Pixels in `full`. */
  fullArea: number;
  /** Outline polygon [x0, y0, x1, y1, ...] of a simple shape; null for rings and crowds. */
  polygon: number[] | null;
  /** A crowd of several small shapes annotated as one region. */
  crowd: boolean;
}

function maskOf(poly: number[], h: number, w: number): Uint8Array {
  return rleDecode(polygonToRuns(poly, h, w)).data;
}

/** Paint mask pixels with a shaded, textured colour; record the owner of each pixel. */
function paintInstance(
  rng: Rng,
  rgb: Float32Array,
  owner: Int16Array,
  idx: number,
  mask: Uint8Array,
  h: number,
  w: number,
  cx: number,
  cy: number,
): void {
  const p0 = (Math.min(h - 1, Math.max(0, Math.round(cy))) * w + Math.min(w - 1, Math.max(0, Math.round(cx)))) * 3;
  // About a third of the shapes take the background colour under them (camouflage).
  const camo = rng.random() < 0.3;
  const base = camo ? [0, 1, 2].map((c) => (rgb[p0 + c] as number) + rng.normal(0, 18)) : randomColor(rng, 10, 245);
  const ga = rng.uniform(0, 2 * Math.PI);
  const gx = (Math.cos(ga) * rng.uniform(0, 40)) / Math.max(h, w);
  const gy = (Math.sin(ga) * rng.uniform(0, 40)) / Math.max(h, w);
  const k1 = rng.uniform(0.05, 0.4);
  const ta = rng.uniform(0, Math.PI);
  const tAmp = rng.uniform(0, 25);
  const sigma = rng.uniform(2, 9);
  const grain = pixelNoise(rng, new Float32Array(3 * 4096));
  const kx = k1 * Math.cos(ta);
  const ky = k1 * Math.sin(ta);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (!mask[p]) continue;
      const shade = (x - cx) * gx + (y - cy) * gy + tAmp * Math.sin(x * kx + y * ky);
      const g = (p * 3) % 4095; // a fixed grain tile of 4096 samples per shape, walked by pixel index
      for (let c = 0; c < 3; c++) rgb[p * 3 + c] = (base[c] as number) + shade + sigma * (grain[g + c] as number);
      owner[p] = idx;
    }
  }
}

/**
 * Render one synthetic scene (the pixels of `generateSyntheticCoco`'s images before JPEG):
 * a textured background, an optional crowd cluster, 2..6 shapes. Returns the RGB bytes [h*w*3]
 * row-major, the owner of each pixel (index into `instances`, -1 for background: the visible
 * part of instance k is `owner === k`) and the instances. Platform-neutral (runs in a browser).
 *
 * @example
 * ```ts
 * const { rgb, owner, instances } = renderSyntheticScene(new Rng(7), 375, 500, SYNTHETIC_SHAPES);
 * ```
 */
export function renderSyntheticScene(
  rng: Rng,
  h: number,
  w: number,
  categories: readonly SyntheticShape[],
): { rgb: Uint8Array; owner: Int16Array; instances: SyntheticInstance[] } {
  const rgb = new Float32Array(h * w * 3);
  paintBackground(rng, rgb, h, w);
  const owner = new Int16Array(h * w).fill(-1);
  const instances: SyntheticInstance[] = [];
  const side = Math.min(h, w);
  const crowdable = categories.map((c, i) => (c === "disc" || c === "star" ? i : -1)).filter((i) => i >= 0);
  if (crowdable.length && rng.random() < 0.12) {
    // A COCO-style crowd: several small same-category shapes annotated as one iscrowd region.
    const category = rng.choice(crowdable);
    const ccx = rng.uniform(0.2 * w, 0.8 * w);
    const ccy = rng.uniform(0.2 * h, 0.8 * h);
    const full = new Uint8Array(h * w);
    const n = rng.integers(4, 9);
    for (let k = 0; k < n; k++) {
      const o = shapeOutline(
        categories[category] as SyntheticShape,
        rng,
        ccx + rng.normal(0, side * 0.08),
        ccy + rng.normal(0, side * 0.08),
        side * rng.uniform(0.02, 0.045),
      );
      const m = maskOf(o.outer, h, w);
      for (let p = 0; p < m.length; p++) full[p] |= m[p] as number;
    }
    instances.push({ category, full, fullArea: full.reduce((a, b) => a + b, 0), polygon: null, crowd: true });
    paintInstance(rng, rgb, owner, 0, full, h, w, ccx, ccy);
  }
  const count = rng.integers(2, 7);
  for (let k = 0; k < count; k++) {
    const category = rng.integers(0, categories.length);
    const r = side * rng.uniform(0.06, 0.26);
    const cx = rng.uniform(0.08 * w, 0.92 * w);
    const cy = rng.uniform(0.08 * h, 0.92 * h);
    const o = shapeOutline(categories[category] as SyntheticShape, rng, cx, cy, r);
    const full = maskOf(o.outer, h, w);
    if (o.hole) {
      const hole = maskOf(o.hole, h, w);
      for (let p = 0; p < full.length; p++) if (hole[p]) full[p] = 0;
    }
    const fullArea = full.reduce((a, b) => a + b, 0);
    if (fullArea === 0) continue;
    instances.push({ category, full, fullArea, polygon: o.hole ? null : o.outer, crowd: false });
    paintInstance(rng, rgb, owner, instances.length - 1, full, h, w, cx, cy);
  }
  return { rgb: toRgb(rgb), owner, instances };
}
