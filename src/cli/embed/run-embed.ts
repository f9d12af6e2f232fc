import { basename, dirname } from "node:path";
import { SingleBar, Presets } from "cli-progress";
import { InvalidArgumentError } from "../../core/errors";
import { EmbeddingCache } from "../../segmenters/cache/embedding-cache";
import { OnnxSamSegmenter } from "../../segmenters/onnx/onnx-sam-segmenter";
import type { PromptableSegmenter } from "../../segmenters/promptable-segmenter";
import { createSegmenter, positiveInt } from "../commands/segmenter-options";
import type { SegmenterCliOptions } from "../commands/segmenter-options";
import { embedShard, entryDir } from "./embed-shard";
import { parseDtype, parseProviders, parseResizeTo } from "./embed-flags";
import type { EmbedShardCliOptions } from "./embed-flags";
import { imageId } from "./image-key";
import { resolveShard, shardOf } from "./shard";
import { verifyCoverage } from "./verify-cache";

/** Exit code of `embed verify` when the cache does not cover the dataset. */
export const INCOMPLETE_EXIT_CODE = 2;

/** Everything `embed` needs besides the dataset: segmenter, cache and shard flags. */
export type RunEmbedOptions = SegmenterCliOptions & EmbedShardCliOptions & { progress: boolean };

/**
 * Run `embed` (or `embed verify`) over `files`, the dataset's images under `imageRoot`: checks
 * every flag first (one sentence naming the bad one), then embeds this shard or verifies
 * coverage, printing one summary line. Sets process.exitCode (1: failed images, 2: incomplete
 * cache, 130: interrupted).
 */
export async function runEmbed(o: RunEmbedOptions, files: string[], imageRoot: string, verify: boolean): Promise<void> {
  if (!o.cache) throw new InvalidArgumentError("embed needs --cache <dir>: the embeddings are written there");
  const shard = resolveShard(o, process.env);
  const resizeTo = parseResizeTo(o.resizeTo);
  const dtype = parseDtype(o.dtype);
  const batchSize = positiveInt(o.batchSize, "--batch-size");
  const providers = parseProviders(o.executionProvider);
  const onnx = o.segmenter === "onnx-sam";
  if (!onnx && providers.some((p) => p !== "cpu")) {
    throw new InvalidArgumentError(
      `--execution-provider ${o.executionProvider} applies to --segmenter onnx-sam (the ${o.segmenter} segmenter runs in JavaScript)`,
    );
  }
  if (!onnx && batchSize > 1) {
    throw new InvalidArgumentError(
      `--batch-size ${batchSize} needs --segmenter onnx-sam with a dynamic-batch encoder (the ${o.segmenter} segmenter embeds one image at a time)`,
    );
  }
  const segmenter: PromptableSegmenter = createSegmenter(o, onnx ? { executionProviders: providers } : {}).inner;
  const cache = new EmbeddingCache({ dir: o.cache, maxBytes: 0, dtype });
  const dataset = datasetName(imageRoot);
  const shardLabel = shard.count > 1 ? `shard ${shard.index} of ${shard.count} (${shard.source}): ` : "";
  try {
    if (verify) {
      const mine =
        shard.count > 1 ? files.filter((f) => shardOf(imageId(imageRoot, f), shard.count) === shard.index) : files;
      const r = await verifyCoverage({
        files: mine,
        imageRoot,
        dataset,
        entryDir: entryDir(cache, segmenter.id),
        segmenterId: segmenter.id,
        resizeTo,
        checksums: o.checksums === true,
        listFolder: shard.count === 1, // one shard's images: the other shards' entries are not foreign
      });
      const folder = r.foreign === null ? "" : `${r.foreign} foreign entries, ${r.tempFiles} temp files, `;
      console.log(
        `${shardLabel}verify ${dataset} (${segmenter.id}): ${r.images} images, ${r.present} present, ${r.missing.length} missing, ` +
          `${r.corrupt.length} corrupt, ${r.unreadable.length} unreadable, ${folder}` +
          `${r.hashed} hashed without a manifest, ${r.seconds.toFixed(2)} s -> ${r.complete ? "complete" : "INCOMPLETE"}`,
      );
      const show = (what: string, ids: string[]): void => {
        if (ids.length)
          console.log(`${what}: ${ids.slice(0, 10).join(", ")}${ids.length > 10 ? `, ... (${ids.length})` : ""}`);
      };
      show("missing", r.missing);
      show("corrupt", r.corrupt);
      show(
        "unreadable",
        r.unreadable.map((u) => `${u.image} (${u.reason})`),
      );
      if (!r.complete) process.exitCode = INCOMPLETE_EXIT_CODE;
      return;
    }
    if (batchSize > 1 && segmenter instanceof OnnxSamSegmenter) {
      const fixed = await segmenter.encoderBatchSize();
      if (fixed !== null && fixed !== batchSize) {
        throw new InvalidArgumentError(
          `--batch-size ${batchSize} needs an encoder with a dynamic batch axis, but ${o.encoder} takes ${fixed} image(s) per run: re-export it or use --batch-size 1`,
        );
      }
    }
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once("SIGINT", stop).once("SIGTERM", stop);
    const bar = o.progress
      ? new SingleBar(
          { stream: process.stderr, format: "{bar} {value}/{total} {eta_formatted} left" },
          Presets.shades_classic,
        )
      : null;
    let r;
    try {
      r = await embedShard({
        files,
        imageRoot,
        dataset,
        cache,
        segmenter,
        shard,
        resizeTo,
        batchSize,
        checksums: o.checksums === true,
        signal: controller.signal,
        onProgress: (done, total) => {
          if (done === 1) bar?.start(total, 0);
          bar?.update(done);
        },
      });
    } finally {
      bar?.stop();
      process.off("SIGINT", stop).off("SIGTERM", stop);
    }
    const m = r.manifest;
    console.log(
      `${shardLabel}${m.counts.assigned} images, ${m.done.length} embedded, ${m.skipped.length} already cached, ${m.failed.length} failed, ` +
        `${m.seconds.toFixed(1)} s, ${r.imagesPerSecond.toFixed(2)} images/s -> ${o.cache} (manifest ${r.manifestPath})`,
    );
    for (const f of m.failed.slice(0, 10)) console.error(`failed: ${f.image}: ${f.reason}`);
    if (controller.signal.aborted) {
      console.error("interrupted: the manifest is written; run the same command again to resume");
      process.exitCode = 130;
    } else if (m.failed.length > 0) process.exitCode = 1;
  } finally {
    await segmenter.dispose?.();
  }
}

/**
 * The name manifests record for an image folder: its own name ("val2017" for COCO's
 * images/val2017), or its parent's when it is a generic "images" folder (GrabCut, mask folders).
 */
export function datasetName(imageRoot: string): string {
  const own = basename(imageRoot);
  return own === "images" ? basename(dirname(imageRoot)) || own : own;
}
