import { createHash } from "node:crypto";
import { InvalidArgumentError } from "../../core/errors";

/** One shard of a sharded precompute: `index` in 0..count-1, and where the numbers came from. */
export interface ShardSpec {
  index: number;
  count: number;
  /** "flags", "kubernetes" (JOB_COMPLETION_INDEX), "slurm" (SLURM_ARRAY_TASK_*) or "none" (one shard). */
  source: "flags" | "kubernetes" | "slurm" | "none";
}

/** Environment variable giving the shard count to a Kubernetes Indexed Job pod (the Job's `completions`). */
export const SHARD_COUNT_ENV = "ALIGNSAM_SHARD_COUNT";

/**
 * The shard (0..count-1) an image belongs to: the first 48 bits of SHA-256(`id`) (big-endian)
 * modulo `count`. `id` is the image's path relative to the dataset's image folder, with "/"
 * separators, so the assignment depends on neither the list order, nor which images exist, nor
 * where the folder is mounted: every host computes the same split.
 *
 * @example
 * ```ts
 * shardOf("000000000139.jpg", 8); // the same number on every host, every run
 * ```
 */
export function shardOf(id: string, count: number): number {
  const d = createHash("sha256").update(id, "utf8").digest();
  return (d.readUInt32BE(0) * 65536 + d.readUInt16BE(4)) % count;
}

/** Parse a non-negative integer from a flag or an environment variable, naming it in the error. */
function parseIndex(v: string, what: string, min: number): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isInteger(n) || n < min) {
    throw new InvalidArgumentError(`${what} must be an integer >= ${min}, got "${v}"`);
  }
  return n;
}

/**
 * Which shard this process is: `--shard-index`/`--shard-count` when given, else a Kubernetes
 * Indexed Job's `JOB_COMPLETION_INDEX` (count from `--shard-count` or ALIGNSAM_SHARD_COUNT), else
 * a Slurm array's `SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN` (MIN 0 when unset; count from
 * `--shard-count` or SLURM_ARRAY_TASK_COUNT), else shard 0 of 1.
 * @throws InvalidArgumentError (one sentence naming the flag or variable) on a missing count, a
 *   non-integer, or an index outside 0..count-1.
 */
export function resolveShard(flags: { shardIndex?: string; shardCount?: string }, env: NodeJS.ProcessEnv): ShardSpec {
  const flagCount = flags.shardCount === undefined ? undefined : parseIndex(flags.shardCount, "--shard-count", 1);
  const envCount = (name: string): number | undefined =>
    env[name] === undefined ? undefined : parseIndex(env[name]!, name, 1);
  let spec: ShardSpec;
  let from: string;
  if (flags.shardIndex !== undefined) {
    const count = flagCount ?? envCount(SHARD_COUNT_ENV);
    if (count === undefined)
      throw new InvalidArgumentError(
        `--shard-index ${flags.shardIndex} needs --shard-count <n> (or ${SHARD_COUNT_ENV})`,
      );
    spec = { index: parseIndex(flags.shardIndex, "--shard-index", 0), count, source: "flags" };
    from = "--shard-index";
  } else if (env.JOB_COMPLETION_INDEX !== undefined) {
    const count = flagCount ?? envCount(SHARD_COUNT_ENV);
    if (count === undefined) {
      throw new InvalidArgumentError(
        `JOB_COMPLETION_INDEX=${env.JOB_COMPLETION_INDEX} is set (a Kubernetes Indexed Job) but the shard count is not: pass --shard-count <completions> or set ${SHARD_COUNT_ENV}`,
      );
    }
    spec = { index: parseIndex(env.JOB_COMPLETION_INDEX, "JOB_COMPLETION_INDEX", 0), count, source: "kubernetes" };
    from = "JOB_COMPLETION_INDEX";
  } else if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const count = flagCount ?? envCount("SLURM_ARRAY_TASK_COUNT");
    if (count === undefined) {
      throw new InvalidArgumentError(
        `SLURM_ARRAY_TASK_ID=${env.SLURM_ARRAY_TASK_ID} is set but SLURM_ARRAY_TASK_COUNT is not: pass --shard-count <n>`,
      );
    }
    const id = parseIndex(env.SLURM_ARRAY_TASK_ID, "SLURM_ARRAY_TASK_ID", 0);
    const min =
      env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : parseIndex(env.SLURM_ARRAY_TASK_MIN, "SLURM_ARRAY_TASK_MIN", 0);
    spec = { index: id - min, count, source: "slurm" };
    from = `SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN (${id} - ${min})`;
  } else {
    if (flagCount !== undefined && flagCount > 1) {
      throw new InvalidArgumentError(
        `--shard-count ${flagCount} needs --shard-index <i> (or JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID)`,
      );
    }
    return { index: 0, count: 1, source: "none" };
  }
  if (spec.index < 0 || spec.index >= spec.count) {
    throw new InvalidArgumentError(
      `shard index ${spec.index} (from ${from}) is outside 0..${spec.count - 1} for ${spec.count} shards`,
    );
  }
  return spec;
}
