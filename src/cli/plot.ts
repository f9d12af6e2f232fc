import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { drawLine, drawPolyline, drawRect, drawText, fillRect, measureText } from "../data/draw";
import type { Rgb } from "../data/draw";
import { encodePng } from "../data/image-io";

/** One curve of a chart: x and y values of equal length (non-finite y values are skipped). */
export interface Series {
  label: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  color: Rgb;
}

/** One panel of a figure. */
export interface Panel {
  title: string;
  series: Series[];
  xLabel?: string;
}

const BACKGROUND: Rgb = [255, 255, 255];
const AXIS: Rgb = [60, 60, 60];
const GRID: Rgb = [225, 225, 225];
const TEXT: Rgb = [20, 20, 20];

/** A short label of a tick value: 12, 0.25, 1.5e-3, 120k, 3.2M. */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  if (a === 0 || (a >= 0.01 && a < 1e4)) return `${+v.toFixed(a < 1 ? 3 : a < 100 ? 2 : 0)}`;
  return v.toExponential(1);
}

/**
 * "Nice" axis ticks (Heckbert's rule): a step of 1, 2 or 5 times a power of ten giving at most
 * `maxTicks` intervals over [min, max], and the range widened to whole steps:
 * niceTicks(0.13, 0.87) -> step 0.2, ticks 0, 0.2, ..., 1. Labels come from {@link formatNiceTick}.
 */
export function niceTicks(
  min: number,
  max: number,
  maxTicks = 5,
): { lo: number; hi: number; step: number; ticks: number[] } {
  if (!(max > min)) max = min + 1;
  const raw = (max - min) / Math.max(1, maxTicks);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw - 1e-12 * mag) ?? 10) * mag;
  const lo = Math.floor(min / step + 1e-9) * step,
    hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; lo + k * step <= hi + step * 1e-9; k++) ticks.push(+(lo + k * step).toPrecision(12));
  return { lo, hi, step, ticks };
}

/** A tick label with as many decimals as the step needs: 0.2 -> "0.2", 2500 -> "2.5k", 1e-4 steps -> "3e-4". */
export function formatNiceTick(v: number, step: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e6 && step >= 1e5) return `${+(v / 1e6).toFixed(Math.max(0, 6 - Math.floor(Math.log10(step))))}M`;
  if (a >= 1e4 && step >= 100) return `${+(v / 1e3).toFixed(Math.max(0, 3 - Math.floor(Math.log10(step))))}k`;
  if (step < 1e-3) return `${+(v / 10 ** Math.floor(Math.log10(step))).toFixed(0)}e${Math.floor(Math.log10(step))}`;
  return `${+v.toFixed(Math.max(0, -Math.floor(Math.log10(step) + 1e-9)))}`;
}

/** Draw one panel (axes, grid, ticks, title, legend, curves) into `image` at [x0, y0, w, h]. */
function drawPanel(image: NdArray<Uint8Array>, panel: Panel, x0: number, y0: number, w: number, h: number): void {
  const left = x0 + 56,
    right = x0 + w - 10,
    top = y0 + 22,
    bottom = y0 + h - 26;
  drawText(image, panel.title, x0 + 8, y0 + 6, { color: TEXT, descenders: true });
  let xmin = Infinity,
    xmax = -Infinity,
    ymin = Infinity,
    ymax = -Infinity;
  for (const s of panel.series) {
    for (let i = 0; i < s.xs.length; i++) {
      const x = s.xs[i] as number,
        y = s.ys[i] as number;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      xmin = Math.min(xmin, x);
      xmax = Math.max(xmax, x);
      ymin = Math.min(ymin, y);
      ymax = Math.max(ymax, y);
    }
  }
  drawRect(image, left, top, right, bottom, AXIS);
  if (!Number.isFinite(xmin)) {
    drawText(image, "no data yet", left + 10, top + 10, { color: AXIS, descenders: true });
    return;
  }
  if (xmax === xmin) xmax = xmin + 1;
  if (ymax === ymin) {
    ymax += 0.5;
    ymin -= 0.5;
  }
  const yAxis = niceTicks(ymin, ymax, 4);
  ymin = yAxis.lo;
  ymax = yAxis.hi;
  const xAxis = niceTicks(xmin, xmax, 4);
  const px = (x: number): number => left + ((x - xmin) / (xmax - xmin)) * (right - left);
  const py = (y: number): number => bottom - ((y - ymin) / (ymax - ymin)) * (bottom - top);
  for (const yv of yAxis.ticks) {
    const yy = Math.round(py(yv));
    if (yy > top && yy < bottom) drawLine(image, left + 1, yy, right - 1, yy, GRID);
    const label = formatNiceTick(yv, yAxis.step);
    drawText(image, label, left - 4 - measureText(label).width, yy - 3, { color: TEXT, descenders: true });
  }
  for (const xv of xAxis.ticks) {
    if (xv < xmin - 1e-9 * (xmax - xmin) || xv > xmax + 1e-9 * (xmax - xmin)) continue;
    const xx = Math.round(px(xv));
    const xl = formatNiceTick(xv, xAxis.step);
    drawLine(image, xx, bottom, xx, bottom + 3, AXIS);
    drawText(
      image,
      xl,
      Math.min(Math.max(xx - measureText(xl).width / 2, x0), x0 + w - measureText(xl).width),
      bottom + 5,
      { color: TEXT, descenders: true },
    );
  }
  if (panel.xLabel)
    drawText(image, panel.xLabel, right - measureText(panel.xLabel).width, bottom + 15, {
      color: AXIS,
      descenders: true,
    });
  let legendX = right - 4;
  for (const s of [...panel.series].reverse()) {
    const width = measureText(s.label).width;
    legendX -= width + 16;
    fillRect(image, legendX, y0 + 8, legendX + 8, y0 + 12, s.color);
    drawText(image, s.label, legendX + 11, y0 + 6, { color: TEXT, descenders: true });
  }
  for (const s of panel.series) {
    const points: Array<[number, number]> = [];
    for (let i = 0; i < s.xs.length; i++) {
      const x = s.xs[i] as number,
        y = s.ys[i] as number;
      if (Number.isFinite(x) && Number.isFinite(y)) points.push([Math.round(px(x)), Math.round(py(y))]);
    }
    if (points.length === 1)
      fillRect(image, points[0]![0] - 1, points[0]![1] - 1, points[0]![0] + 2, points[0]![1] + 2, s.color);
    else if (points.length > 1) drawPolyline(image, points, s.color, 2);
  }
}

/**
 * Render panels in a grid (`columns` wide) into an RGB image [H, W, 3] uint8, each panel
 * `panelSize` = [w, h] pixels.
 */
export function renderFigure(
  panels: Panel[],
  columns = 2,
  panelSize: [number, number] = [420, 260],
): NdArray<Uint8Array> {
  const [pw, ph] = panelSize;
  const rows = Math.max(1, Math.ceil(panels.length / columns));
  const cols = Math.min(columns, Math.max(1, panels.length));
  const image = ndarray(new Uint8Array(rows * ph * cols * pw * 3), [rows * ph, cols * pw, 3]);
  fillRect(image, 0, 0, cols * pw, rows * ph, BACKGROUND);
  panels.forEach((p, i) => drawPanel(image, p, (i % cols) * pw, Math.floor(i / cols) * ph, pw, ph));
  return image;
}

/** {@link renderFigure} encoded as PNG bytes. */
export function renderFigurePng(panels: Panel[], columns = 2, panelSize: [number, number] = [420, 260]): Uint8Array {
  return encodePng(renderFigure(panels, columns, panelSize));
}

/** Trailing moving average over `window` points (for noisy episodic returns). */
export function movingAverage(ys: ArrayLike<number>, window: number): Float64Array {
  const out = new Float64Array(ys.length);
  let sum = 0;
  for (let i = 0; i < ys.length; i++) {
    sum += ys[i] as number;
    if (i >= window) sum -= ys[i - window] as number;
    out[i] = sum / Math.min(i + 1, window);
  }
  return out;
}

/**
 * The Vega-Lite (v5) spec of a figure: one layered line chart per panel (series as colours,
 * non-finite points left out), panels wrapped `columns` wide, data inlined. Open it in the Vega
 * editor or render it with vega-cli.
 */
export function figureVegaLite(panels: Panel[], columns = 2): Record<string, unknown> {
  const hex = (c: Rgb): string => `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    columns,
    concat: panels.map((p) => ({
      title: p.title,
      width: 360,
      height: 200,
      data: {
        values: p.series.flatMap((s) => {
          const rows: Array<{ x: number; y: number; series: string }> = [];
          for (let i = 0; i < s.xs.length; i++) {
            const x = s.xs[i] as number,
              y = s.ys[i] as number;
            if (Number.isFinite(x) && Number.isFinite(y)) rows.push({ x, y, series: s.label });
          }
          return rows;
        }),
      },
      mark: { type: "line", point: false },
      encoding: {
        x: { field: "x", type: "quantitative", title: p.xLabel ?? "x" },
        y: { field: "y", type: "quantitative", title: null, scale: { zero: false } },
        color: {
          field: "series",
          type: "nominal",
          title: null,
          scale: { domain: p.series.map((s) => s.label), range: p.series.map((s) => hex(s.color)) },
        },
      },
    })),
  };
}
