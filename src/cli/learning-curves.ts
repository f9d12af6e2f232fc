// The learning-curve figure of a training run (PNG and its Vega-Lite spec), written atomically.
import { renameSync, writeFileSync } from "node:fs";
import type { MetricsLog } from "./metrics-log";
import { figureVegaLite, movingAverage, renderFigurePng } from "./plot";
import type { Panel } from "./plot";

/**
 * Draw the learning curves (return, final IoU if any, value loss, policy loss, entropy, approx
 * KL / clipfrac) to a PNG, atomically, and their Vega-Lite spec beside it (`<name>.vl.json`).
 */
export function writeLearningCurves(metrics: MetricsLog, path: string, title: string): void {
  const steps = metrics.column("global_step");
  const ret = metrics.column("charts/episodic_return");
  const smooth = (ys: Float64Array): Float64Array => {
    const xs = Array.from(ys).filter(Number.isFinite);
    const s = movingAverage(xs, 10);
    let j = 0;
    return ys.map((y) => (Number.isFinite(y) ? (s[j++] as number) : NaN));
  };
  const panels: Panel[] = [
    {
      title: `${title}: episodic return`,
      xLabel: "env steps",
      series: [
        { label: "per iteration", xs: steps, ys: ret, color: [170, 200, 235] },
        { label: "mean of 10", xs: steps, ys: smooth(ret), color: [31, 119, 180] },
      ],
    },
  ];
  const iou = metrics.column("charts/final_iou");
  if (iou.some(Number.isFinite)) {
    panels.push({
      title: "final IoU",
      xLabel: "env steps",
      series: [
        { label: "per iteration", xs: steps, ys: iou, color: [180, 225, 180] },
        { label: "mean of 10", xs: steps, ys: smooth(iou), color: [44, 160, 44] },
      ],
    });
  }
  panels.push(
    {
      title: "value loss",
      xLabel: "env steps",
      series: [{ label: "value", xs: steps, ys: metrics.column("losses/value_loss"), color: [214, 39, 40] }],
    },
    {
      title: "policy loss",
      xLabel: "env steps",
      series: [{ label: "policy", xs: steps, ys: metrics.column("losses/policy_loss"), color: [148, 103, 189] }],
    },
    {
      title: "entropy",
      xLabel: "env steps",
      series: [{ label: "entropy", xs: steps, ys: metrics.column("losses/entropy"), color: [255, 127, 14] }],
    },
    {
      title: "approx KL / clipfrac",
      xLabel: "env steps",
      series: [
        { label: "approx_kl", xs: steps, ys: metrics.column("losses/approx_kl"), color: [140, 86, 75] },
        { label: "clipfrac", xs: steps, ys: metrics.column("losses/clipfrac"), color: [23, 190, 207] },
      ],
    },
  );
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, renderFigurePng(panels));
  renameSync(tmp, path);
  writeJsonAtomic(path.replace(/\.png$/, "") + ".vl.json", figureVegaLite(panels));
}

/** Write JSON atomically (temporary file, then rename). */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + "\n");
  renameSync(tmp, path);
}
