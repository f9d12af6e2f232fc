import type { Command } from "commander";
import { InvalidArgumentError } from "../../core/errors";
import { addSegmenterOptions, positiveInt } from "./segmenter-options";
import { datasetImages } from "./evaluation-samples";
import { addDatasetOptions, type DatasetCliOptions } from "./dataset-options";
import { addEmbedShardOptions } from "../embed/embed-flags";
import { runEmbed } from "../embed/run-embed";
import type { RunEmbedOptions } from "../embed/run-embed";

interface EmbedCliOptions extends RunEmbedOptions, DatasetCliOptions {
  dataset: string;
  limit?: string;
}

/**
 * Register `alignsam-gym embed`: precompute the embedding of every image of a dataset into an
 * on-disk cache (`--cache`), so later runs (training, evaluation) never run the encoder again.
 * Images already cached are skipped (counted). `--shard-index/--shard-count` (or a Kubernetes
 * Indexed Job's / Slurm array's variables) split the images between workers filling one shared
 * folder; each shard keeps a manifest there. `embed verify` checks a folder's coverage.
 *
 * @example
 * ```sh
 * alignsam-gym embed --dataset coco --path data/coco --split val2017 --cache .cache/emb \
 *   --segmenter onnx-sam --encoder sam_encoder.onnx --decoder sam_decoder.onnx --resize-to 375,500
 * alignsam-gym embed verify --dataset coco --path data/coco --split val2017 --cache .cache/emb ...
 * ```
 */
export function addEmbedCommand(program: Command): void {
  const cmd = program
    .command("embed")
    .description("Precompute the segmenter embeddings of every image of a dataset into an on-disk cache")
    .argument("[mode]", '"verify": check that the cache covers the dataset (same as --verify)')
    .option("--limit <n>", "embed at most n images")
    .option("--no-progress", "no progress bar");
  addDatasetOptions(cmd, { kinds: ["grabcut", "coco", "maskfolder"], required: true, defaultSplit: "val2017" });
  addSegmenterOptions(cmd);
  addEmbedShardOptions(cmd);
  cmd.action(async (mode: string | undefined, o: EmbedCliOptions) => {
    if (mode !== undefined && mode !== "verify") {
      throw new InvalidArgumentError(`embed takes no argument but "verify" (to check coverage), got "${mode}"`);
    }
    const { root, files: all } = await datasetImages(o);
    let files = all;
    if (o.limit !== undefined) files = files.slice(0, positiveInt(o.limit, "--limit"));
    await runEmbed(o, files, root, mode === "verify" || o.verify === true);
  });
}
