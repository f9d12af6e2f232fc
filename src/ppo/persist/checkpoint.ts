import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { InvalidArgumentError } from "../../core/errors";
import { checkpointFromBytes, checkpointToBytes } from "./checkpoint-bytes";
import type { Checkpoint } from "./checkpoint-bytes";

export type { Checkpoint } from "./checkpoint-bytes";

/** Largest checkpoint read (agents here are a few MB; a Node Buffer tops out near this anyway). */
const MAX_CHECKPOINT_BYTES = 2 ** 31 - 1;

/**
 * Write a checkpoint atomically: to `${path}.tmp-<pid>`, fsync, then rename over `path`, so a
 * crash or Ctrl-C mid-write never leaves a truncated checkpoint. The bytes are those of
 * `checkpointToBytes` (format 2: magic "ASGCKPT2", header length, JSON header, float32 arrays,
 * SHA-256 trailer).
 */
export function saveCheckpoint(path: string, ckpt: Checkpoint): void {
  const bytes = checkpointToBytes(ckpt);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * Read a checkpoint written by {@link saveCheckpoint} (format 2, checksummed; format 1 files of
 * earlier versions are read without that check). Every problem is an InvalidArgumentError naming
 * the file and the problem: not a regular file, unreadable, too large, or any problem
 * `checkpointFromBytes` finds in its bytes.
 */
export function loadCheckpoint(path: string): Checkpoint {
  return checkpointFromBytes(readCheckpointFile(path), path);
}

/**
 * Parse the bytes of a checkpoint file (see {@link saveCheckpoint}); `path` names it in errors.
 * The same as `checkpointFromBytes`.
 * @throws InvalidArgumentError when the bytes are not a well-formed checkpoint.
 */
export function parseCheckpoint(bytes: Uint8Array, path = "checkpoint"): Checkpoint {
  return checkpointFromBytes(bytes, path);
}

/** The bytes of a checkpoint file: a regular file (not a device or folder), read whole. */
function readCheckpointFile(path: string): Uint8Array {
  const fail = (problem: string): never => {
    throw new InvalidArgumentError(`checkpoint "${path}": ${problem}`);
  };
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    return fail(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) fail("is not a regular file");
    if (st.size > MAX_CHECKPOINT_BYTES) fail(`is ${st.size} bytes, above the limit of ${MAX_CHECKPOINT_BYTES}`);
    const buf = new Uint8Array(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}
