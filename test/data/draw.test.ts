import t from "tap";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { drawText, measureText, fillRect, drawRect, fillDisc, drawLine, drawPolyline } from "../../src/data/draw";
import { InvalidArgumentError } from "../../src/core";

const blank = (h: number, w: number): NdArray<Uint8Array> => ndarray(new Uint8Array(h * w * 3), [h, w, 3]);
const lit = (img: NdArray<Uint8Array>): string[] => {
  const [h, w] = img.shape as [number, number];
  return Array.from({ length: h }, (_, y) =>
    Array.from({ length: w }, (_, x) => (img.get(y, x, 0) > 0 ? "#" : ".")).join(""),
  );
};

t.test("drawText renders 5x7 glyphs with 1 px spacing, clipped, scaled", async (t) => {
  const img = blank(9, 13);
  drawText(img, "H1", 1, 1, { color: [255, 0, 0] });
  t.same(lit(img), [
    ".............",
    ".#...#...#...",
    ".#...#..##...",
    ".#...#...#...",
    ".#####...#...",
    ".#...#...#...",
    ".#...#...#...",
    ".#...#..###..",
    ".............",
  ]);
  t.equal(img.get(1, 1, 1), 0, "colour is red only");
  t.same(measureText("H1"), { width: 11, height: 7 });
  t.same(measureText("ab", 3), { width: 33, height: 21 });
  t.same(measureText(""), { width: 0, height: 0 });
  const big = blank(20, 20);
  drawText(big, "I", 0, 0, { scale: 2 });
  t.equal(big.get(0, 2, 0), 255);
  t.equal(big.get(13, 5, 0), 255);
  t.equal(big.get(14, 5, 0), 0, "7 rows x 2");
  const clipped = blank(4, 4);
  drawText(clipped, "WWW", -3, -2); // must not throw
  const base = blank(10, 6);
  drawText(base, "I", 0, 8, { anchor: "baseline" });
  t.equal(base.get(8, 2, 0), 255, "baseline row is the glyph's last row");
  t.equal(base.get(1, 2, 0), 0);
  t.equal(base.get(2, 2, 0), 255);
  const unknown = blank(7, 5),
    q = blank(7, 5);
  drawText(unknown, "\u00e9", 0, 0);
  drawText(q, "?", 0, 0);
  t.same(lit(unknown), lit(q), "non-ASCII draws as '?'");
  const sh = blank(9, 7);
  drawText(sh, ".", 0, 0, { color: [255, 255, 255], shadow: [9, 9, 9] });
  t.equal(sh.get(6, 2, 0), 255);
  t.equal(sh.get(7, 3, 0), 9, "shadow 1 px down-right");
  t.throws(() => drawText(blank(2, 2), "x", 0, 0, { scale: 0 }), InvalidArgumentError);
  t.throws(() => drawText(ndarray(new Uint8Array(4), [2, 2, 1]), "x", 0, 0), /\[H, W, 3\]/);
});

t.test("fillDisc paints exactly the pixels within the radius", async (t) => {
  const img = blank(7, 7);
  fillDisc(img, 3, 3, 2, [0, 255, 0]);
  t.same(
    lit(img).map((r) => r.replace(/#/g, "x")),
    [".......", ".......", ".......", ".......", ".......", ".......", "......."],
    "red channel untouched",
  );
  const g: string[] = [];
  for (let y = 0; y < 7; y++) g.push(Array.from({ length: 7 }, (_, x) => (img.get(y, x, 1) ? "#" : ".")).join(""));
  t.same(g, [".......", "...#...", "..###..", ".#####.", "..###..", "...#...", "......."]);
  const edge = blank(5, 5);
  fillDisc(edge, 0, 0, 10, [1, 1, 1]);
  t.equal(edge.get(4, 4, 0), 1, "clipped, no throw");
});

t.test("rectangles and lines", async (t) => {
  const img = blank(5, 6);
  fillRect(img, 1, 1, 3, 4, [7, 7, 7]);
  t.same(lit(img), ["......", ".##...", ".##...", ".##...", "......"]);
  const r = blank(4, 5);
  drawRect(r, 0, 0, 5, 4, [1, 1, 1]);
  t.same(lit(r), ["#####", "#...#", "#...#", "#####"]);
  const l = blank(4, 4);
  drawLine(l, 0, 0, 3, 3, [1, 1, 1]);
  t.same(lit(l), ["#...", ".#..", "..#.", "...#"]);
  const p = blank(3, 5);
  drawPolyline(
    p,
    [
      [0, 0],
      [4, 0],
      [4, 2],
    ],
    [1, 1, 1],
  );
  t.same(lit(p), ["#####", "....#", "....#"]);
  const thick = blank(5, 5);
  drawLine(thick, 0, 2, 4, 2, [1, 1, 1], 3);
  t.same(lit(thick), [".....", "#####", "#####", "#####", "....."]);
  // strided view (a column-flipped image) works too
  const base = blank(2, 3);
  fillRect(base.step(1, -1), 0, 0, 1, 1, [5, 5, 5]);
  t.equal(base.get(0, 2, 0), 5);
});
