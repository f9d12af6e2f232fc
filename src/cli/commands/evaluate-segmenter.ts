import { writeFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { Command } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { evaluateSegmenter } from "../../segmenters";
import type { SegmenterEvaluation } from "../../segmenters";
import { addSegmenterOptions, createSegmenter, positiveInt } from "./segmenter-options";
import type { SegmenterCliOptions } from "./segmenter-options";
import { openSamples } from "./evaluation-samples";
import { addDatasetOptions, type DatasetCliOptions } from "./dataset-options";

interface EvaluateCliOptions extends SegmenterCliOptions, DatasetCliOptions {
  dataset: string;
  limit?: string;
  seed: string;
  maxClicks: string;
  multimask: boolean;
  feedMask: boolean;
  json?: string;
  progress: boolean;
}

/**
 * Register `alignsam-gym evaluate-segmenter`: run the standard click protocol (see
 * `evaluateSegmenter`) over GrabCut, COCO or a mask folder and print NoC@85, NoC@90, NoF@90 and mIoU@{1,3,5}.
 *
 * @example
 * ```sh
 * alignsam-gym evaluate-segmenter --dataset grabcut --path ../shared/datasets/grabcut
 * ```
 */
export function addEvaluateSegmenterCommand(program: Command): void {
  const cmd = program
    .command("evaluate-segmenter")
    .description("Run the standard interactive-segmentation click protocol over a dataset and print NoC/NoF/mIoU")
    .option("--limit <n>", "evaluate at most n samples (coco default 100)")
    .option("--seed <n>", "sampling seed (coco)", "0")
    .option("--max-clicks <n>", "clicks per sample", "20")
    .option("--no-multimask", "single-mask output instead of the best of three")
    .option("--no-feed-mask", "do not feed the previous low-res logits back as mask input")
    .option("--json <file>", "also write the per-sample IoU curves and the summary as JSON")
    .option("--no-progress", "no progress bar");
  addDatasetOptions(cmd, { kinds: ["grabcut", "coco", "maskfolder"], required: true, defaultSplit: "val2017" });
  addSegmenterOptions(cmd).action(async (o: EvaluateCliOptions) => {
    const segmenter = createSegmenter(o);
    try {
      const { samples, total } = await openSamples({
        ...o,
        limit: o.limit === undefined ? undefined : positiveInt(o.limit, "--limit"),
        seed: positiveInt(o.seed, "--seed", true),
      });
      const bar = o.progress
        ? new SingleBar({ stream: process.stderr, format: "{bar} {value}/{total} {name}" }, Presets.shades_classic)
        : null;
      bar?.start(total, 0, { name: "" });
      const report = await evaluateSegmenter(segmenter, samples, {
        maxClicks: positiveInt(o.maxClicks, "--max-clicks"),
        multimask: o.multimask,
        feedMaskInput: o.feedMask,
        onSample: (i, r) => bar?.update(i + 1, { name: r.name }),
      });
      bar?.stop();
      const title = `${segmenter.id} on ${o.dataset} (${report.samples.length} samples) from ${basename(resolve(o.path ?? o.images ?? o.annotations ?? "."))}`;
      console.log(formatEvaluation(report, title));
      if (o.json) await writeFile(o.json, JSON.stringify(report, null, 1));
    } finally {
      await segmenter.dispose();
    }
  });
}

/** The summary table of an evaluation, as printed by the command (markdown). */
export function formatEvaluation(r: SegmenterEvaluation, title: string): string {
  const perSample = (f: (s: SegmenterEvaluation["samples"][number]) => number): string =>
    (r.samples.reduce((a, s) => a + f(s), 0) / r.samples.length).toFixed(1);
  const heads = [
    ...Object.keys(r.nocAt).map((t) => `NoC@${Math.round(Number(t) * 100)}`),
    ...Object.keys(r.nofAt).map((t) => `NoF@${Math.round(Number(t) * 100)}`),
    ...Object.keys(r.miouAt).map((k) => `mIoU@${k}`),
  ];
  const cells = [
    ...Object.values(r.nocAt).map((v) => v.toFixed(2)),
    ...Object.values(r.nofAt).map((v) => String(v)),
    ...Object.values(r.miouAt).map((v) => v.toFixed(3)),
  ];
  return [
    `${title}, max ${r.maxClicks} clicks`,
    `| ${heads.join(" | ")} |`,
    `|${heads.map(() => "---").join("|")}|`,
    `| ${cells.join(" | ")} |`,
    `mean embed ${perSample((s) => s.embedMs)} ms/image, mean predict ${perSample((s) => s.predictMs / Math.max(1, s.clicks.length))} ms/click`,
  ].join("\n");
}
