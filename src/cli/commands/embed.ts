import type { Command } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { InvalidArgumentError } from "../../core/errors";
import { loadImage } from "../../data";
import { addSegmenterOptions, createSegmenter, positiveInt } from "./segmenter-options";
import type { SegmenterCliOptions } from "./segmenter-options";
import { datasetImageFiles } from "./evaluation-samples";
import { addDatasetOptions, type DatasetCliOptions } from "./dataset-options";

interface EmbedCliOptions extends SegmenterCliOptions, DatasetCliOptions {
  dataset: string;
  limit?: string;
  progress: boolean;
}

/**
 * Register `alignsam-gym embed`: precompute the embedding of every image of a dataset into an
 * on-disk cache (`--cache`), so later runs (training, evaluation) never run the encoder again.
 * Images already cached are skipped (disk hits).
 *
 * @example
 * ```sh
 * alignsam-gym embed --dataset coco --path data/coco --split val2017 --cache .cache/emb \
 *   --segmenter onnx-sam --encoder sam_encoder.onnx --decoder sam_decoder.onnx
 * ```
 */
export function addEmbedCommand(program: Command): void {
  const cmd = program
    .command("embed")
    .description("Precompute the segmenter embeddings of every image of a dataset into an on-disk cache")
    .option("--limit <n>", "embed at most n images")
    .option("--no-progress", "no progress bar");
  addDatasetOptions(cmd, { kinds: ["grabcut", "coco", "maskfolder"], required: true, defaultSplit: "val2017" });
  addSegmenterOptions(cmd);
  cmd.action(async (o: EmbedCliOptions) => {
    if (!o.cache) throw new InvalidArgumentError("embed needs --cache <dir>: the embeddings are written there");
    const segmenter = createSegmenter(o);
    try {
      let files = await datasetImageFiles(o);
      if (o.limit !== undefined) files = files.slice(0, positiveInt(o.limit, "--limit"));
      const bar = o.progress ? new SingleBar({ stream: process.stderr, format: "{bar} {value}/{total} {eta_formatted} left" }, Presets.shades_classic) : null;
      bar?.start(files.length, 0);
      const t0 = performance.now();
      for (const [i, file] of files.entries()) {
        await segmenter.embed(await loadImage(file));
        segmenter.cache.clearMemory(); // the point is the disk cache; keep memory flat
        bar?.update(i + 1);
      }
      bar?.stop();
      const s = segmenter.cache.stats();
      console.log(
        `${files.length} images, ${s.misses} embedded, ${s.diskHits} already cached, ${s.corruptFiles} corrupt files replaced, ` +
          `${s.writeErrors} write errors, ${((performance.now() - t0) / 1000).toFixed(1)} s -> ${o.cache}`,
      );
      if (s.writeErrors > 0) process.exitCode = 1;
    } finally {
      await segmenter.dispose();
    }
  });
}
