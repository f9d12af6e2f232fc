// The WebAssembly geodesic kernel and the reusing DistanceFields: committed bytes are the
// assembled .wat; the kernel's distances equal the TypeScript sweeps (float32 vs float64
// intermediates: within 1e-5 relative); reusing the previous call is exact (bit for bit the
// fields of a fresh computation).
import t from "tap";
import { Rng } from "../../src/core/rng";
import { SAM_LOW_RES_SIZE, lowResToImage, samFrame } from "../../src/segmenters/sam-frame";
import { KernelUpsampler } from "../../src/segmenters/geodesic/kernel-upsampler";
import { geodesicSweeps, stepCosts } from "../../src/segmenters/geodesic/geodesic-distance";
import type { ColourDifferences, StepCosts } from "../../src/segmenters/geodesic/geodesic-distance";
import { GeodesicKernel } from "../../src/segmenters/geodesic/geodesic-kernel";
import { DistanceFields } from "../../src/segmenters/geodesic/distance-fields";
import { GEODESIC_KERNEL_BASE64 } from "../../src/segmenters/geodesic/generated/geodesic-kernel-bytes";
import { assembleGeodesicKernel } from "../../scripts/wasm-assembler";

const N = SAM_LOW_RES_SIZE;

/** Random colour differences over an h x w region (a few strong edges among weak ones). */
function randomCosts(h: number, w: number, seed: number): StepCosts {
  const rng = new Rng(seed);
  const plane = (): Float32Array => {
    const p = new Float32Array(N * N);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) p[y * N + x] = rng.random() < 0.05 ? 400 * rng.random() : 4 * rng.random();
    }
    return p;
  };
  const [east, south, southEast, southWest] = [plane(), plane(), plane(), plane()];
  const diff: ColourDifferences = { east, south, southEast, southWest, meanDE: 2, height: h, width: w };
  return stepCosts(diff, 12);
}

function seedsAt(cells: Array<[number, number]>, border: boolean, h: number, w: number): Uint8Array {
  const s = new Uint8Array(N * N);
  if (border) {
    for (let x = 0; x < w; x++) {
      s[x] = 1;
      s[(h - 1) * N + x] = 1;
    }
    for (let y = 0; y < h; y++) {
      s[y * N] = 1;
      s[y * N + w - 1] = 1;
    }
  }
  for (const [y, x] of cells) s[y * N + x] = 1;
  return s;
}

/** Cells where two planes differ (bit for bit, +Infinity equal to itself). */
function mismatches(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) m++;
  return m;
}

function reference(costs: StepCosts, seeds: Uint8Array, sweeps: number): Float32Array {
  const d = new Float32Array(N * N).fill(Infinity);
  for (let i = 0; i < N * N; i++) if (seeds[i]) d[i] = 0;
  geodesicSweeps(costs, d, sweeps);
  return d;
}

t.test("the committed kernel bytes are the assembled geodesic-kernel.wat", async (t) => {
  const bytes = await assembleGeodesicKernel();
  t.equal(GEODESIC_KERNEL_BASE64, Buffer.from(bytes).toString("base64"));
});

t.test("kernel sweeps match the TypeScript sweeps (regions up to the full 256 width)", async (t) => {
  if (GeodesicKernel.create(1) === null) {
    t.comment("no WebAssembly SIMD here: the TypeScript fallback is covered below");
    return;
  }
  for (const [h, w, seed] of [
    [192, 256, 1],
    [256, 171, 2],
    [7, 5, 3],
    [1, 9, 4],
    [256, 256, 5],
  ]) {
    const costs = randomCosts(h, w, seed);
    for (const border of [false, true]) {
      const seeds = seedsAt([[Math.floor(h / 2), Math.floor(w / 3)]], border, h, w);
      const fields = new DistanceFields(2);
      t.ok(fields.accelerated);
      const { pos } = fields.compute(costs, seeds, seedsAt([], true, h, w));
      const ref = reference(costs, seeds, 2);
      let worst = 0,
        outside = 0;
      for (let y = 0; y < N; y++)
        for (let x = 0; x < N; x++) {
          const a = pos[y * N + x],
            b = ref[y * N + x];
          if (y >= h || x >= w) {
            if (a !== Infinity) outside++;
            continue;
          }
          worst = Math.max(worst, Math.abs(a - b) / Math.max(1, b));
        }
      t.ok(worst < 1e-5, `${h}x${w} border ${border}: max relative difference ${worst}`);
      t.equal(outside, 0, "cells outside the region stay +Infinity");
    }
  }
});

t.test("adding clicks reuses the previous fields exactly; removing a seed recomputes", async (t) => {
  for (const useKernel of [true, false]) {
    const h = 192,
      w = 256;
    const costs = randomCosts(h, w, 7);
    const rng = new Rng(8);
    const clicks: Array<[number, number, boolean]> = [];
    const reused = new DistanceFields(2, useKernel);
    for (let k = 0; k < 6; k++) {
      clicks.push([rng.integers(0, h), rng.integers(0, w), k % 3 !== 1]);
      const fg = seedsAt(
        clicks.filter((c) => c[2]).map((c) => [c[0], c[1]]),
        false,
        h,
        w,
      );
      const bg = seedsAt(
        clicks.filter((c) => !c[2]).map((c) => [c[0], c[1]]),
        true,
        h,
        w,
      );
      const a = reused.compute(costs, fg, bg);
      const b = new DistanceFields(2, useKernel).compute(costs, fg, bg);
      t.equal(mismatches(a.pos, b.pos), 0, `kernel ${useKernel}, ${k + 1} clicks: D+ identical`);
      t.equal(mismatches(a.neg, b.neg), 0, `kernel ${useKernel}, ${k + 1} clicks: D- identical`);
    }
    // A prompt with one click fewer (seeds removed) recomputes rather than reusing.
    clicks.pop();
    const fg = seedsAt(
      clicks.filter((c) => c[2]).map((c) => [c[0], c[1]]),
      false,
      h,
      w,
    );
    const bg = seedsAt(
      clicks.filter((c) => !c[2]).map((c) => [c[0], c[1]]),
      true,
      h,
      w,
    );
    const a = reused.compute(costs, fg, bg);
    const b = new DistanceFields(2, useKernel).compute(costs, fg, bg);
    t.equal(mismatches(a.pos, b.pos), 0, `kernel ${useKernel}: D+ after removing a click`);
    t.equal(mismatches(a.neg, b.neg), 0, `kernel ${useKernel}: D- after removing a click`);
  }
});

t.test("the kernel upsampler matches lowResToImage", async (t) => {
  const rng = new Rng(11);
  const up = new KernelUpsampler();
  const cases = [
    [375, 500, 1],
    [375, 500, 3],
    [500, 375, 1],
    [7, 5, 3],
    [1, 1, 1],
    [640, 427, 3],
    [375, 500, 1],
  ];
  for (const [h, w, k] of cases) {
    const low = new Float32Array(k * N * N);
    for (let i = 0; i < low.length; i++) low[i] = 16 * rng.random() - 8;
    const frame = samFrame([h, w]);
    const a = up.toImage(low, k, frame),
      b = lowResToImage(low, k, frame);
    t.equal(a.length, b.length);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    t.ok(worst < 1e-5, `${k}x${h}x${w}: max difference ${worst}`);
  }
});
