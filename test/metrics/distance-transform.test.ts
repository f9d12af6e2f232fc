import t from "tap";
import ndarray from "ndarray";
import { distanceTransform } from "../../src/metrics";
import { Rng } from "../../src/core/rng";

function bruteForce(data: Uint8Array, h: number, w: number): Float64Array {
  const out = new Float64Array(h * w);
  for (let i = 0; i < h * w; i++) {
    if (!data[i]) continue;
    let best = Infinity;
    for (let j = 0; j < h * w; j++) {
      if (data[j]) continue;
      const dr = Math.floor(i / w) - Math.floor(j / w),
        dc = (i % w) - (j % w);
      best = Math.min(best, dr * dr + dc * dc);
    }
    out[i] = Math.sqrt(best);
  }
  return out;
}

t.test("matches brute force on random small masks", async (t) => {
  const rng = new Rng(7);
  let mismatches = 0,
    cases = 0;
  for (let k = 0; k < 300; k++) {
    const h = rng.integers(1, 14),
      w = rng.integers(1, 14);
    const density = rng.random();
    const data = new Uint8Array(h * w);
    for (let i = 0; i < data.length; i++) data[i] = rng.random() < density ? 1 : 0;
    const got = distanceTransform(ndarray(data, [h, w])).data;
    const want = bruteForce(data, h, w);
    for (let i = 0; i < h * w; i++) {
      cases++;
      if (!(Math.abs(got[i] - want[i]) < 1e-5 || (got[i] === Infinity && want[i] === Infinity))) mismatches++;
    }
  }
  t.equal(mismatches, 0, `all ${cases} pixels match`);
});

t.test("known values: a single zero pixel in the middle, and no zero pixel at all", async (t) => {
  const m = ndarray(new Uint8Array(25).fill(1), [5, 5]);
  m.set(2, 2, 0);
  const dt = distanceTransform(m);
  t.equal(dt.get(2, 2), 0);
  t.equal(dt.get(0, 0), Math.fround(Math.sqrt(8)));
  t.equal(dt.get(2, 4), 2);
  const full = distanceTransform(ndarray(new Uint8Array(6).fill(1), [2, 3]));
  t.ok(
    Array.from(full.data).every((v) => v === Infinity),
    "no zero pixel -> Infinity (no padding)",
  );
});
