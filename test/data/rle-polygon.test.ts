import t from "tap";
import ndarray from "ndarray";
import fc from "fast-check";
import { InvalidArgumentError } from "../../src/core/errors";
import {
  rleDecode,
  rleEncode,
  rleArea,
  rleMerge,
  rleRuns,
  rleCountsFromString,
  rleCountsToString,
  maskToRuns,
} from "../../src/data/rle";
import { polygonsToMask, polygonsToRuns, segmentationToMask } from "../../src/data/polygon";

/** Rows of a binary mask as strings of '#' and '.', for readable goldens. */
function art(m: ndarray.NdArray): string[] {
  const rows: string[] = [];
  for (let y = 0; y < m.shape[0]!; y++) {
    let s = "";
    for (let x = 0; x < m.shape[1]!; x++) s += m.get(y, x) ? "#" : ".";
    rows.push(s);
  }
  return rows;
}

function fromArt(rows: string[]): ndarray.NdArray<Uint8Array> {
  const h = rows.length,
    w = rows[0]!.length;
  const d = new Uint8Array(h * w);
  rows.forEach((r, y) => [...r].forEach((c, x) => (d[y * w + x] = c === "#" ? 1 : 0)));
  return ndarray(d, [h, w]);
}

t.test("rleDecode reads counts column-major, 0-run first", async (t) => {
  // 2x3 mask; column-major (row, col) order (0,0) (1,0) (0,1) (1,1) (0,2) (1,2) gets 0 1 1 0 0 1.
  const m = rleDecode({ size: [2, 3], counts: [1, 2, 2, 1] });
  t.same(art(m), [".#.", "#.#"]);
  t.equal(rleArea({ size: [2, 3], counts: [1, 2, 2, 1] }), 3);
  // a mask starting with a 1 begins with a zero-length 0-run
  t.same(art(rleDecode({ size: [1, 3], counts: [0, 1, 2] })), ["#.."]);
});

t.test("rleEncode: hand-checked golden (pycocotools string codec)", async (t) => {
  const m = fromArt(["......", ".###..", ".###..", "......", "......"]);
  const r = rleEncode(m);
  // runs: col 0 + row 0 of col 1 = 6 zeros, 2 ones, 3 zeros, 2, 3, 2, then 12 zeros
  t.same(Array.from(maskToRuns(m).counts), [6, 2, 3, 2, 3, 2, 12]);
  // '6','2','3' raw; then deltas to the count two before: 2-2, 3-3, 2-2 -> '0','0','0'; 12-3 = 9 -> '9'
  t.same(r, { size: [5, 6], counts: "6230009" });
  t.equal(rleArea(r), 6);
  t.same(art(rleDecode(r)), art(m));
});

t.test("string codec: multi-character and negative deltas", async (t) => {
  // 100000 = 3*32^3 + 1*32^2 + 21*32 + 0 -> 5-bit groups low first: 0, 21, 1, 3; 3 has bit 0x10 clear, stop.
  // chars: 0|0x20 -> 'P', 21|0x20 -> 'e', 1|0x20 -> 'Q', 3 -> '3'
  t.equal(rleCountsToString([100000]), "PeQ3");
  // [0, 100000, 5, 99999, 3]: index 3 is stored as 99999 - 100000 = -1 -> 0x1f -> 'O'; index 4 as 3 - 5 = -2 -> 'N'
  t.equal(rleCountsToString([0, 100000, 5, 99999, 3]), "0PeQ35ON");
  t.same(Array.from(rleCountsFromString("0PeQ35ON")), [0, 100000, 5, 99999, 3]);
  t.throws(() => rleCountsFromString("0P"), InvalidArgumentError, "ends inside a count");
  t.throws(() => rleCountsFromString("0~"), InvalidArgumentError, "bad character");
});

t.test("round trips: mask -> RLE string -> mask, and counts <-> string", async (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 12 }),
      fc.array(fc.boolean(), { minLength: 144, maxLength: 144 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (h, w, bits, p) => {
        const d = new Uint8Array(h * w);
        for (let i = 0; i < d.length; i++) d[i] = bits[i]! && p > 0.2 ? 1 : 0;
        const m = ndarray(d, [h, w]);
        const r = rleEncode(m);
        const back = rleDecode(r);
        const area = d.reduce((a, b) => a + b, 0);
        return Buffer.compare(Buffer.from(back.data), Buffer.from(d)) === 0 && rleArea(r) === area;
      },
    ),
  );
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 30 }), (counts) => {
      return JSON.stringify(Array.from(rleCountsFromString(rleCountsToString(counts)))) === JSON.stringify(counts);
    }),
  );
});

t.test("rleDecode rejects runs that do not cover h * w", async (t) => {
  t.throws(() => rleDecode({ size: [2, 2], counts: [1, 2] }), InvalidArgumentError);
  t.throws(() => rleDecode({ size: [2, 2], counts: [1, 2, 3] }), /sum to 6/);
  t.throws(() => rleRuns({ size: [2, -1], counts: [] } as never), InvalidArgumentError);
  t.throws(() => rleRuns({ size: [2, 2], counts: [1.5, 2.5] }), /not a non-negative integer/);
});

t.test("rleMerge: union and intersection, canonical runs", async (t) => {
  const a = maskToRuns(fromArt(["##..", "##..", "...."]));
  const b = maskToRuns(fromArt([".##.", ".##.", ".##."]));
  t.same(art(rleDecode(rleMerge([a, b]))), ["###.", "###.", ".##."]);
  t.same(art(rleDecode(rleMerge([a, b], true))), [".#..", ".#..", "...."]);
  const u = rleMerge([a, b]);
  t.same(Array.from(u.counts), Array.from(maskToRuns(rleDecode(u)).counts), "merge output is the canonical encoding");
  t.throws(() => rleMerge([a, maskToRuns(fromArt(["#"]))]), /differs/);
});

t.test("polygonsToMask: golden boxes and areas (pycocotools rasterisation)", async (t) => {
  // Box with corners (1,1) and (4,3): pixel columns 1..3, rows 1..2 -> area 6 (width 3 x height 2).
  const box = polygonsToMask([[1, 1, 4, 1, 4, 3, 1, 3]], 5, 6);
  t.same(art(box), ["......", ".###..", ".###..", "......", "......"]);
  t.equal(rleCountsToString(polygonsToRuns([[1, 1, 4, 1, 4, 3, 1, 3]], 5, 6).counts), "6230009");
  // pycocotools' frPyObjects quirk: a first entry of 4 numbers is a box [x, y, w, h]; 10x10 -> area 100.
  const quirk = polygonsToRuns([[0, 0, 10, 10]], 20, 20);
  t.equal(rleArea(quirk), 100);
  t.equal(rleCountsToString(quirk.counts), "0::00000000000000000X6", "string from pycocotools' maskApi.c");
});

t.test("polygonsToMask: triangle and multi-polygon union match pycocotools' maskApi.c", async (t) => {
  // Strings printed by pycocotools' maskApi.c (rleFrPoly + rleMerge + rleToString) for the same input.
  const tri = polygonsToRuns([[0.5, 0.5, 5.5, 0.5, 3, 4.5]], 6, 7);
  t.equal(rleCountsToString(tri.counts), "7152N00N=");
  t.same(art(rleDecode(tri)), [".......", ".####..", "..##...", "..##...", ".......", "......."]);
  // Two boxes overlapping in one pixel: 3x3 + 4x4 - 1 = 24 pixels.
  const two = polygonsToRuns(
    [
      [1, 1, 4, 1, 4, 4, 1, 4],
      [3, 3, 7, 3, 7, 7, 3, 7],
    ],
    8,
    8,
  );
  t.equal(rleCountsToString(two.counts), "935003ON00005");
  t.equal(rleArea(two), 24);
  t.same(art(rleDecode(two)), [
    "........",
    ".###....",
    ".###....",
    ".######.",
    "...####.",
    "...####.",
    "...####.",
    "........",
  ]);
});

t.test("polygonsToMask: clipping at the image border and negative coordinates", async (t) => {
  // A box hanging over every border is clipped to the image: all 4x3 pixels set.
  const m = polygonsToMask([[-3, -2, 10, -2, 10, 9, -3, 9]], 3, 4);
  t.same(art(m), ["####", "####", "####"]);
});

t.test("segmentation decoding: polygons, uncompressed and compressed RLE agree", async (t) => {
  const poly = [[1, 1, 4, 1, 4, 3, 1, 3]];
  const fromPoly = segmentationToMask(poly, 5, 6);
  const fromCounts = segmentationToMask({ size: [5, 6], counts: [6, 2, 3, 2, 3, 2, 12] }, 5, 6);
  const fromString = segmentationToMask({ size: [5, 6], counts: "6230009" }, 5, 6);
  t.same(art(fromCounts), art(fromPoly));
  t.same(art(fromString), art(fromPoly));
  t.throws(() => segmentationToMask({ foo: 1 }, 5, 6), /unsupported segmentation/);
  t.throws(() => polygonsToMask([], 5, 6), InvalidArgumentError);
  t.throws(() => polygonsToMask([[1, 2, 3, 4, 5]], 5, 6), /at least 6/);
  t.throws(() => polygonsToMask([[1, 1, 4, 1, 4, 3]], 0, 6), /positive integers/);
});
