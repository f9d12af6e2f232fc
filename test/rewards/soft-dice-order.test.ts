// overlapSums' summation order is part of its contract (SamSegEnv's SIMD kernel uses the same):
// four interleaved partial sums combined as (p0 + p1) + (p2 + p3), then the tail in order.
import t from "tap";
import ndarray from "ndarray";
import { overlapSums } from "../../src/rewards/overlap-sums";
import { softDice } from "../../src/rewards/soft-dice";

t.test("partial sums by index mod 4: a case where sequential summation differs", async (t) => {
  const tiny = 2 ** -53; // a float32; 1 + tiny rounds back to 1 in float64 (tie to even)
  const pred = Float32Array.of(1, 0, tiny, tiny);
  const gt = Uint8Array.of(1, 1, 1, 1);
  const s = overlapSums(gt, 0, pred, 0, 4);
  t.equal(s.sum, 1 + 2 ** -52, "(1 + 0) + (tiny + tiny)");
  t.equal(s.inter, 1 + 2 ** -52);
  t.not(1 + 0 + tiny + tiny, s.sum, "sequential summation would give 1");
});

t.test("the tail after the last group of four is added in index order", async (t) => {
  const tiny = 2 ** -53;
  const pred = Float32Array.of(1, 0, 0, 0, tiny, tiny);
  const s = overlapSums(new Uint8Array(6), 0, pred, 0, 6);
  t.equal(s.sum, 1, "(1) + tiny + tiny, each rounding back to 1");
  t.equal(s.inter, 0, "no foreground");
  t.same([s.gtCount, s.hardPred, s.hardInter], [0, 1, 0]);
});

t.test("offsets, counts and softDice on a strided (transposed) view", async (t) => {
  const gt = Uint8Array.of(9, 0, 1, 1, 0, 0, 1);
  const pred = Float32Array.of(5, 0.75, 0.25, 0.5, 1, 0.625, 0);
  const s = overlapSums(gt, 1, pred, 1, 6); // gt 0 1 1 0 0 1, pred .75 .25 .5 1 .625 0
  t.same(s, { sum: 3.125, inter: 0.75, gtCount: 3, hardPred: 3, hardInter: 0 }, "sums");
  const g = ndarray(Uint8Array.of(1, 0, 0, 1), [2, 2]);
  const p = ndarray(Float32Array.of(0.5, 0.25, 0.75, 1), [2, 2]);
  const dice = softDice(g, p);
  t.equal(softDice(g.transpose(1, 0), p.transpose(1, 0)), dice, "a transposed pair gives the same Dice");
  t.ok(Math.abs(dice - (2 * 1.5 + 1e-6) / (2 + 2.5 + 1e-6)) < 1e-12);
});
