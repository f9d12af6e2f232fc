import t from "tap";
import ndarray from "ndarray";
import { drawText } from "../../src/data/draw";
import { figureVegaLite, formatNiceTick, niceTicks, renderFigure } from "../../src/cli/plot";

t.test("niceTicks: steps of 1, 2 or 5 x 10^k covering the data", async (t) => {
  t.same(niceTicks(0.13, 0.87), { lo: 0, hi: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
  t.same(niceTicks(64, 6144, 4).ticks, [0, 2000, 4000, 6000, 8000]);
  t.same(niceTicks(-0.031, 0.012, 4), { lo: -0.04, hi: 0.02, step: 0.02, ticks: [-0.04, -0.02, 0, 0.02] });
  t.same(
    niceTicks(3, 3),
    { lo: 3, hi: 4, step: 0.2, ticks: [3, 3.2, 3.4, 3.6, 3.8, 4] },
    "an empty range gets a width of one",
  );
  for (const [a, b] of [
    [1.7e-4, 9.3e-4],
    [12, 15_000],
    [-3, 2.5],
    [0.5, 0.5000001],
  ]) {
    const r = niceTicks(a!, b!);
    t.ok(r.lo <= a! && r.hi >= b!, `[${a}, ${b}] covered by [${r.lo}, ${r.hi}]`);
    t.ok(r.ticks.length <= 7, `${r.ticks.length} ticks`);
    const m = r.step / 10 ** Math.floor(Math.log10(r.step));
    t.ok(
      [1, 2, 5].some((x) => Math.abs(m - x) < 1e-9),
      `step ${r.step} is 1, 2 or 5 x 10^k`,
    );
  }
});

t.test("formatNiceTick: as many decimals as the step needs", async (t) => {
  t.equal(formatNiceTick(0.4, 0.2), "0.4");
  t.equal(formatNiceTick(0.15, 0.05), "0.15");
  t.equal(formatNiceTick(12_000, 2000), "12k");
  t.equal(formatNiceTick(12_500, 500), "12.5k");
  t.equal(formatNiceTick(1_500_000, 500_000), "1.5M");
  t.equal(formatNiceTick(3e-4, 1e-4), "3e-4");
  t.equal(formatNiceTick(0, 0.2), "0");
  t.equal(formatNiceTick(-2, 1), "-2");
});

t.test("figureVegaLite: one layered line chart per panel, finite points only", async (t) => {
  const spec = figureVegaLite([
    {
      title: "return",
      xLabel: "env steps",
      series: [{ label: "mean", xs: [1, 2, 3], ys: [0.5, NaN, 1.5], color: [31, 119, 180] }],
    },
    { title: "loss", series: [{ label: "value", xs: [1], ys: [2], color: [255, 0, 16] }] },
  ]) as {
    $schema: string;
    concat: Array<{
      title: string;
      data: { values: unknown[] };
      encoding: { color: { scale: { range: string[] } }; x: { title: string } };
    }>;
  };
  t.match(spec.$schema, /vega-lite\/v5/);
  t.equal(spec.concat.length, 2);
  t.same(spec.concat[0]!.data.values, [
    { x: 1, y: 0.5, series: "mean" },
    { x: 3, y: 1.5, series: "mean" },
  ]);
  t.equal(spec.concat[0]!.encoding.x.title, "env steps");
  t.same(spec.concat[1]!.encoding.color.scale.range, ["#ff0010"]);
  const image = renderFigure(
    [{ title: "t", series: [{ label: "s", xs: [0, 1, 2], ys: [0.1, 0.5, 0.3], color: [0, 0, 0] }] }],
    1,
  );
  t.same(image.shape, [260, 420, 3]);
});

t.test("drawText descenders: g j p q y reach two rows below the baseline only when asked", async (t) => {
  const rowsInked = (text: string, descenders: boolean): number[] => {
    const img = ndarray(new Uint8Array(12 * 40 * 3), [12, 40, 3]);
    drawText(img, text, 0, 0, { color: [255, 255, 255], descenders });
    const rows: number[] = [];
    for (let y = 0; y < 12; y++)
      for (let x = 0; x < 40; x++)
        if (img.get(y, x, 0) > 0) {
          rows.push(y);
          break;
        }
    return rows;
  };
  t.same(rowsInked("py", false), [2, 3, 4, 5, 6], "compact 5x7 forms by default");
  t.same(rowsInked("py", true), [2, 3, 4, 5, 6, 7, 8]);
  t.same(rowsInked("ab", true), rowsInked("ab", false), "other glyphs unchanged");
});
