import t from "tap";
import ndarray from "ndarray";
import { resize, Float32Resizer } from "../../src/data/resize";
import { InvalidArgumentError } from "../../src/core/errors";
import { Rng } from "../../src/core/rng";

const f32 = Math.fround;

/**
 * Per-element reference of OpenCV's float32 INTER_LINEAR (no 2x special case): for each output
 * element, the two x taps (clamped at both ends) and the two y taps (clamped), float32 products.
 */
function referenceLinear(src: Float32Array, h: number, w: number, c: number, dh: number, dw: number): Float32Array {
  const out = new Float32Array(dh * dw * c);
  const tap = (d: number, srcLen: number, dstLen: number, clampBoth: boolean): [number, number] => {
    let f = f32((d + 0.5) * (1 / (dstLen / srcLen)) - 0.5);
    let s = Math.floor(f);
    f = f32(f - s);
    if (clampBoth && s < 0) [s, f] = [0, 0];
    if (clampBoth && s >= srcLen - 1) [s, f] = [srcLen - 1, 0];
    return [s, f];
  };
  const at = (y: number, x: number, ch: number): number => src[(Math.min(Math.max(y, 0), h - 1) * w + x) * c + ch]!;
  for (let dy = 0; dy < dh; dy++) {
    const [sy, fy] = tap(dy, h, dh, false);
    for (let dx = 0; dx < dw; dx++) {
      const [sx, fx] = tap(dx, w, dw, true);
      for (let ch = 0; ch < c; ch++) {
        const row = (y: number): number =>
          sx + 1 >= w ? at(y, sx, ch) : f32(f32(at(y, sx, ch) * f32(1 - fx)) + f32(at(y, sx + 1, ch) * fx));
        out[(dy * dw + dx) * c + ch] = f32(f32(row(sy)) * f32(1 - fy)) + f32(f32(row(sy + 1)) * fy);
      }
    }
  }
  return out;
}

t.test("resize float32 linear equals the per-element OpenCV reference on random sizes", async (t) => {
  const rng = new Rng(5);
  for (let trial = 0; trial < 40; trial++) {
    const h = 1 + rng.integers(40),
      w = 1 + rng.integers(40),
      c = 1 + rng.integers(3);
    let dh = 1 + rng.integers(50),
      dw = 1 + rng.integers(50);
    if (h === 2 * dh && w === 2 * dw) dh += 1; // the 2x case has its own path
    const data = Float32Array.from({ length: h * w * c }, () => f32(rng.random() * 4 - 2));
    const out = resize(ndarray(data, c === 1 ? [h, w] : [h, w, c]), [dh, dw], "linear").data as Float32Array;
    const ref = referenceLinear(data, h, w, c, dh, dw);
    let same = out.length === ref.length;
    for (let k = 0; same && k < ref.length; k++) same = out[k] === ref[k];
    t.ok(same, `[${h}, ${w}, ${c}] -> [${dh}, ${dw}]`);
  }
});

t.test("Float32Resizer.run at offsets gives exactly resize()'s numbers (linear, 2x, nearest, copy)", async (t) => {
  const rng = new Rng(9);
  const cases: Array<[[number, number], [number, number], number, "linear" | "nearest"]> = [
    [[256, 256], [64, 64], 1, "linear"], // the agents' mask -> embedding grid
    [[20, 30], [10, 15], 2, "linear"], // exact 2x: INTER_AREA block mean
    [[7, 9], [16, 4], 3, "linear"],
    [[13, 11], [5, 17], 1, "nearest"],
    [[6, 6], [6, 6], 1, "linear"], // equal sizes copy
  ];
  for (const [[h, w], [dh, dw], c, interpolation] of cases) {
    const batch = 3;
    const src = Float32Array.from({ length: 5 + batch * h * w * c }, () => rng.random());
    const resizer = new Float32Resizer([h, w], [dh, dw], c, interpolation);
    const dst = new Float32Array(7 + batch * dh * dw * c).fill(-9);
    for (let i = 0; i < batch; i++) resizer.run(src, 5 + i * h * w * c, dst, 7 + i * dh * dw * c);
    t.same(Array.from(dst.subarray(0, 7)), new Array(7).fill(-9), "nothing written before the offset");
    for (let i = 0; i < batch; i++) {
      const sample = src.slice(5 + i * h * w * c, 5 + (i + 1) * h * w * c);
      const expected = resize(ndarray(sample, c === 1 ? [h, w] : [h, w, c]), [dh, dw], interpolation).data;
      t.same(
        Array.from(dst.subarray(7 + i * dh * dw * c, 7 + (i + 1) * dh * dw * c)),
        Array.from(expected),
        `[${h}, ${w}, ${c}] -> [${dh}, ${dw}] ${interpolation}, sample ${i}`,
      );
    }
  }
});

t.test("Float32Resizer matches the float64 half-pixel bilinear formula to float32 precision", async (t) => {
  // The formula the PPO featurizer used before it shared resize()'s float32 path.
  const rng = new Rng(2);
  const [h, w, dh, dw] = [256, 256, 64, 64];
  const src = Float32Array.from({ length: h * w }, () => rng.random());
  const out = new Float32Array(dh * dw);
  new Float32Resizer([h, w], [dh, dw]).run(src, 0, out, 0);
  let worst = 0;
  for (let y = 0; y < dh; y++) {
    const fy = Math.max((y + 0.5) * (h / dh) - 0.5, 0),
      y0 = Math.min(Math.floor(fy), h - 1),
      y1 = Math.min(y0 + 1, h - 1),
      wy = Math.min(fy - y0, 1);
    for (let x = 0; x < dw; x++) {
      const fx = Math.max((x + 0.5) * (w / dw) - 0.5, 0),
        x0 = Math.min(Math.floor(fx), w - 1),
        x1 = Math.min(x0 + 1, w - 1),
        wx = Math.min(fx - x0, 1);
      const v =
        (src[y0 * w + x0]! * (1 - wx) + src[y0 * w + x1]! * wx) * (1 - wy) +
        (src[y1 * w + x0]! * (1 - wx) + src[y1 * w + x1]! * wx) * wy;
      worst = Math.max(worst, Math.abs(out[y * dw + x]! - v));
    }
  }
  t.ok(worst < 1e-6, `max difference ${worst.toExponential(2)}`);
});

t.test("Float32Resizer validates sizes and ranges, naming the bad value", async (t) => {
  t.throws(() => new Float32Resizer([0, 4], [2, 2]), /srcSize must be \[H, W\] positive integers, got \[0,4\]/);
  t.throws(() => new Float32Resizer([4, 4], [2, 2], 0), /channels must be a positive integer, got 0/);
  t.throws(() => new Float32Resizer([4, 4], [2, 2], 1, "cubic" as never), InvalidArgumentError);
  const r = new Float32Resizer([4, 4], [2, 3]);
  const dst = new Float32Array(6).fill(1);
  t.throws(() => r.run(new Float32Array(16), 1, dst, 0), /source range \[1, 17\) does not fit a source of length 16/);
  t.throws(
    () => r.run(new Float32Array(16), 0, dst, 2),
    /destination range \[2, 8\) does not fit a destination of length 6/,
  );
  t.same(Array.from(dst), [1, 1, 1, 1, 1, 1], "dst unchanged after the errors");
});
