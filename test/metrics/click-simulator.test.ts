import t from "tap";
import ndarray from "ndarray";
import { nextClick } from "../../src/metrics";
import { InvalidArgumentError } from "../../src/core/errors";
import { empty, rect } from "./helpers";

// Golden cases of segmenters.md (grid 12x16, (row, col)); clicks are returned as (x = col, y = row).
t.test("golden: empty prediction -> positive click at the deepest fn pixel (5, 3)", async (t) => {
  const gt = rect(12, 16, 2, 9, 0, 8);
  t.same(nextClick(gt, empty(12, 16)), { x: 3, y: 5, positive: true });
});

t.test("golden: without padding the same case clicks (5, 0)", async (t) => {
  const gt = rect(12, 16, 2, 9, 0, 8);
  t.same(nextClick(gt, empty(12, 16), { padding: false }), { x: 0, y: 5, positive: true });
});

t.test("golden: over-segmentation -> negative click at (4, 11)", async (t) => {
  const gt = rect(12, 16, 2, 9, 0, 8);
  const pred = rect(12, 16, 2, 9, 0, 14);
  t.same(nextClick(gt, pred), { x: 11, y: 4, positive: false });
});

t.test("golden: tie 2.0 vs 2.0 goes negative at (9, 11)", async (t) => {
  const gt = rect(12, 16, 1, 3, 1, 3);
  const pred = rect(12, 16, 8, 10, 10, 12);
  t.same(nextClick(gt, pred), { x: 11, y: 9, positive: false });
});

t.test("clicked pixels are excluded, the next best pixel is chosen", async (t) => {
  const gt = rect(12, 16, 2, 9, 0, 8);
  // (5, 3) and (5, 4) and (6, 3) .. attain 4.0; excluding (5, 3) moves to the next in row-major order.
  const c = nextClick(gt, empty(12, 16), { clicked: [{ x: 3, y: 5 }] });
  t.same(c, { x: 4, y: 5, positive: true });
});

t.test("ignored pixels are not errors and act as boundary", async (t) => {
  const gt = rect(12, 16, 2, 9, 0, 8);
  const ignore = rect(12, 16, 0, 11, 0, 8); // everything of gt ignored
  t.equal(nextClick(gt, empty(12, 16), { ignore }), null);
  const band = rect(12, 16, 2, 9, 0, 3); // ignore the left part: the deepest point moves right
  const c = nextClick(gt, empty(12, 16), { ignore: band });
  t.ok(c && c.positive && c.x >= 5, `click moved right of the band: ${JSON.stringify(c)}`);
});

t.test("perfect prediction -> null; strided views work", async (t) => {
  const gt = rect(12, 16, 2, 9, 0, 8);
  t.equal(nextClick(gt, gt), null);
  // [H, W, 2] stack, pick channel 1 (a strided view) equals the dense case.
  const stack = ndarray(new Uint8Array(12 * 16 * 2), [12, 16, 2]);
  for (let r = 2; r <= 9; r++) for (let c = 0; c <= 8; c++) stack.set(r, c, 1, 1);
  t.same(nextClick(stack.pick(null, null, 1), empty(12, 16)), { x: 3, y: 5, positive: true });
});

t.test("shape mismatch and bad clicks throw typed errors naming the value", async (t) => {
  t.throws(() => nextClick(empty(4, 4), empty(4, 5)), InvalidArgumentError);
  t.throws(() => nextClick(empty(4, 4), empty(4, 4), { clicked: [{ x: NaN, y: 0 }] }), /clicked\[0\]/);
  t.throws(() => nextClick(ndarray(new Uint8Array(4), [4]), empty(4, 4)), /\[4\]/);
});
