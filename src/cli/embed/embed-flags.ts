import type { Command } from "commander";
import { InvalidArgumentError } from "../../core/errors";
import type { EmbeddingStorageDtype } from "../../segmenters/cache/embedding-file";

/** The sharding / provider / verify / resize / dtype flags of `embed`, as commander parses them. */
export interface EmbedShardCliOptions {
  shardIndex?: string;
  shardCount?: string;
  verify?: boolean;
  checksums?: boolean;
  resizeTo?: string;
  executionProvider: string;
  batchSize: string;
  dtype: string;
}

/** Add --shard-index, --shard-count, --verify, --checksums, --resize-to, --execution-provider, --batch-size, --dtype. */
export function addEmbedShardOptions(cmd: Command): Command {
  return cmd
    .option(
      "--shard-index <i>",
      "this worker's shard, 0..count-1 (default: JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID)",
    )
    .option("--shard-count <n>", "number of shards (default: ALIGNSAM_SHARD_COUNT or SLURM_ARRAY_TASK_COUNT)")
    .option("--verify", "check that the cache covers the dataset instead of embedding (exit code 2 when incomplete)")
    .option("--checksums", "check the SHA-256 of every present entry (reads every byte), not only its length")
    .option("--resize-to <H,W>", "resize images to the env's imgShape first, so entries match SamSegEnv's cache keys")
    .option(
      "--execution-provider <names>",
      "onnxruntime execution providers, comma-separated: cpu, cuda, tensorrt, ...",
      "cpu",
    )
    .option("--batch-size <n>", "images per encoder run (onnx-sam encoders with a dynamic batch axis)", "1")
    .option("--dtype <type>", "storage of new entries: float32, or float16 (half the disk)", "float32");
}

/** `--resize-to H,W` as [H, W] (null when absent). */
export function parseResizeTo(v: string | undefined): [number, number] | null {
  if (v === undefined) return null;
  const m = /^\s*(\d+)\s*[,x]\s*(\d+)\s*$/.exec(v);
  const hw = m ? [Number(m[1]), Number(m[2])] : [];
  if (!m || hw.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw new InvalidArgumentError(
      `--resize-to must be H,W (two positive integers, e.g. 375,500 for SamSegEnv's default imgShape), got "${v}"`,
    );
  }
  return hw as [number, number];
}

/** `--dtype` as a storage dtype. */
export function parseDtype(v: string): EmbeddingStorageDtype {
  if (v !== "float32" && v !== "float16")
    throw new InvalidArgumentError(`--dtype must be "float32" or "float16", got "${v}"`);
  return v;
}

/** `--execution-provider a,b` as ["a", "b"], each checked to be a plain provider name. */
export function parseProviders(v: string): string[] {
  const names = v.split(",").map((s) => s.trim().toLowerCase());
  if (names.some((n) => !/^[a-z][a-z0-9_-]*$/.test(n))) {
    throw new InvalidArgumentError(
      `--execution-provider must be provider names separated by commas (e.g. "cuda,cpu"), got "${v}"`,
    );
  }
  return names;
}
