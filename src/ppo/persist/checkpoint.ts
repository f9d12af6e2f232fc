import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { InvalidArgumentError } from "../../core/errors";
import type { AgentConfig } from "../agents/agent";
import type { EpisodeLog } from "./episode-replay";
import type { PpoHyperparameters } from "../hyperparameters";
import type { ParameterArray } from "../nn/parameters";
import type { PpoTrainerState } from "./trainer-state";

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

const MAGIC = "ASGCKPT1";

interface BlobRef {
  offset: number;
  length: number;
}

/**
 * Write a checkpoint atomically: to `${path}.tmp-<pid>`, fsync, then rename over `path`, so a
 * crash or Ctrl-C mid-write never leaves a truncated checkpoint. Format: the 8-byte magic
 * "ASGCKPT1", a uint32 LE header length, a JSON header, then the float32 arrays (weights and
 * Adam moments) back to back, little-endian.
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
  try {
    writeSync(fd, Buffer.from(MAGIC, "ascii"));
    writeSync(fd, lengthBytes);
    writeSync(fd, json);
    for (const b of blobs) writeSync(fd, littleEndianBytes(b));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * Read a checkpoint written by {@link saveCheckpoint}.
 * @throws InvalidArgumentError when the file is not a checkpoint or is truncated.
 */
export function loadCheckpoint(path: string): Checkpoint {
  return parseCheckpoint(readFileSync(path), path);
}

/**
 * Parse the bytes of a checkpoint file (see {@link saveCheckpoint}); `path` names it in errors.
 * @throws InvalidArgumentError when the bytes are not a checkpoint or are truncated.
 */
export function parseCheckpoint(bytes: Uint8Array, path = "checkpoint"): Checkpoint {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString("ascii", 0, 8) !== MAGIC) {
    throw new InvalidArgumentError(`${path} is not an alignsam-gym checkpoint (missing "${MAGIC}" header)`);
  }
  const jsonLength = buf.readUInt32LE(8);
  const dataStart = 12 + jsonLength;
  if (dataStart > buf.length) throw new InvalidArgumentError(`checkpoint ${path} is truncated (header)`);
  const header = JSON.parse(buf.toString("utf8", 12, dataStart)) as Omit<Checkpoint, "params" | "trainer"> & {
    params: Array<{ name: string; shape: number[]; data: BlobRef }>;
    trainer: Omit<PpoTrainerState, "optimizer"> & { optimizer: { step: number; m: BlobRef; v: BlobRef } };
  };
  const read = (r: BlobRef): Float32Array => {
    const start = dataStart + 4 * r.offset;
    const end = start + 4 * r.length;
    if (end > buf.length) throw new InvalidArgumentError(`checkpoint ${path} is truncated (data)`);
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
