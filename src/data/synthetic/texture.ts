import type { Rng } from "../../core/rng";

/**
 * Smooth value noise in [0, 1] on an [h, w] grid: `octaves` layers of random lattice values
 * (`cells` lattice cells across the longer side on the first layer, doubling per layer, half the
 * amplitude each), bilinearly interpolated with a smoothstep. Row-major Float32Array of h * w.
 */
export function valueNoise(rng: Rng, h: number, w: number, cells = 4, octaves = 3): Float32Array {
  const out = new Float32Array(h * w);
  let amp = 1;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    const c = cells << o;
    const step = Math.max(h, w) / c;
    const gw = Math.ceil(w / step) + 2;
    const gh = Math.ceil(h / step) + 2;
    const grid = new Float32Array(gw * gh);
    for (let i = 0; i < grid.length; i++) grid[i] = rng.random32();
    for (let y = 0; y < h; y++) {
      const fy = y / step;
      const gy = Math.floor(fy);
      let ty = fy - gy;
      ty = ty * ty * (3 - 2 * ty);
      const r0 = gy * gw;
      const r1 = r0 + gw;
      for (let x = 0; x < w; x++) {
        const fx = x / step;
        const gx = Math.floor(fx);
        let tx = fx - gx;
        tx = tx * tx * (3 - 2 * tx);
        const a = (grid[r0 + gx] as number) + ((grid[r0 + gx + 1] as number) - (grid[r0 + gx] as number)) * tx;
        const b = (grid[r1 + gx] as number) + ((grid[r1 + gx + 1] as number) - (grid[r1 + gx] as number)) * tx;
        out[y * w + x] += amp * (a + (b - a) * ty);
      }
    }
    total += amp;
    amp *= 0.5;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / total;
  return out;
}

/** A random RGB colour, each channel uniform in [lo, hi]. */
export function randomColor(rng: Rng, lo = 0, hi = 255): [number, number, number] {
  return [rng.integers(lo, hi + 1), rng.integers(lo, hi + 1), rng.integers(lo, hi + 1)];
}

/**
 * Paint a textured background into `rgb` ([h, w, 3] row-major floats): a mix of two colours
 * driven by value noise, optional stripes, and per-pixel Gaussian noise.
 */
export function paintBackground(rng: Rng, rgb: Float32Array, h: number, w: number): void {
  const c0 = randomColor(rng, 20, 235);
  const c1 = randomColor(rng, 20, 235);
  const noise = valueNoise(rng, h, w, rng.integers(2, 7), 3);
  const stripes = rng.random() < 0.35;
  const period = rng.uniform(6, 30);
  const angle = rng.uniform(0, Math.PI);
  const sa = Math.sin(angle) / period;
  const ca = Math.cos(angle) / period;
  const stripeAmp = rng.uniform(10, 35);
  const sigma = rng.uniform(3, 12);
  const grain = pixelNoise(rng, new Float32Array(h * w * 3));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const t = noise[p] as number;
      const s = stripes ? stripeAmp * Math.sin(2 * Math.PI * (x * ca + y * sa)) : 0;
      for (let c = 0; c < 3; c++) {
        rgb[p * 3 + c] =
          (c0[c] as number) + ((c1[c] as number) - (c0[c] as number)) * t + s + sigma * (grain[p * 3 + c] as number);
      }
    }
  }
}

/** Clamp and round float RGB to uint8 RGB. */
export function toRgb(rgb: Float32Array): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) {
    const v = Math.round(rgb[i] as number);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}

/**
 * Cheap zero-mean pixel noise with standard deviation about 1: triangular deviates from pairs
 * of random bytes (two per 32-bit draw). Fills `out` and returns it.
 */
export function pixelNoise(rng: Rng, out: Float32Array): Float32Array {
  const scale = 1 / (255 * Math.sqrt(1 / 6));
  for (let i = 0; i < out.length; i += 2) {
    const u = rng.uint32();
    out[i] = ((u & 255) + ((u >>> 8) & 255) - 255) * scale;
    if (i + 1 < out.length) out[i + 1] = (((u >>> 16) & 255) + (u >>> 24) - 255) * scale;
  }
  return out;
}
