import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { requireNodeBuiltin } from "../../core/node-builtins";

// Node-only (files): the built-ins are looked up when used, so a browser bundle of the
// (memory-only) EmbeddingCache holds no Node import.
const FEATURE = "an on-disk embedding cache";
const crypto = (): typeof import("node:crypto") => requireNodeBuiltin("node:crypto", FEATURE);
const fs = (): typeof import("node:fs/promises") => requireNodeBuiltin("node:fs/promises", FEATURE);

/** File magic of a cached embedding: "ASGEMB" + format version 1 (made on first use: Buffer is Node's). */
let magic: Buffer | null = null;
const MAGIC = (): Buffer => (magic ??= Buffer.from("ASGEMB\x00\x01", "latin1"));
const CHECKSUM_BYTES = 16;

/**
 * On-disk embedding format (little-endian): 8-byte magic, u32 ndim, u32 shape[ndim], u32
 * payload bytes, 16 bytes of SHA-256 over the header fields and payload, then the float32
 * payload. Anything else (truncated, wrong magic, bad checksum) is rejected as corrupt.
 */
export function encodeEmbeddingFile(embedding: NdArray<Float32Array>, data: Float32Array): Buffer {
  const shape = embedding.shape;
  const head = Buffer.alloc(MAGIC().length + 4 * (shape.length + 2));
  MAGIC().copy(head, 0);
  let o = MAGIC().length;
  head.writeUInt32LE(shape.length, o); o += 4;
  for (const s of shape) { head.writeUInt32LE(s, o); o += 4; }
  const payload = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  head.writeUInt32LE(payload.length, o);
  const sum = crypto().createHash("sha256").update(head).update(payload).digest().subarray(0, CHECKSUM_BYTES);
  return Buffer.concat([head, sum, payload]);
}

/** Parse a file written by {@link encodeEmbeddingFile}; null if it is corrupt or truncated. */
export function decodeEmbeddingFile(buf: Buffer): NdArray<Float32Array> | null {
  if (buf.length < MAGIC().length + 8 || !buf.subarray(0, MAGIC().length).equals(MAGIC())) return null;
  let o = MAGIC().length;
  const ndim = buf.readUInt32LE(o); o += 4;
  if (ndim < 1 || ndim > 8 || buf.length < o + 4 * ndim + 4 + CHECKSUM_BYTES) return null;
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) { shape.push(buf.readUInt32LE(o)); o += 4; }
  const bytes = buf.readUInt32LE(o); o += 4;
  const size = shape.reduce((p, v) => p * v, 1);
  if (bytes !== size * 4 || buf.length !== o + CHECKSUM_BYTES + bytes) return null;
  const sum = buf.subarray(o, o + CHECKSUM_BYTES);
  const payload = buf.subarray(o + CHECKSUM_BYTES);
  const want = crypto().createHash("sha256").update(buf.subarray(0, o)).update(payload).digest().subarray(0, CHECKSUM_BYTES);
  if (!sum.equals(want)) return null;
  const data = new Float32Array(size);
  new Uint8Array(data.buffer).set(payload);
  return ndarray(data, shape);
}

/**
 * Write `bytes` to `path` atomically: to a uniquely named temporary file in the same directory,
 * then rename over `path`. Readers see the old file or the new one, never a partial write, and
 * concurrent writers of the same path do not interleave.
 */
export async function writeFileAtomic(path: string, bytes: Buffer): Promise<void> {
  await fs().mkdir(requireNodeBuiltin("node:path", FEATURE).dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${crypto().randomBytes(6).toString("hex")}.tmp`;
  try {
    await fs().writeFile(tmp, bytes);
    await fs().rename(tmp, path);
  } catch (err) {
    await fs().rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Read a cached embedding: the array, "missing" (no readable file: absent, unreadable, or the
 * directory is not usable), or "corrupt" (the file is then deleted).
 */
export async function readEmbeddingFile(path: string): Promise<NdArray<Float32Array> | "missing" | "corrupt"> {
  let buf: Buffer;
  try {
    buf = await fs().readFile(path);
  } catch {
    return "missing";
  }
  const emb = decodeEmbeddingFile(buf);
  if (emb) return emb;
  await fs().rm(path, { force: true }).catch(() => undefined);
  return "corrupt";
}
