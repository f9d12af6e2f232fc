// The fast sigmoid path and the overlap sums give exactly the values of the straightforward
// formulas: Math.fround(1 / (1 + Math.exp(-x))) per element, softDice / a direct count for the sums.
import t from "tap";
import ndarray from "ndarray";
import { Rng } from "../../../src/core/rng";
import { softDice } from "../../../src/rewards/soft-dice";
import { foregroundIndices, overlapSums, sigmoid, sigmoidInto } from "../../../src/envs/sam-seg/sigmoid";

/** The reference: the formula in float64, rounded to float32. */
const formula32 = (x: number): number => Math.fround(1 / (1 + Math.exp(-x)));

const f64 = new Float64Array(1);
const words = new Uint32Array(f64.buffer);
f64[0] = 1;
const low = words[0] === 0 ? 0 : 1;
/** Distance of a float64's dropped-by-float32 mantissa bits from the round-half point (float64 units). */
const tieDistance = (v: number): number => ((f64[0] = v), Math.abs(((words[low] as number) & 0x1fffffff) - 0x10000000));

/** n random float32 logits: uniform over [-120, 120], plus a share near 0 and near the table edges. */
function randomLogits(rng: Rng, n: number): Float32Array {
  const xs = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.random();
    const kind = i % 4;
    xs[i] = kind === 0 ? 240 * u - 120 : kind === 1 ? 40 * u - 20 : kind === 2 ? 1e-3 * (u - 0.5) : [-104, -87, 17.33, 40][i % 16 >> 2]! + (u - 0.5);
  }
  return xs;
}

t.test("sigmoid and sigmoidInto equal the formula in float32 on 1,000,000 random logits", async (t) => {
  const rng = new Rng(6);
  const xs = randomLogits(rng, 1_000_000);
  const out = new Float32Array(xs.length);
  sigmoidInto(xs, 0, out, new Int32Array(xs.length));
  let mapMismatches = 0, scalarMismatches = 0;
  for (let i = 0; i < xs.length; i++) {
    const ref = formula32(xs[i] as number);
    if (out[i] !== ref) mapMismatches++;
    if (Math.fround(sigmoid(xs[i] as number)) !== ref) scalarMismatches++;
  }
  t.equal(mapMismatches, 0, "sigmoidInto");
  t.equal(scalarMismatches, 0, "sigmoid");
});

t.test("near float32 ties: exact where a 1e-12 relative error would already round the other way", async (t) => {
  // Collect logits whose formula value lies within 2^17 float64 units (~1.5e-11 relative) of a
  // float32 rounding midpoint: there an approximation without the tie check would be wrong.
  const rng = new Rng(7);
  const ties: number[] = [];
  while (ties.length < 10_000) {
    const x = Math.fround(200 * rng.random() - 120);
    if (x >= -87.3 && tieDistance(1 / (1 + Math.exp(-x))) < 1 << 17) ties.push(x);
  }
  const sensitive = ties.filter((x) => {
    const v = 1 / (1 + Math.exp(-x));
    return Math.fround(v * (1 + 1e-12)) !== Math.fround(v * (1 - 1e-12));
  }).length;
  t.ok(sensitive > 400, `${sensitive} of the ${ties.length} logits flip float32 under a 1e-12 relative error`);
  const xs = Float32Array.from(ties);
  const out = new Float32Array(xs.length);
  sigmoidInto(xs, 0, out);
  t.equal(xs.filter((x, i) => out[i] !== formula32(x)).length, 0, "sigmoidInto mismatches");
  t.equal(ties.filter((x) => Math.fround(sigmoid(x)) !== formula32(x)).length, 0, "sigmoid mismatches");
});

t.test("sigmoidInto equals the formula on every float32 of nine whole binades (75M logits)", async (t) => {
  // Without the near-tie check the fast path differs here (1 ulp on one logit in each of
  // -[0.5, 1), -[1, 2) and -[8, 16)), so this test can fail.
  const bits = new Uint32Array(1 << 23);
  const xs = new Float32Array(bits.buffer);
  const out = new Float32Array(xs.length);
  const scratch = new Int32Array(xs.length);
  const binades: [number, number][] = [[0, 126], [0, 127], [0, 130], [0, 132], [1, 126], [1, 127], [1, 130], [1, 132], [1, 133]];
  for (const [sign, exponent] of binades) {
    const base = ((sign << 31) | (exponent << 23)) >>> 0;
    for (let m = 0; m < bits.length; m++) bits[m] = base + m;
    sigmoidInto(xs, 0, out, scratch);
    let mismatches = 0;
    for (let i = 0; i < xs.length; i++) if (out[i] !== formula32(xs[i] as number)) mismatches++;
    t.equal(mismatches, 0, `x in ${sign ? "-" : "+"}[${2 ** (exponent - 127)}, ${2 ** (exponent - 126)})`);
  }
});

t.test("special values and an offset source", async (t) => {
  const xs = Float32Array.of(7, NaN, Infinity, -Infinity, 0, -0, 17.3, 17.4, 40, 41, -87, -88, -103.9, -104, -105, 1e-30, -1e-30, 3.4e38, -3.4e38);
  const out = new Float32Array(xs.length - 1);
  sigmoidInto(xs, 1, out);
  for (let i = 0; i < out.length; i++) {
    const x = xs[i + 1] as number;
    if (Number.isNaN(x)) t.ok(Number.isNaN(out[i]), "NaN stays NaN");
    else t.equal(out[i], formula32(x), `x = ${x}`);
  }
});

t.test("overlapSums and foregroundIndices give exactly softDice's sums and the direct counts", async (t) => {
  const rng = new Rng(8);
  const [h, w] = [61, 83];
  for (let trial = 0; trial < 20; trial++) {
    const logits = randomLogits(rng, h * w);
    const prob = new Float32Array(h * w);
    sigmoidInto(logits, 0, prob);
    const gt = new Uint8Array(h * w);
    const density = rng.random();
    for (let i = 0; i < gt.length; i++) gt[i] = rng.random() < density ? 1 : 0;
    const fg = new Int32Array(h * w);
    const count = foregroundIndices(gt, fg);
    const s = overlapSums(prob, fg, count);
    let gtCount = 0, hardInter = 0, hardPred = 0;
    for (let i = 0; i < gt.length; i++) {
      const hard = (prob[i] as number) > 0.5 ? 1 : 0;
      gtCount += gt[i] as number;
      hardPred += hard;
      hardInter += hard & (gt[i] as number);
    }
    t.equal(count, gtCount, "foreground count");
    t.equal((2 * s.inter + 1e-6) / (gtCount + s.sum + 1e-6), softDice(ndarray(gt, [h, w]), ndarray(prob, [h, w])), "soft dice identical");
    t.same([s.hardInter, s.hardPred], [hardInter, hardPred], "IoU counts");
  }
});
