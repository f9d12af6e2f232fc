import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";

/** File magic of a cached embedding: "ASGEMB" + format version 1. */
const MAGIC = Buffer.from("ASGEMB\x00\x01", "latin1");
const CHECKSUM_BYTES = 16;

/**
 * On-disk embedding format (little-endian): 8-byte magic, u32 ndim, u32 shape[ndim], u32
 * payload bytes, 16 bytes of SHA-256 over the header fields and payload, then the float32
 * payload. Anything else (truncated, wrong magic, bad checksum) is rejected as corrupt.
 */
export function encodeEmbeddingFile(embedding: NdArray<Float32Array>, data: Float32Array): Buffer {
  const shape = embedding.shape;
  const head = Buffer.alloc(MAGIC.length + 4 * (shape.length + 2));
  MAGIC.copy(head, 0);
  let o = MAGIC.length;
  head.writeUInt32LE(shape.length, o); o += 4;
  for (const s of shape) { head.writeUInt32LE(s, o); o += 4; }
  const payload = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  head.writeUInt32LE(payload.length, o);
  const sum = createHash("sha256").update(head).update(payload).digest().subarray(0, CHECKSUM_BYTES);
  return Buffer.concat([head, sum, payload]);
}

/** Parse a file written by {@link encodeEmbeddingFile}; null if it is corrupt or truncated. */
export function decodeEmbeddingFile(buf: Buffer): NdArray<Float32Array> | null {
  if (buf.length < MAGIC.length + 8 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  let o = MAGIC.length;
  const ndim = buf.readUInt32LE(o); o += 4;
  if (ndim < 1 || ndim > 8 || buf.length < o + 4 * ndim + 4 + CHECKSUM_BYTES) return null;
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) { shape.push(buf.readUInt32LE(o)); o += 4; }
  const bytes = buf.readUInt32LE(o); o += 4;
  const size = shape.reduce((p, v) => p * v, 1);
  if (bytes !== size * 4 || buf.length !== o + CHECKSUM_BYTES + bytes) return null;
  const sum = buf.subarray(o, o + CHECKSUM_BYTES);
  const payload = buf.subarray(o + CHECKSUM_BYTES);
  const want = createHash("sha256").update(buf.subarray(0, o)).update(payload).digest().subarray(0, CHECKSUM_BYTES);
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
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Largest cache entry read (a SAM ViT-H embedding is 4 MiB). */
const MAX_EMBEDDING_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The total file size the header at the start of `head` declares, or null when the header is
 * malformed (or not all of it is in `head`).
 */
function declaredFileSize(head: Buffer): number | null {
  if (head.length < MAGIC.length + 4 || !head.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const ndim = head.readUInt32LE(MAGIC.length);
  const end = MAGIC.length + 4 + 4 * ndim + 4;
  if (ndim < 1 || ndim > 8 || head.length < end) return null;
  return end + CHECKSUM_BYTES + head.readUInt32LE(end - 4);
}

/**
 * Read a cache entry: only a regular file (a symlink to a device or a folder is corrupt) whose
 * size is exactly what its header declares, at most 256 MiB; null when it is not such a file.
 */
async function readEntry(path: string): Promise<Buffer | null> {
  const handle = await open(path, "r");
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > MAX_EMBEDDING_FILE_BYTES) return null;
    const headLength = Math.min(st.size, MAGIC.length + 4 + 4 * 8 + 4);
    const head = Buffer.alloc(headLength);
    await handle.read(head, 0, headLength, 0);
    if (declaredFileSize(head) !== st.size) return null;
    const buf = Buffer.alloc(st.size);
    const { bytesRead } = await handle.read(buf, 0, st.size, 0);
    return bytesRead === st.size ? buf : null;
  } finally {
    await handle.close();
  }
}

/**
 * Read a cached embedding: the array, "missing" (no readable file: absent, unreadable, or the
 * directory is not usable), or "corrupt" (the file is then deleted). Only regular files no
 * larger than their header declares are read (a link to /dev/zero is corrupt, not read).
 */
export async function readEmbeddingFile(path: string): Promise<NdArray<Float32Array> | "missing" | "corrupt"> {
  let buf: Buffer | null;
  try {
    buf = await readEntry(path);
  } catch {
    return "missing";
  }
  const emb = buf === null ? null : decodeEmbeddingFile(buf);
  if (emb) return emb;
  await rm(path, { force: true }).catch(() => undefined);
  return "corrupt";
}
