import t from "tap";
import { CorrectionPlanesScratch, writeCorrectionPlanes } from "../../../src/ppo/agents/correction-planes";

// A 5x5 grid: the prior covers the 3x3 block at rows/cols 1..3, the mask covers column 3..4 of rows 1..3.
const q = new Float32Array(25),
  m = new Float32Array(25);
for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) q[y * 5 + x] = 0.9;
const block = (a: Float32Array, y: number, x: number): number => a[y * 5 + x] as number;

t.test("difference: max(q - m, 0) and max(m - q, 0), never both", async (t) => {
  const mask = new Float32Array(25).fill(0.25);
  const pos = new Float32Array(25),
    neg = new Float32Array(25);
  writeCorrectionPlanes("difference", q, mask, pos, neg, new CorrectionPlanesScratch(5, 5));
  t.equal(block(pos, 2, 2), Math.fround(0.9 - 0.25));
  t.equal(block(neg, 2, 2), 0);
  t.equal(block(pos, 0, 0), 0);
  t.equal(block(neg, 0, 0), 0.25);
});

t.test("distance: the click simulator's distance-to-border maps with the prior as ground truth", async (t) => {
  const pos = new Float32Array(25),
    neg = new Float32Array(25);
  const scratch = new CorrectionPlanesScratch(5, 5);
  writeCorrectionPlanes("distance", q, m, pos, neg, scratch);
  // Empty mask: the whole 3x3 prior block is missed; its centre is 2 cells from outside, its rim 1.
  t.equal(block(pos, 2, 2), 1, "the centre of the largest disagreement is 1");
  t.equal(block(pos, 1, 1), 0.5, "rim cells: distance 1 of 2");
  t.equal(block(pos, 0, 0), 0, "outside the region: 0");
  t.equal(
    neg.reduce((a, b) => a + b, 0),
    0,
    "nothing spilled",
  );
  // The mask covers columns 3..4 of rows 1..3: columns 1..2 are missed, column 4 spilled.
  const mask = new Float32Array(25);
  for (let y = 1; y <= 3; y++) for (let x = 3; x <= 4; x++) mask[y * 5 + x] = 0.8;
  writeCorrectionPlanes("distance", q, mask, pos, neg, scratch);
  t.equal(block(pos, 2, 3), 0, "covered by both: no disagreement");
  t.ok(block(pos, 2, 1) > 0 && block(pos, 2, 2) > 0, "missed columns are positive");
  t.ok(block(neg, 2, 4) > 0 && block(neg, 2, 3) === 0, "the spilled column is negative");
  t.equal(Math.max(...pos, ...neg), 1, "normalised by the largest distance over both planes");
  // Agreement everywhere: both planes are 0 (no division by zero).
  writeCorrectionPlanes("distance", q, q, pos, neg, scratch);
  t.equal(Math.max(...pos, ...neg), 0);
});
