// Checkpoints as bytes: no file system, so the same code runs in Node and in a browser.
import { InvalidArgumentError } from "../../core/errors";
import { Sha256 } from "../../core/sha256";
import type { AgentConfig } from "../agents/agent";
import type { PpoHyperparameters } from "../hyperparameters";
import type { ParameterArray } from "../nn/parameters";
import type { EpisodeLog } from "./episode-replay";
import { checkCheckpointHeader } from "./checkpoint-check";
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

/** File magic of a checkpoint (format version 2: version 1 plus a SHA-256 trailer). */
export const CHECKPOINT_MAGIC = "ASGCKPT2";
/** The first format (no checksum), still read. */
const MAGIC_V1 = "ASGCKPT1";
const CHECKSUM_BYTES = 32;

interface BlobRef {
  offset: number;
  length: number;
}

type CheckpointHeader = Omit<Checkpoint, "params" | "trainer"> & {
  params: Array<{ name: string; shape: number[]; data: BlobRef }>;
  trainer: Omit<PpoTrainerState, "optimizer"> & { optimizer: { step: number; m: BlobRef; v: BlobRef } };
};

/**
 * A checkpoint as bytes. Format 2: the 8-byte magic "ASGCKPT2", a uint32 LE header length, a
 * UTF-8 JSON header, the float32 arrays (weights and Adam moments) back to back, little-endian,
 * then the SHA-256 of all the bytes before it (32 bytes). `saveCheckpoint` writes exactly these.
 *
 * @example
 * ```ts
 * const bytes = checkpointToBytes(ckpt);
 * checkpointFromBytes(bytes).params.length === ckpt.params.length; // true
 * ```
 */
export function checkpointToBytes(ckpt: Checkpoint): Uint8Array {
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
    trainer: {
      ...ckpt.trainer,
      optimizer: { ...ckpt.trainer.optimizer, m: ref(ckpt.trainer.optimizer.m), v: ref(ckpt.trainer.optimizer.v) },
    },
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = 12 + json.length;
  const end = dataStart + 4 * offset;
  const out = new Uint8Array(end + CHECKSUM_BYTES);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = CHECKPOINT_MAGIC.charCodeAt(i);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  let at = dataStart;
  for (const b of blobs) {
    for (let i = 0; i < b.length; i++, at += 4) view.setFloat32(at, b[i] as number, true);
  }
  out.set(new Sha256().update(out.subarray(0, end)).digest(), end);
  return out;
}

/**
 * Parse checkpoint bytes (a file's contents, a `fetch` response or a browser `File`'s
 * `arrayBuffer()`), as written by `saveCheckpoint` or {@link checkpointToBytes}; format 1 bytes
 * of earlier versions are read without the checksum. Every problem is an InvalidArgumentError
 * `checkpoint "<source>": <problem>`: not a checkpoint, truncated, checksum mismatch (any flipped
 * bit), a header that is not JSON or has fields of the wrong type (agent config included),
 * arrays whose sizes disagree with their shapes or that lie outside the data.
 *
 * @param source names the bytes in error messages (a path or file name).
 * @example
 * ```ts
 * const ckpt = checkpointFromBytes(new Uint8Array(await (await fetch("agent.ckpt")).arrayBuffer()));
 * ```
 */
export function checkpointFromBytes(bytes: Uint8Array, source = "checkpoint"): Checkpoint {
  const fail = (problem: string): never => {
    throw new InvalidArgumentError(`checkpoint "${source}": ${problem}`);
  };
  if (!(bytes instanceof Uint8Array)) fail("checkpoint bytes must be a Uint8Array");
  let magic = "";
  for (let i = 0; i < 8 && i < bytes.length; i++) magic += String.fromCharCode(bytes[i] as number);
  if (bytes.length < 12 || (magic !== CHECKPOINT_MAGIC && magic !== MAGIC_V1)) {
    fail(`not an alignsam-gym checkpoint (missing "${CHECKPOINT_MAGIC}" header)`);
  }
  let end = bytes.length;
  if (magic === CHECKPOINT_MAGIC) {
    if (bytes.length < 12 + CHECKSUM_BYTES) fail("truncated (no checksum)");
    end = bytes.length - CHECKSUM_BYTES;
    const want = new Sha256().update(bytes.subarray(0, end)).digest();
    for (let i = 0; i < CHECKSUM_BYTES; i++) {
      if (want[i] !== bytes[end + i]) fail("checksum mismatch: the file is corrupt or truncated");
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(8, true);
  const dataStart = 12 + jsonLength;
  if (dataStart > end) fail(`truncated (the header says ${jsonLength} bytes of JSON, ${end - 12} remain)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(12, dataStart)));
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if ((end - dataStart) % 4 !== 0) fail(`the data section is ${end - dataStart} bytes, not a whole number of float32`);
  const header = checkCheckpointHeader(parsed, (end - dataStart) / 4, fail) as CheckpointHeader;
  const read = (r: BlobRef): Float32Array => {
    const start = dataStart + 4 * r.offset;
    const out = new Float32Array(r.length);
    for (let i = 0; i < r.length; i++) out[i] = view.getFloat32(start + 4 * i, true);
    return out;
  };
  const opt = header.trainer.optimizer;
  return {
    ...header,
    params: header.params.map((p) => ({ name: p.name, shape: p.shape, data: read(p.data) })),
    trainer: { ...header.trainer, optimizer: { ...opt, m: read(opt.m), v: read(opt.v) } },
  };
}
