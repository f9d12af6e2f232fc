import t from "tap";
import ndarray from "ndarray";
import { InvalidArgumentError } from "../../src/core/errors";
import { Rng } from "../../src/core/rng";
import { resize, resizeLongestSide, longestSideSize, padBottomRight } from "../../src/data/resize";

const u8 = (rows: number[][]) => ndarray(Uint8Array.from(rows.flat()), [rows.length, rows[0]!.length]);
const rowsOf = (a: ndarray.NdArray): number[][] =>
  Array.from({ length: a.shape[0]! }, (_, y) => Array.from({ length: a.shape[1]! }, (_, x) => a.get(y, x) as number));

t.test("nearest: src = min(floor(dst * (1 / (dst_len / src_len))), len - 1)", async (t) => {
  // 5 -> 3: 1 / 0.6 = 1.666..., floor(0, 1.67, 3.33) = 0, 1, 3
  t.same(rowsOf(resize(u8([[0, 1, 2, 3, 4]]), [1, 3], "nearest")), [[0, 1, 3]]);
  // 3 -> 7: 1 / (7 / 3) = 0.4286, floor(0, .43, .86, 1.29, 1.71, 2.14, 2.57) = 0 0 0 1 1 2 2
  t.same(rowsOf(resize(u8([[0, 1, 2]]), [1, 7], "nearest")), [[0, 0, 0, 1, 1, 2, 2]]);
  // rows too, and channels are carried along
  const rgb = ndarray(Uint8Array.from([1, 2, 3, 4, 5, 6]), [2, 1, 3]);
  const up = resize(rgb, [3, 2], "nearest"); // rows floor(0, .67, 1.33) = 0 0 1
  t.same(Array.from(up.data), [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
});

t.test("linear uint8, 2x2 -> 4x4: hand-computed fixed-point values", async (t) => {
  // x and y: f = (d + 0.5) * 0.5 - 0.5 = -0.25, 0.25, 0.75, 1.25.
  // x clamps: d=0 -> (sx 0, fx 0); d=3 -> (sx 1, fx 0). Coefficients round(2048 * (1 - fx)), round(2048 * fx):
  // d=1 -> 1536, 512; d=2 -> 512, 1536. Horizontal rows (x 2048):
  //   row0 [0, 100]  -> [0, 51200, 153600, 204800];  row1 [200, 50] -> [409600, 332800, 179200, 102400]
  // y does NOT clamp the weights, it clamps the rows: d=0 -> sy=-1, fy=0.75 -> rows (0, 0), weights (512, 1536).
  // Output (S0*b0 + S1*b1 + 2^21) >> 22 (widths < 9 use only the scalar path), e.g. row 1, col 1:
  //   51200*1536 + 332800*512 = 249036800 -> 59.375 + 0.5 -> 59; row 3, col 1: 332800*2048 -> 162.5 + 0.5 -> 163.
  const out = resize(
    u8([
      [0, 100],
      [200, 50],
    ]),
    [4, 4],
    "linear",
  );
  t.same(rowsOf(out), [
    [0, 25, 75, 100],
    [50, 59, 78, 88],
    [150, 128, 84, 63],
    [200, 163, 88, 50],
  ]);
});

t.test("linear uint8: SIMD-prefix rounding vs scalar tail (OpenCV 4.x, 128-bit lanes)", async (t) => {
  // Rows of 5s and 210s, 2 -> 5 rows, 17 columns unchanged (horizontal weights 2048, 0).
  // Row 1: fy = float(1.5 * 0.4 - 0.5) = 0.1f -> b0 = round(0.9f * 2048) = 1843, b1 = round(0.1f * 2048) = 205.
  // S0 = 5 * 2048 = 10240, S1 = 210 * 2048 = 430080.
  // Scalar tail: (10240*1843 + 430080*205 + 2^21) >> 22 = (107038720 + 2097152) >> 22 = 26.
  // SIMD lanes: ((10240 >> 4) * 1843 >> 16) + ((430080 >> 4) * 205 >> 16) = 17 + 84 = 101; (101 + 2) >> 2 = 25.
  // 17 elements: x = 0..15 go through the 16-lane loop, x = 16 is the scalar tail.
  const src = u8([Array(17).fill(5), Array(17).fill(210)]);
  const out = resize(src, [5, 17], "linear");
  t.same(rowsOf(out)[1], [...Array(16).fill(25), 26]);
  // With 3 channels the row has 51 elements: 48 in 16-lane steps, then 8-lane steps only while x < 51 - 8 (none),
  // so the last 3 elements (the last pixel) take the scalar path.
  const rgb = ndarray(new Uint8Array(2 * 17 * 3), [2, 17, 3]);
  for (let x = 0; x < 17; x++)
    for (let c = 0; c < 3; c++) {
      rgb.set(0, x, c, 5);
      rgb.set(1, x, c, 210);
    }
  const o3 = resize(rgb, [5, 17], "linear");
  t.same([o3.get(1, 15, 2), o3.get(1, 16, 0), o3.get(1, 16, 2)], [25, 26, 26]);
});

t.test("linear: exact 2x downscale is OpenCV's INTER_AREA block mean", async (t) => {
  // 1 channel: (sum + 2) >> 2, so 2.5 -> 3
  t.same(
    rowsOf(
      resize(
        u8([
          [1, 2, 0, 0],
          [3, 4, 0, 1],
        ]),
        [1, 2],
        "linear",
      ),
    ),
    [[3, 0]],
  );
  // 2 channels: OpenCV's scalar area path rounds half to even: 10 / 4 = 2.5 -> 2
  const two = ndarray(Uint8Array.from([1, 1, 2, 2, 3, 3, 4, 5]), [2, 2, 2]);
  t.same(Array.from(resize(two, [1, 1], "linear").data), [2, 3]); // (1+2+3+4)/4 = 2.5 -> 2; (1+2+3+5)/4 = 2.75 -> 3
});

t.test("linear float32: float arithmetic, edges replicated", async (t) => {
  const src = ndarray(Float32Array.from([0, 1, 2, 3]), [2, 2]);
  const out = resize(src, [4, 4], "linear");
  t.ok(out.data instanceof Float32Array);
  t.same(rowsOf(out), [
    [0, 0.25, 0.75, 1],
    [0.5, 0.75, 1.25, 1.5],
    [1.5, 1.75, 2.25, 2.5],
    [2, 2.25, 2.75, 3],
  ]);
  // constant maps stay constant at any scale
  const c = resize(ndarray(new Float32Array(7 * 5).fill(-1.5), [7, 5]), [3, 11], "linear");
  t.ok(Array.from(c.data).every((v) => v === -1.5));
});

t.test("equal size copies; shapes, dtypes and errors", async (t) => {
  const src = u8([
    [1, 2],
    [3, 4],
  ]);
  const same = resize(src, [2, 2], "linear");
  t.same(Array.from(same.data), [1, 2, 3, 4]);
  t.not(same.data, src.data, "a copy, not a view");
  const img = ndarray(new Uint8Array(6 * 8 * 3), [6, 8, 3]);
  t.same(resize(img, [3, 5]).shape, [3, 5, 3]);
  // non-contiguous views are read correctly
  const big = u8([
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ]);
  t.same(rowsOf(resize(big.hi(2, 2).lo(0, 1), [2, 1], "nearest")), [[2], [5]]);
  t.throws(() => resize(src, [0, 2]), InvalidArgumentError);
  t.throws(() => resize(src, [2, 2], "cubic" as never), /'linear' or 'nearest'/);
  t.throws(() => resize(ndarray(new Float64Array(4), [2, 2]) as never, [3, 3]), /Uint8Array or a Float32Array/);
  t.throws(() => resize(ndarray(new Uint8Array(8), [2, 2, 2, 1]), [3, 3]), /\[H, W\] or \[H, W, C\]/);
});

t.test("SAM longest-side geometry and padding", async (t) => {
  t.same(longestSideSize(375, 500), [768, 1024]);
  t.same(longestSideSize(480, 640), [768, 1024]);
  t.same(longestSideSize(333, 500), [682, 1024]); // 333 * 2.048 = 681.98 -> trunc(682.48)
  t.same(longestSideSize(1000, 10, 64), [64, 1]); // 10 * 0.064 + 0.5 = 1.14
  t.same(resizeLongestSide(ndarray(new Uint8Array(375 * 500 * 3), [375, 500, 3])).shape, [768, 1024, 3]);
  const p = padBottomRight(
    u8([
      [1, 2],
      [3, 4],
    ]),
    [3, 4],
  );
  t.same(rowsOf(p), [
    [1, 2, 0, 0],
    [3, 4, 0, 0],
    [0, 0, 0, 0],
  ]);
  const pf = padBottomRight(ndarray(Float32Array.from([1]), [1, 1, 1]), [1, 2], -1);
  t.same(Array.from(pf.data), [1, -1]);
  t.throws(() => padBottomRight(u8([[1, 2]]), [1, 1]), /smaller than the input/);
  t.throws(() => longestSideSize(0, 5), InvalidArgumentError);
});

/**
 * Straightforward per-element formula of OpenCV's uint8 INTER_LINEAR (no row buffers, no tables):
 * the reference the optimised row-buffer implementation must match exactly.
 */
function referenceLinearU8(src: Uint8Array, h: number, w: number, c: number, dh: number, dw: number): Uint8Array {
  const fr = Math.fround;
  const roundHalfEven = (v: number): number => {
    const r = Math.round(v);
    return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
  };
  const tap = (d: number, srcLen: number, dstLen: number): [number, number] => {
    const f = fr((d + 0.5) * (1 / (dstLen / srcLen)) - 0.5);
    const s = Math.floor(f);
    return [s, fr(f - s)];
  };
  const rowLen = dw * c;
  let vec = 0;
  while (vec <= rowLen - 16) vec += 16;
  while (vec < rowLen - 8) vec += 8;
  // Horizontal sum of source row y (clamped) at destination element (dx, ch).
  const horizontal = (y: number, dx: number, ch: number): number => {
    const yy = Math.min(Math.max(y, 0), h - 1);
    let [sx, fx] = tap(dx, w, dw);
    if (sx < 0) [sx, fx] = [0, 0];
    const at = (x: number): number => src[(yy * w + x) * c + ch]!;
    if (sx >= w - 1) return at(w - 1) * 2048;
    return at(sx) * roundHalfEven(fr(1 - fx) * 2048) + at(sx + 1) * roundHalfEven(fx * 2048);
  };
  const out = new Uint8Array(dh * rowLen);
  for (let dy = 0; dy < dh; dy++) {
    const [sy, fy] = tap(dy, h, dh);
    const b0 = roundHalfEven(fr(1 - fy) * 2048);
    const b1 = roundHalfEven(fy * 2048);
    for (let dx = 0; dx < dw; dx++) {
      for (let ch = 0; ch < c; ch++) {
        const s0 = horizontal(sy, dx, ch);
        const s1 = horizontal(sy + 1, dx, ch);
        const x = dx * c + ch;
        out[dy * rowLen + x] =
          x < vec
            ? ((((s0 >> 4) * b0) >> 16) + (((s1 >> 4) * b1) >> 16) + 2) >> 2
            : Math.floor((s0 * b0 + s1 * b1 + 2 ** 21) / 2 ** 22);
      }
    }
  }
  return out;
}

t.test("linear uint8: optimised path equals the per-element reference on random sizes and contents", async (t) => {
  const rng = new Rng(20261125);
  const cases: [number, number, number, number, number][] = [
    [480, 640, 3, 375, 500], // the benchmark size
    [375, 500, 3, 768, 1024], // SAM's longest-side upscale
    [7, 5, 3, 9, 3], // odd row lengths: output rows start unaligned
    [1, 1, 3, 3, 5],
    [33, 1, 1, 7, 19],
  ];
  for (let i = 0; i < 120; i++) {
    const c = [1, 2, 3, 4][rng.integers(0, 4)]!;
    cases.push([rng.integers(1, 60), rng.integers(1, 60), c, rng.integers(1, 60), rng.integers(1, 60)]);
  }
  let checked = 0;
  for (const [h, w, c, dh, dw] of cases) {
    if ((h === dh && w === dw) || (h === 2 * dh && w === 2 * dw)) continue; // copy / INTER_AREA paths
    for (const fill of ["random", "max"] as const) {
      const data = new Uint8Array(h * w * c);
      for (let k = 0; k < data.length; k++) data[k] = fill === "max" ? 255 : rng.integers(0, 256);
      const got = resize(ndarray(data, [h, w, c]), [dh, dw], "linear").data;
      const want = referenceLinearU8(data, h, w, c, dh, dw);
      let firstBad = -1;
      for (let k = 0; k < want.length && firstBad < 0; k++) if (got[k] !== want[k]) firstBad = k;
      if (firstBad >= 0) {
        t.fail(
          `[${h}, ${w}, ${c}] -> [${dh}, ${dw}] (${fill}): element ${firstBad} is ${got[firstBad]}, reference ${want[firstBad]}`,
        );
        return;
      }
      checked++;
    }
  }
  t.ok(checked > 200, `${checked} random cases match the reference exactly`);
});
