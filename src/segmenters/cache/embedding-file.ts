import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { requireNodeBuiltin } from "../../core/node-builtins";
import { float16ArrayToFloat32, float32ArrayToFloat16 } from "../../core/float16";

// Node-only (files): the built-ins are looked up when used, so a browser bundle of the
// (memory-only) EmbeddingCache holds no Node import.
const FEATURE = "an on-disk embedding cache";
const crypto = (): typeof import("node:crypto") => requireNodeBuiltin("node:crypto", FEATURE);
const fs = (): typeof import("node:fs/promises") => requireNodeBuiltin("node:fs/promises", FEATURE);
const nodePath = (): typeof import("node:path") => requireNodeBuiltin("node:path", FEATURE);

/** File magics of a cached embedding: "ASGEMB" + format version (1: float32; 2: with a dtype field); made on first use (Buffer is Node's). */
let magics: { v1: Buffer; v2: Buffer } | null = null;
const MAGIC_V1 = (): Buffer =>
  (magics ??= { v1: Buffer.from("ASGEMB\x00\x01", "latin1"), v2: Buffer.from("ASGEMB\x00\x02", "latin1") }).v1;
const MAGIC_V2 = (): Buffer => (MAGIC_V1(), (magics as { v2: Buffer }).v2);
const MAGIC_BYTES = 8;
const CHECKSUM_BYTES = 16;
const MAX_NDIM = 8;
/** Bytes of the longest header (v2, 8 dimensions) plus its checksum: enough to check a file's structure. */
const MAX_HEAD_BYTES = MAGIC_BYTES + 4 * (MAX_NDIM + 3) + CHECKSUM_BYTES;

/** How an embedding file stores its values: float32 (format 1) or float16 (format 2, half the bytes). */
export type EmbeddingStorageDtype = "float32" | "float16";

/** A parsed header: shape, storage dtype, where the checksum starts and the file's expected length. */
interface EmbeddingHeader {
  shape: number[];
  dtype: EmbeddingStorageDtype;
  headBytes: number;
  fileBytes: number;
}

/**
 * On-disk embedding format (little-endian). Format 1 (float32): 8-byte magic, u32 ndim, u32
 * shape[ndim], u32 payload bytes, 16 bytes of SHA-256 over the header fields and payload, then
 * the float32 payload. Format 2 (float16) has a u32 dtype code (1 = float16) before the payload
 * bytes and an IEEE binary16 payload. float32 entries are still written as format 1, so older
 * readers keep reading them. Anything else (truncated, wrong magic, bad checksum) is corrupt.
 */
export function encodeEmbeddingFile(
  embedding: NdArray<Float32Array>,
  data: Float32Array,
  dtype: EmbeddingStorageDtype = "float32",
): Buffer {
  return Buffer.concat(encodeEmbeddingFileParts(embedding, data, dtype));
}

/**
 * {@link encodeEmbeddingFile} as two buffers, [header + checksum, payload], whose concatenation is
 * the file: for float32 the payload is a view of `data` (no copy), so {@link writeFileAtomic} can
 * write the entry without building a second copy of it. Do not modify `data` until it is written.
 */
export function encodeEmbeddingFileParts(
  embedding: NdArray<Float32Array>,
  data: Float32Array,
  dtype: EmbeddingStorageDtype = "float32",
): [Buffer, Buffer] {
  const shape = embedding.shape;
  const v2 = dtype === "float16";
  const headBytes = MAGIC_BYTES + 4 * (shape.length + (v2 ? 3 : 2));
  const head = Buffer.alloc(headBytes + CHECKSUM_BYTES);
  (v2 ? MAGIC_V2() : MAGIC_V1()).copy(head, 0);
  let o = MAGIC_BYTES;
  head.writeUInt32LE(shape.length, o);
  o += 4;
  for (const s of shape) {
    head.writeUInt32LE(s, o);
    o += 4;
  }
  if (v2) {
    head.writeUInt32LE(1, o);
    o += 4;
  }
  const values = v2 ? float32ArrayToFloat16(data) : data;
  const payload = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  head.writeUInt32LE(payload.length, o);
  const sum = crypto().createHash("sha256").update(head.subarray(0, headBytes)).update(payload).digest();
  sum.copy(head, headBytes, 0, CHECKSUM_BYTES);
  return [head, payload];
}

/** Parse the header at the start of `buf`; null when it is not a well-formed embedding header. */
function parseHeader(buf: Buffer): EmbeddingHeader | null {
  if (buf.length < MAGIC_BYTES + 8) return null;
  const magic = buf.subarray(0, MAGIC_BYTES);
  const v2 = magic.equals(MAGIC_V2());
  if (!v2 && !magic.equals(MAGIC_V1())) return null;
  let o = MAGIC_BYTES;
  const ndim = buf.readUInt32LE(o);
  o += 4;
  if (ndim < 1 || ndim > MAX_NDIM || buf.length < o + 4 * ndim + (v2 ? 8 : 4)) return null;
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) {
    shape.push(buf.readUInt32LE(o));
    o += 4;
  }
  let dtype: EmbeddingStorageDtype = "float32";
  if (v2) {
    const code = buf.readUInt32LE(o);
    o += 4;
    if (code !== 1) return null;
    dtype = "float16";
  }
  const bytes = buf.readUInt32LE(o);
  o += 4;
  const size = shape.reduce((p, v) => p * v, 1);
  if (bytes !== size * (dtype === "float16" ? 2 : 4)) return null;
  return { shape, dtype, headBytes: o, fileBytes: o + CHECKSUM_BYTES + bytes };
}

/** The header of a whole file's bytes when its length and SHA-256 are right; else null. */
function checkedHeader(buf: Buffer): EmbeddingHeader | null {
  const h = parseHeader(buf);
  if (!h || buf.length !== h.fileBytes) return null;
  const o = h.headBytes;
  const sum = buf.subarray(o, o + CHECKSUM_BYTES);
  const want = crypto()
    .createHash("sha256")
    .update(buf.subarray(0, o))
    .update(buf.subarray(o + CHECKSUM_BYTES))
    .digest();
  return sum.equals(want.subarray(0, CHECKSUM_BYTES)) ? h : null;
}

/** Parse a file written by {@link encodeEmbeddingFile} (either format); null if it is corrupt or truncated. */
export function decodeEmbeddingFile(buf: Buffer): NdArray<Float32Array> | null {
  const h = checkedHeader(buf);
  if (!h) return null;
  const payload = buf.subarray(h.headBytes + CHECKSUM_BYTES);
  const size = h.shape.reduce((p, v) => p * v, 1);
  const data = new Float32Array(size);
  if (h.dtype === "float32") new Uint8Array(data.buffer).set(payload);
  else {
    const half = new Uint16Array(size);
    new Uint8Array(half.buffer).set(payload);
    float16ArrayToFloat32(half, data);
  }
  return ndarray(data, h.shape);
}

/** Result of {@link inspectEmbeddingFile}. */
export interface EmbeddingFileCheck {
  /** "ok": readable with a well-formed header and the length it declares; "missing"; "corrupt". */
  status: "ok" | "missing" | "corrupt";
  /** Shape and storage dtype from the header (status "ok" only). */
  shape?: number[];
  dtype?: EmbeddingStorageDtype;
  /** The file's length, bytes (status "ok" only). */
  bytes?: number;
}

/**
 * Check a cached embedding without reading its payload: magic, header and file length (finds
 * deleted, truncated and foreign files in one small read). With `checksum`, the whole file is
 * read and its SHA-256 checked too (finds any flipped byte). Never modifies the file.
 */
export async function inspectEmbeddingFile(path: string, checksum = false): Promise<EmbeddingFileCheck> {
  if (checksum) {
    let buf: Buffer | null;
    try {
      buf = await readEntry(path);
    } catch {
      return { status: "missing" };
    }
    const h = buf === null ? null : checkedHeader(buf);
    return h ? { status: "ok", shape: h.shape, dtype: h.dtype, bytes: h.fileBytes } : { status: "corrupt" };
  }
  let handle;
  try {
    handle = await fs().open(path, "r");
  } catch {
    return { status: "missing" };
  }
  try {
    const head = Buffer.alloc(MAX_HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, MAX_HEAD_BYTES, 0);
    const h = parseHeader(head.subarray(0, bytesRead));
    const { size } = await handle.stat();
    return h && size === h.fileBytes
      ? { status: "ok", shape: h.shape, dtype: h.dtype, bytes: size }
      : { status: "corrupt" };
  } catch {
    return { status: "corrupt" };
  } finally {
    await handle.close();
  }
}

/**
 * Write `bytes` (one buffer, or several written one after the other) to `path` atomically: to a
 * uniquely named temporary file in the same directory, then rename over `path`. Readers see the
 * old file or the new one, never a partial write, and concurrent writers of the same path do not
 * interleave. The directory is created when missing (on the first write into it: no `mkdir` per
 * file). No fsync: after a power loss an entry may be short or empty, which its length and
 * checksum reveal (it then reads as corrupt and is embedded again), never a wrong value.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | readonly Uint8Array[]): Promise<void> {
  const tmp = `${path}.${process.pid}.${crypto().randomBytes(6).toString("hex")}.tmp`;
  const parts = bytes instanceof Uint8Array ? [bytes] : bytes;
  let handle;
  try {
    handle = await fs().open(tmp, "wx");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    await fs().mkdir(nodePath().dirname(path), { recursive: true });
    handle = await fs().open(tmp, "wx");
  }
  try {
    try {
      // One writev; a short write (rare: a signal, a full disk) goes on part by part where it stopped.
      let skip = (await handle.writev(parts as Uint8Array[])).bytesWritten;
      for (const part of parts) {
        let done = Math.min(skip, part.length);
        skip -= done;
        while (done < part.length) done += (await handle.write(part, done, part.length - done)).bytesWritten;
      }
    } finally {
      await handle.close();
    }
    await fs().rename(tmp, path);
  } catch (err) {
    await fs().rm(tmp, { force: true });
    throw err;
  }
}

/** Largest cache entry read (a SAM ViT-H embedding is 4 MiB). */
const MAX_EMBEDDING_FILE_BYTES = 256 * 1024 * 1024;

/**
 * Read a cache entry: only a regular file (a symlink to a device or a folder is corrupt) whose
 * size is exactly what its header declares, at most 256 MiB; null when it is not such a file.
 */
async function readEntry(path: string): Promise<Buffer | null> {
  const handle = await fs().open(path, "r");
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > MAX_EMBEDDING_FILE_BYTES) return null;
    const headLength = Math.min(st.size, MAX_HEAD_BYTES);
    const head = Buffer.alloc(headLength);
    await handle.read(head, 0, headLength, 0);
    if (parseHeader(head)?.fileBytes !== st.size) return null;
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
  await fs()
    .rm(path, { force: true })
    .catch(() => undefined);
  return "corrupt";
}

/**
 * Check a cached embedding whose length is known (recorded when it was written): one `stat`,
 * "ok" when the length matches, "missing", else "corrupt". Much cheaper than
 * {@link inspectEmbeddingFile} over a network volume; without `expectedBytes`, or with
 * `checksum`, it is that function.
 */
export async function checkEmbeddingFile(
  path: string,
  checksum: boolean,
  expectedBytes?: number,
): Promise<"ok" | "missing" | "corrupt"> {
  if (checksum || expectedBytes === undefined) return (await inspectEmbeddingFile(path, checksum)).status;
  try {
    return (await fs().stat(path)).size === expectedBytes ? "ok" : "corrupt";
  } catch {
    return "missing";
  }
}
