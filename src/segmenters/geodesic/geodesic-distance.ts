import type { LowResLab } from "./lab-image";
import { SAM_LOW_RES_SIZE } from "../sam-frame";

/**
 * Step costs of the 8-connected low-res grid inside the image region (row stride 256):
 * `east[p]` is the cost between p and its right neighbour, `south` below, `southEast` below-right,
 * `southWest` below-left. cost = sqrt(d^2 + (gamma * dE / meanDE)^2), d the step length
 * (1 or sqrt 2), dE the Lab colour difference, meanDE its image mean (contrast normalisation).
 */
export interface StepCosts {
  east: Float32Array;
  south: Float32Array;
  southEast: Float32Array;
  southWest: Float32Array;
  /** Image region on the grid (cells). */
  height: number;
  width: number;
}

/** Squared Lab differences of each cell to its E, S, SE and SW neighbours (0 across the edge). */
export interface ColourDifferences {
  east: Float32Array;
  south: Float32Array;
  southEast: Float32Array;
  southWest: Float32Array;
  /** Mean of sqrt(dE^2) over E and S pairs, > 0. */
  meanDE: number;
  height: number;
  width: number;
}

/** Squared colour differences between neighbouring low-res cells of the image region. */
export function colourDifferences(lab: LowResLab): ColourDifferences {
  const n = SAM_LOW_RES_SIZE;
  const { lowResHeight: h, lowResWidth: w } = lab.frame;
  const { l, a, b } = lab;
  const east = new Float32Array(n * n),
    south = new Float32Array(n * n);
  const southEast = new Float32Array(n * n),
    southWest = new Float32Array(n * n);
  const d2 = (p: number, q: number): number => (l[p] - l[q]) ** 2 + (a[p] - a[q]) ** 2 + (b[p] - b[q]) ** 2;
  let sum = 0,
    count = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * n + x;
      if (x + 1 < w) {
        east[p] = d2(p, p + 1);
        sum += Math.sqrt(east[p]);
        count++;
      }
      if (y + 1 < h) {
        south[p] = d2(p, p + n);
        sum += Math.sqrt(south[p]);
        count++;
        if (x + 1 < w) southEast[p] = d2(p, p + n + 1);
        if (x > 0) southWest[p] = d2(p, p + n - 1);
      }
    }
  }
  return { east, south, southEast, southWest, meanDE: Math.max(1e-3, count ? sum / count : 1), height: h, width: w };
}

/**
 * Step costs for one edge sharpness `gamma` (0 = plain Euclidean distance). Links that leave the
 * image region cost +Infinity (the sweeps never take them; the WebAssembly kernel relies on it).
 */
export function stepCosts(diff: ColourDifferences, gamma: number): StepCosts {
  const n = SAM_LOW_RES_SIZE;
  const { height: h, width: w } = diff;
  const g2 = (gamma / diff.meanDE) ** 2;
  // Link from (y, x) to (y + dy, x + dx) exists inside the region.
  const map = (src: Float32Array, d2: number, dy: number, dx: number): Float32Array => {
    const out = new Float32Array(src.length).fill(Infinity);
    for (let y = 0; y + dy < h; y++) {
      for (let x = Math.max(0, -dx); x < w && x + dx < w; x++) out[y * n + x] = Math.sqrt(d2 + g2 * src[y * n + x]);
    }
    return out;
  };
  return {
    east: map(diff.east, 1, 0, 1),
    south: map(diff.south, 1, 1, 0),
    southEast: map(diff.southEast, 2, 1, 1),
    southWest: map(diff.southWest, 2, 1, -1),
    height: h,
    width: w,
  };
}

/**
 * Geodesic distance from seed cells over the step costs, by raster scans (forward then backward
 * 8-neighbour sweeps, `sweeps` pairs; exact for paths that turn back at most sweeps - 1 times,
 * the usual GeoS approximation). `dist` (row stride 256) holds 0 at seeds and +Infinity
 * elsewhere on entry and the distances on return; only the image region is touched.
 */
export function geodesicSweeps(costs: StepCosts, dist: Float32Array, sweeps: number): void {
  const n = SAM_LOW_RES_SIZE;
  const { east, south, southEast, southWest, height: h, width: w } = costs;
  if (h === 0 || w === 0) return;
  for (let it = 0; it < sweeps; it++) {
    // Forward: from the left, up-left, up and up-right neighbours.
    for (let x = 1; x < w; x++) {
      const v = dist[x - 1] + east[x - 1];
      if (v < dist[x]) dist[x] = v;
    }
    for (let y = 1; y < h; y++) {
      const row = y * n;
      let left = Infinity;
      for (let x = 0; x < w; x++) {
        const p = row + x,
          up = p - n;
        let d = dist[p];
        let v = dist[up] + south[up];
        if (v < d) d = v;
        if (x > 0) {
          v = left + east[p - 1];
          if (v < d) d = v;
          v = dist[up - 1] + southEast[up - 1];
          if (v < d) d = v;
        }
        if (x + 1 < w) {
          v = dist[up + 1] + southWest[up + 1];
          if (v < d) d = v;
        }
        dist[p] = d;
        left = d;
      }
    }
    // Backward: from the right, down-right, down and down-left neighbours.
    const last = (h - 1) * n;
    for (let x = w - 2; x >= 0; x--) {
      const v = dist[last + x + 1] + east[last + x];
      if (v < dist[last + x]) dist[last + x] = v;
    }
    for (let y = h - 2; y >= 0; y--) {
      const row = y * n;
      let right = Infinity;
      for (let x = w - 1; x >= 0; x--) {
        const p = row + x,
          down = p + n;
        let d = dist[p];
        let v = dist[down] + south[p];
        if (v < d) d = v;
        if (x + 1 < w) {
          v = right + east[p];
          if (v < d) d = v;
          v = dist[down + 1] + southEast[p];
          if (v < d) d = v;
        }
        if (x > 0) {
          v = dist[down - 1] + southWest[p];
          if (v < d) d = v;
        }
        dist[p] = d;
        right = d;
      }
    }
  }
}
