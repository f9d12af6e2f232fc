import type { Command } from "commander";
import { InvalidArgumentError } from "../../core/errors";
import type { PromptableSegmenter } from "../../segmenters";
import { CachedSegmenter, GeodesicSegmenter, OnnxSamSegmenter } from "../../segmenters";
import type { OnnxSamSegmenterOptions } from "../../segmenters";

/** Parsed segmenter options shared by `embed` and `evaluate-segmenter`. */
export interface SegmenterCliOptions {
  segmenter: string;
  encoder?: string;
  decoder?: string;
  threads?: string;
  cache?: string;
  cacheMb?: string;
}

/** Add --segmenter, --encoder, --decoder, --threads, --cache and --cache-mb to a command. */
export function addSegmenterOptions(cmd: Command): Command {
  return cmd
    .option("--segmenter <name>", "geodesic (weight-free) or onnx-sam", "geodesic")
    .option("--encoder <path>", "SAM encoder .onnx (onnx-sam)")
    .option("--decoder <path>", "SAM decoder .onnx (onnx-sam)")
    .option("--threads <n>", "onnxruntime intra-op threads (onnx-sam)")
    .option("--cache <dir>", "on-disk embedding cache directory")
    .option("--cache-mb <n>", "in-memory embedding cache budget, MiB", "256");
}

/** Build the segmenter the options describe, wrapped in an embedding cache (`onnx`: extra onnx-sam options). */
export function createSegmenter(
  o: SegmenterCliOptions,
  onnx: Pick<OnnxSamSegmenterOptions, "executionProviders"> = {},
): CachedSegmenter {
  let inner: PromptableSegmenter;
  if (o.segmenter === "geodesic") inner = new GeodesicSegmenter();
  else if (o.segmenter === "onnx-sam") {
    if (!o.decoder) throw new InvalidArgumentError("--segmenter onnx-sam needs --decoder <path> (and --encoder <path> to embed images)");
    inner = new OnnxSamSegmenter({
      encoderPath: o.encoder,
      decoderPath: o.decoder,
      intraOpNumThreads: o.threads === undefined ? undefined : positiveInt(o.threads, "--threads"),
      ...onnx,
    });
  } else throw new InvalidArgumentError(`--segmenter must be "geodesic" or "onnx-sam", got "${o.segmenter}"`);
  const maxBytes = positiveInt(o.cacheMb ?? "256", "--cache-mb", true) * 1024 * 1024;
  return new CachedSegmenter(inner, { dir: o.cache, maxBytes });
}

/** Parse a (positive, or non-negative) integer option, naming it in the error. */
export function positiveInt(v: string, name: string, allowZero = false): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new InvalidArgumentError(`${name} must be a ${allowZero ? "non-negative" : "positive"} integer, got "${v}"`);
  return n;
}
