import type { Command } from "commander";
import { InvalidArgumentError } from "../../core/errors";
import type { PromptableSegmenter } from "../../segmenters";
import { CachedSegmenter, GeodesicSegmenter, createSegmenterFromSpec } from "../../segmenters";
import type { OnnxSamSegmenterOptions, SegmenterSpec } from "../../segmenters";

/** Parsed segmenter options shared by `embed`, `evaluate-segmenter`, `demo`, `train` and `eval`. */
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
    .option("--cache-mb <n>", "in-memory embedding cache budget, MiB (default 256)");
}

/**
 * The segmenter the flags describe as plain data (null for the default geodesic segmenter).
 * @throws InvalidArgumentError on an unknown --segmenter, onnx-sam without --decoder, or model
 *   flags given to the geodesic segmenter.
 */
export function segmenterSpecFromOptions(o: SegmenterCliOptions): SegmenterSpec | null {
  if (o.segmenter === "geodesic" || o.segmenter === undefined) {
    const stray =
      o.encoder !== undefined
        ? "--encoder"
        : o.decoder !== undefined
          ? "--decoder"
          : o.threads !== undefined
            ? "--threads"
            : null;
    if (stray)
      throw new InvalidArgumentError(
        `${stray} is for --segmenter onnx-sam (the geodesic segmenter has no model files)`,
      );
    return null;
  }
  if (o.segmenter === "onnx-sam") {
    if (!o.decoder)
      throw new InvalidArgumentError(
        "--segmenter onnx-sam needs --decoder <path> (and --encoder <path> to embed images)",
      );
    return {
      kind: "onnx-sam",
      decoderPath: o.decoder,
      ...(o.encoder !== undefined ? { encoderPath: o.encoder } : {}),
      ...(o.threads !== undefined ? { intraOpNumThreads: positiveInt(o.threads, "--threads") } : {}),
    };
  }
  throw new InvalidArgumentError(`--segmenter must be "geodesic" or "onnx-sam", got "${o.segmenter}"`);
}

/**
 * The SamSegEnv options the segmenter flags give, as plain data: `segmenter` (a SegmenterSpec)
 * and `embeddingCache` ({ dir, maxBytes } from --cache / --cache-mb). Empty at the defaults.
 */
export function segmenterEnvKwargs(o: SegmenterCliOptions): Record<string, unknown> {
  const spec = segmenterSpecFromOptions(o);
  const out: Record<string, unknown> = {};
  if (spec) out.segmenter = spec;
  if (o.cache !== undefined || o.cacheMb !== undefined) {
    out.embeddingCache = {
      ...(o.cache !== undefined ? { dir: o.cache } : {}),
      maxBytes: positiveInt(o.cacheMb ?? "256", "--cache-mb", true) * 1024 * 1024,
    };
  }
  return out;
}

/** Build the segmenter the options describe, wrapped in an embedding cache (`onnx`: extra onnx-sam options). */
export function createSegmenter(
  o: SegmenterCliOptions,
  onnx: Pick<OnnxSamSegmenterOptions, "executionProviders"> = {},
): CachedSegmenter {
  const spec = segmenterSpecFromOptions(o);
  const inner: PromptableSegmenter = spec
    ? createSegmenterFromSpec(spec.kind === "onnx-sam" ? { ...spec, ...onnx } : spec)
    : new GeodesicSegmenter();
  const maxBytes = positiveInt(o.cacheMb ?? "256", "--cache-mb", true) * 1024 * 1024;
  return new CachedSegmenter(inner, { dir: o.cache, maxBytes });
}

/** Parse a (positive, or non-negative) integer option, naming it in the error. */
export function positiveInt(v: string, name: string, allowZero = false): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1))
    throw new InvalidArgumentError(`${name} must be a ${allowZero ? "non-negative" : "positive"} integer, got "${v}"`);
  return n;
}
