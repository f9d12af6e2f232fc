import t from "tap";
import { ActionGrid } from "../../../src/envs/sam-seg/action-grid";
import { snapPositiveClick } from "../../../src/envs/sam-seg/snapping";
import { boxMask } from "../../../src/testing";
import { InvalidArgumentError } from "../../../src/core";

const X_CENTRES = [
  7, 23, 39, 54, 70, 85, 101, 117, 132, 148, 164, 179, 195, 210, 226, 242, 257, 273, 289, 304, 320, 335, 351, 367, 382,
  398, 414, 429, 445, 460, 476, 492,
];
const Y_CENTRES = [
  5, 17, 29, 41, 52, 64, 76, 87, 99, 111, 123, 134, 146, 158, 169, 181, 193, 205, 216, 228, 240, 251, 263, 275, 287,
  298, 310, 322, 333, 345, 357, 369,
];

t.test("decode table of the spec (375x500, 32 patches)", async (t) => {
  const g = new ActionGrid([375, 500], { numPatches: 32 });
  t.equal(g.n, 2048);
  t.equal(g.patchWidth, 15.625);
  t.equal(g.patchHeight, 11.71875);
  t.equal(g.patchSize, 15.625);
  t.same(Array.from(g.xCentres), X_CENTRES);
  t.same(Array.from(g.yCentres), Y_CENTRES);
  const table: Array<[number, number, number, boolean]> = [
    [0, 7, 5, true],
    [1, 7, 5, false],
    [2, 7, 17, true],
    [63, 7, 369, false],
    [64, 23, 5, true],
    [1022, 242, 369, true],
    [2046, 492, 369, true],
    [2047, 492, 369, false],
  ];
  for (const [a, x, y, positive] of table) t.same(g.decode(a), { x, y, positive }, `action ${a}`);
});

t.test("actionFor inverts decode and picks the nearest centre, lowest id on ties", async (t) => {
  const g = new ActionGrid([375, 500], { numPatches: 32 });
  for (let a = 0; a < g.n; a += 37) {
    const d = g.decode(a);
    t.equal(g.actionFor(d, d.positive), a);
  }
  t.equal(g.actionFor({ x: 25, y: 4 }, false), 65);
  t.equal(g.actionFor({ x: 15, y: 5 }, true), 0, "x = 15 is 8 px from 7 and from 23: the lower id wins");
  t.equal(g.actionFor({ x: -100, y: 1000 }, true), 62, "far outside: nearest corner");
  t.throws(() => g.actionFor({ x: NaN, y: 0 }, true), InvalidArgumentError);
});

t.test("imgPatchSize mode; centres clamped into the image (FIX)", async (t) => {
  const g = new ActionGrid([375, 500], { imgPatchSize: 16 });
  t.equal(g.nW, 32);
  t.equal(g.nH, 24);
  t.equal(g.n, 2 * 32 * 24);
  t.same(g.decode(g.n - 2), { x: 499, y: 374, positive: true }, "reference: (504, 376), outside the image");
  t.same(g.decode(0), { x: 8, y: 8, positive: true });
  t.equal(g.patchSize, 16);
  t.throws(() => new ActionGrid([10, 10], { imgPatchSize: 0 }), InvalidArgumentError);
  t.throws(() => new ActionGrid([10, 10], { numPatches: 2.5 }), InvalidArgumentError);
  t.throws(() => new ActionGrid([10, 10], {} as { numPatches: number }), /exactly one of imgPatchSize and numPatches/);
  t.throws(
    () => new ActionGrid([10, 10], { numPatches: 2, imgPatchSize: 3 } as unknown as { numPatches: number }),
    /exactly one/,
  );
});

t.test("validity: integers in [0, n) only", async (t) => {
  const g = new ActionGrid([375, 500], { numPatches: 32 });
  for (const bad of [2048, -1, 1.5, NaN, "3", null, undefined, Infinity]) t.notOk(g.isValid(bad), String(bad));
  t.ok(g.isValid(0));
  t.ok(g.isValid(2047));
});

t.test("snapping: the spec's test vector and window bounds", async (t) => {
  const g = new ActionGrid([375, 500], { numPatches: 32 });
  const gt = boxMask([375, 500], [{ x0: 90, y0: 50, x1: 200, y1: 150 }]).data;
  const snap = (a: number) => snapPositiveClick(gt, [375, 500], g.decode(a), g.patchSize);
  t.same(g.decode(328), { x: 85, y: 52, positive: true });
  t.same(snap(328), { x: 90, y: 54 });
  t.same(g.decode(326), { x: 85, y: 41, positive: true });
  t.same(snap(326), { x: 85, y: 41 }, "no foreground in the window");
  t.same(snapPositiveClick(gt, [375, 500], { x: 100, y: 60 }, 15.625), { x: 100, y: 60 }, "already on foreground");
  // Upper bounds exclusive: foreground exactly 7 px right of the click is outside [x-7, x+7).
  const edge = boxMask([20, 20], [{ x0: 17, y0: 0, x1: 20, y1: 20 }]).data;
  t.same(snapPositiveClick(edge, [20, 20], { x: 10, y: 10 }, 15.625), { x: 10, y: 10 });
  t.same(snapPositiveClick(edge, [20, 20], { x: 11, y: 10 }, 15.625), { x: 17, y: 9 }, "rows [3, 17): mean 9.5 -> 9");
  // Clipped at the image border.
  const corner = boxMask([20, 20], [{ x0: 0, y0: 0, x1: 2, y1: 2 }]).data;
  t.same(snapPositiveClick(corner, [20, 20], { x: 3, y: 3 }, 15.625), { x: 0, y: 0 });
});
