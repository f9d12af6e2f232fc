import { createHash } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { InvalidArgumentError } from "../core/errors";
import { checkCheckpointHeader, readCheckpointFile } from "./checkpoint-check";
import type { AgentConfig } from "./agent";
import type { EpisodeLog } from "./episode-replay";
import type { PpoHyperparameters } from "./hyperparameters";
import type { ParameterArray } from "./parameters";
import type { PpoTrainerState } from "./ppo";

/** Everything a training run needs to continue exactly, plus what evaluation needs. */
export interface Checkpoint {
  /** The agent to rebuild (its config) and its weights. */
  agent: AgentConfig;
  params: ParameterArray[];
  /** The env the agent was trained on and how it was built. */
  envId: string;
  envKwargs: Record<string, unknown>;
  vectorMode: "sync" | "async";
  hyperparameters: PpoHyperparameters;
  /** Trainer state: iteration, global step, RNG states, optimizer moments, episode bookkeeping. */
  trainer: PpoTrainerState;
  /** Per env: the current episode's replay log (sync vector envs), for an exact resume. */
  envLogs: EpisodeLog[] | null;
  /** Free-form JSON (backend, creation time, ...). */
  meta: Record<string, unknown>;
}

/** Current format: as version 1, plus a SHA-256 of everything before it as the last 32 bytes. */
const MAGIC = "ASGCKPT2";
/** The first format (no checksum), still read. */
const MAGIC_V1 = "ASGCKPT1";
const CHECKSUM_BYTES = 32;

interface BlobRef {
  offset: number;
  length: number;
}

/**
 * Write a checkpoint atomically: to `${path}.tmp-<pid>`, fsync, then rename over `path`, so a
 * crash or Ctrl-C mid-write never leaves a truncated checkpoint. Format: the 8-byte magic
 * "ASGCKPT2", a uint32 LE header length, a JSON header, the float32 arrays (weights and
 * Adam moments) back to back, little-endian, then the SHA-256 of all the bytes before it.
 */
export function saveCheckpoint(path: string, ckpt: Checkpoint): void {
  const blobs: Float32Array[] = [];
  let offset = 0;
  const ref = (a: Float32Array): BlobRef => {
    blobs.push(a);
    const r = { offset, length: a.length };
    offset += a.length;
    return r;
  };
  const header = {
    ...ckpt,
    params: ckpt.params.map((p) => ({ name: p.name, shape: p.shape, data: ref(p.data) })),
    trainer: { ...ckpt.trainer, optimizer: { step: ckpt.trainer.optimizer.step, m: ref(ckpt.trainer.optimizer.m), v: ref(ckpt.trainer.optimizer.v) } },
  };
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const lengthBytes = Buffer.alloc(4);
  lengthBytes.writeUInt32LE(json.length, 0);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  const hash = createHash("sha256");
  const write = (bytes: Buffer): void => {
    hash.update(bytes);
    writeSync(fd, bytes);
  };
  try {
    write(Buffer.from(MAGIC, "ascii"));
    write(lengthBytes);
    write(json);
    for (const b of blobs) write(littleEndianBytes(b));
    writeSync(fd, hash.digest());
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * Read a checkpoint written by {@link saveCheckpoint} (format 2, checksummed; format 1 files of
 * earlier versions are read without that check). Every problem is an InvalidArgumentError naming
 * the file and the problem: not a regular file or not a checkpoint, truncated, checksum mismatch
 * (any flipped bit), a header that is not JSON or has fields of the wrong type (agent config
 * included, see checkAgentConfig), arrays whose sizes disagree with their shapes or that lie
 * outside the file.
 */
export function loadCheckpoint(path: string): Checkpoint {
  const fail = (problem: string): never => {
    throw new InvalidArgumentError(`checkpoint "${path}": ${problem}`);
  };
  const buf = readCheckpointFile(path, fail);
  const magic = buf.length >= 12 ? buf.toString("latin1", 0, 8) : "";
  if (magic !== MAGIC && magic !== MAGIC_V1) fail(`not an alignsam-gym checkpoint (missing "${MAGIC}" header)`);
  let end = buf.length;
  if (magic === MAGIC) {
    if (buf.length < 12 + CHECKSUM_BYTES) fail("truncated (no checksum)");
    end = buf.length - CHECKSUM_BYTES;
    const want = createHash("sha256").update(buf.subarray(0, end)).digest();
    if (!want.equals(buf.subarray(end))) fail("checksum mismatch: the file is corrupt or truncated");
  }
  const jsonLength = buf.readUInt32LE(8);
  const dataStart = 12 + jsonLength;
  if (dataStart > end) fail(`truncated (the header says ${jsonLength} bytes of JSON, ${end - 12} remain)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString("utf8", 12, dataStart));
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  const header = checkCheckpointHeader(parsed, (end - dataStart) / 4, fail) as Omit<Checkpoint, "params" | "trainer"> & {
    params: Array<{ name: string; shape: number[]; data: BlobRef }>;
    trainer: Omit<PpoTrainerState, "optimizer"> & { optimizer: { step: number; m: BlobRef; v: BlobRef } };
  };
  if ((end - dataStart) % 4 !== 0) fail(`the data section is ${end - dataStart} bytes, not a whole number of float32`);
  const read = (r: BlobRef): Float32Array => {
    const start = dataStart + 4 * r.offset;
    const out = new Float32Array(r.length);
    for (let i = 0; i < r.length; i++) out[i] = buf.readFloatLE(start + 4 * i);
    return out;
  };
  return {
    ...header,
    params: header.params.map((p) => ({ name: p.name, shape: p.shape, data: read(p.data) })),
    trainer: { ...header.trainer, optimizer: { step: header.trainer.optimizer.step, m: read(header.trainer.optimizer.m), v: read(header.trainer.optimizer.v) } },
  };
}

function littleEndianBytes(a: Float32Array): Buffer {
  const out = Buffer.alloc(4 * a.length);
  for (let i = 0; i < a.length; i++) out.writeFloatLE(a[i] as number, 4 * i);
  return out;
}
