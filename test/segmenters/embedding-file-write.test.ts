import t from "tap";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import {
  decodeEmbeddingFile,
  encodeEmbeddingFile,
  encodeEmbeddingFileParts,
  writeFileAtomic,
} from "../../src/segmenters/cache/embedding-file";

const dir = mkdtempSync(join(tmpdir(), "asg-embwrite-"));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const data = Float32Array.from({ length: 3 * 4 * 5 }, (_, i) => Math.sin(i) * 7);
const emb = ndarray(data, [3, 4, 5]);

t.test("the parts of an entry are the file: header + checksum, then the float32 values themselves", async (t) => {
  const [head, payload] = encodeEmbeddingFileParts(emb, data);
  t.equal(head.length, 8 + 4 * 5 + 16, "magic, ndim, 3 dims, payload bytes, checksum");
  t.equal(payload.buffer, data.buffer, "float32 payload is a view of the data (no copy)");
  t.same(Buffer.concat([head, payload]), encodeEmbeddingFile(emb, data));
  const half = encodeEmbeddingFileParts(emb, data, "float16");
  t.equal(half[1].length, data.length * 2);
  t.same(Buffer.concat(half), encodeEmbeddingFile(emb, data, "float16"));
});

t.test("writeFileAtomic writes the parts in order, creating missing folders, leaving no temp file", async (t) => {
  const path = join(dir, "a", "b", "entry.emb");
  await writeFileAtomic(path, encodeEmbeddingFileParts(emb, data));
  const back = decodeEmbeddingFile(readFileSync(path));
  t.ok(back, "the written file decodes (length and checksum right)");
  t.same(Array.from(back!.data), Array.from(data));
  t.same(back!.shape, [3, 4, 5]);
  // A second write into the existing folder (no mkdir) replaces the file atomically.
  const other = new Float32Array(data.length).fill(2);
  await writeFileAtomic(path, encodeEmbeddingFileParts(ndarray(other, [3, 4, 5]), other));
  t.same(Array.from(decodeEmbeddingFile(readFileSync(path))!.data), Array.from(other));
  t.same(readdirSync(join(dir, "a", "b")), ["entry.emb"], "no temp file left behind");
  await writeFileAtomic(join(dir, "plain.bin"), Buffer.from("one buffer"));
  t.equal(readFileSync(join(dir, "plain.bin"), "utf8"), "one buffer");
});

t.test("a write that cannot happen throws and leaves no temp file", async (t) => {
  // The target's folder is a file: open(tmp) fails with ENOTDIR, not ENOENT, so no mkdir either.
  await writeFileAtomic(join(dir, "file"), Buffer.from("x"));
  await t.rejects(writeFileAtomic(join(dir, "file", "entry.emb"), Buffer.from("y")));
  t.same(readdirSync(dir).sort(), ["a", "file", "plain.bin"]);
});
