import { InvalidArgumentError } from "../../core/errors";
import type { Checkpoint } from "./checkpoint";
import type { PpoTrainerState } from "./trainer-state";

/** File magic of a checkpoint (format version 1). */
export const CHECKPOINT_MAGIC = "ASGCKPT1";

interface BlobRef {
  offset: number;
  length: number;
}

type CheckpointHeader = Omit<Checkpoint, "params" | "trainer"> & {
  params: Array<{ name: string; shape: number[]; data: BlobRef }>;
  trainer: Omit<PpoTrainerState, "optimizer"> & { optimizer: { step: number; m: BlobRef; v: BlobRef } };
};

/**
 * A checkpoint as bytes (no file system: runs in a browser). Format: the 8-byte magic
 * "ASGCKPT1", a uint32 LE header length, a UTF-8 JSON header, then the float32 arrays (weights
 * and Adam moments) back to back, little-endian. `saveCheckpoint` writes exactly these bytes.
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
  const out = new Uint8Array(dataStart + 4 * offset);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = CHECKPOINT_MAGIC.charCodeAt(i);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  let at = dataStart;
  for (const b of blobs) {
    for (let i = 0; i < b.length; i++, at += 4) view.setFloat32(at, b[i] as number, true);
  }
  return out;
}

/**
 * Parse checkpoint bytes (a file's contents, a `fetch` response or a browser `File`'s
 * `arrayBuffer()`), as written by `saveCheckpoint` or {@link checkpointToBytes}.
 *
 * @param source names the bytes in error messages (a path or file name).
 * @throws InvalidArgumentError when the bytes are not a checkpoint or are truncated.
 * @example
 * ```ts
 * const ckpt = checkpointFromBytes(new Uint8Array(await (await fetch("agent.ckpt")).arrayBuffer()));
 * ```
 */
export function checkpointFromBytes(bytes: Uint8Array, source = "checkpoint"): Checkpoint {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError(`${source}: checkpoint bytes must be a Uint8Array`);
  }
  let magic = "";
  for (let i = 0; i < 8 && i < bytes.length; i++) magic += String.fromCharCode(bytes[i] as number);
  if (bytes.length < 12 || magic !== CHECKPOINT_MAGIC) {
    const why = `missing "${CHECKPOINT_MAGIC}" header`;
    throw new InvalidArgumentError(`${source} is not an alignsam-gym checkpoint (${why})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(8, true);
  const dataStart = 12 + jsonLength;
  if (dataStart > bytes.length) throw new InvalidArgumentError(`checkpoint ${source} is truncated (header)`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, dataStart))) as CheckpointHeader;
  } catch (err) {
    throw new InvalidArgumentError(`checkpoint ${source} has a corrupt header: ${(err as Error).message}`);
  }
  const read = (r: BlobRef): Float32Array => {
    const start = dataStart + 4 * r.offset;
    const end = start + 4 * r.length;
    if (end > bytes.length) throw new InvalidArgumentError(`checkpoint ${source} is truncated (data)`);
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
