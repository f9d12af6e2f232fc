import t from "tap";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import {
  float16ArrayToFloat32 as float16ToFloat32,
  float32ArrayToFloat16 as float32ToFloat16,
  float16ToFloat32 as fromFloat16Bits,
  float32ToFloat16 as toFloat16Bits,
} from "../../src/core/float16";
import {
  checkEmbeddingFile,
  decodeEmbeddingFile,
  encodeEmbeddingFile,
  inspectEmbeddingFile,
} from "../../src/segmenters/cache/embedding-file";
import { EmbeddingCache } from "../../src/segmenters";
import { Rng } from "../../src/core/rng";

const dir = mkdtempSync(join(tmpdir(), "asg-f16-"));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test("binary16 bit patterns of reference values (IEEE 754, round half to even)", async (t) => {
  const cases: Array<[number, number]> = [
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff],
    [65520, 0x7c00],
    [1e9, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -14, 0x0400],
    [2 ** -24, 0x0001],
    [2 ** -25, 0x0000],
    [1.5 * 2 ** -25, 0x0001],
    [1 / 3, 0x3555],
    [1 + 2 ** -11, 0x3c00],
    [1 + 3 * 2 ** -11, 0x3c02],
    [2 ** -15, 0x0200],
  ];
  for (const [v, bits] of cases) t.equal(toFloat16Bits(v), bits, `${v} -> 0x${bits.toString(16)}`);
  t.equal(toFloat16Bits(NaN) & 0x7e00, 0x7e00, "NaN stays NaN");
  t.ok(Number.isNaN(fromFloat16Bits(0x7e00)));
  t.equal(fromFloat16Bits(0x3555), 0.333251953125);
  t.equal(fromFloat16Bits(0x0001), 2 ** -24);
  // Every half round-trips exactly through float32.
  for (let b = 0; b < 65536; b++) {
    const v = fromFloat16Bits(b);
    if (!Number.isNaN(v) && toFloat16Bits(v) !== b) t.fail(`0x${b.toString(16)} does not round-trip`);
  }
});

t.test(
  "float16 entries round-trip within float16 precision; float32 entries are exact and still format 1",
  async (t) => {
    const rng = new Rng(3);
    const data = new Float32Array(8 * 16 * 16);
    for (let i = 0; i < data.length; i++) data[i] = (rng.random() - 0.5) * 2 ** rng.integers(-12, 12);
    data[0] = 0;
    data[1] = 60000;
    data[2] = -1e-7;
    const emb = ndarray(data, [8, 16, 16]);
    const half = encodeEmbeddingFile(emb, data, "float16");
    const full = encodeEmbeddingFile(emb, data);
    t.equal(
      full.subarray(0, 8).toString("latin1"),
      "ASGEMB\x00\x01",
      "float32 files keep format 1 (older readers read them)",
    );
    t.equal(half.subarray(0, 8).toString("latin1"), "ASGEMB\x00\x02");
    t.ok(half.length < full.length * 0.51, `float16 file ${half.length} B vs float32 ${full.length} B`);
    t.same(Array.from(decodeEmbeddingFile(full)!.data), Array.from(data), "float32: exact");
    const back = decodeEmbeddingFile(half)!;
    t.same(back.shape, [8, 16, 16]);
    let worst = 0;
    for (let i = 0; i < data.length; i++) {
      const err = Math.abs(back.data[i] - data[i]);
      const allowed = Math.max(Math.abs(data[i]) * 2 ** -11, 2 ** -25); // half an ulp (normal) / of the smallest subnormal
      worst = Math.max(worst, err / allowed);
    }
    t.ok(worst <= 1, `max error / half-ulp = ${worst.toFixed(3)}`);
    t.same(
      Array.from(float16ToFloat32(float32ToFloat16(back.data))),
      Array.from(back.data),
      "float16 values are fixed points",
    );
    const flipped = Buffer.from(half);
    flipped[flipped.length - 3] ^= 1;
    t.equal(decodeEmbeddingFile(flipped), null, "a flipped payload byte fails the checksum");
  },
);

t.test("inspectEmbeddingFile: header + length by default, SHA-256 with checksum", async (t) => {
  const emb = ndarray(new Float32Array(4 * 8 * 8).fill(0.25), [4, 8, 8]);
  const good = join(dir, "good.emb"),
    cut = join(dir, "cut.emb"),
    flip = join(dir, "flip.emb"),
    junk = join(dir, "junk.emb");
  const bytes = encodeEmbeddingFile(emb, emb.data, "float16");
  writeFileSync(good, bytes);
  writeFileSync(cut, bytes);
  truncateSync(cut, bytes.length - 1);
  const flipped = Buffer.from(bytes);
  flipped[bytes.length - 1] ^= 0x40;
  writeFileSync(flip, flipped);
  writeFileSync(junk, "not an embedding");
  t.same(await inspectEmbeddingFile(good), { status: "ok", shape: [4, 8, 8], dtype: "float16", bytes: 48 + 2 * 256 });
  t.equal(await checkEmbeddingFile(good, false, 560), "ok", "length recorded in a manifest: one stat");
  t.equal(await checkEmbeddingFile(cut, false, 560), "corrupt");
  t.equal(await checkEmbeddingFile(join(dir, "none.emb"), false, 560), "missing");
  t.equal(await checkEmbeddingFile(flip, true, 560), "corrupt", "checksum mode reads the file");
  t.equal(await checkEmbeddingFile(junk, false), "corrupt", "no recorded length: header + length");
  t.equal((await inspectEmbeddingFile(join(dir, "none.emb"))).status, "missing");
  t.equal((await inspectEmbeddingFile(cut)).status, "corrupt", "truncated");
  t.equal((await inspectEmbeddingFile(junk)).status, "corrupt", "foreign bytes");
  t.equal((await inspectEmbeddingFile(flip)).status, "ok", "a flipped byte keeps the structure");
  t.equal((await inspectEmbeddingFile(flip, true)).status, "corrupt", "the checksum finds it");
  t.equal((await inspectEmbeddingFile(good, true)).status, "ok");
  t.same(readFileSync(flip), flipped, "inspection never modifies a file");
});

t.test("EmbeddingCache with dtype float16 writes half-size files any cache reads back as float32", async (t) => {
  const cdir = join(dir, "cache");
  const data = new Float32Array(32 * 64 * 64).map((_, i) => Math.sin(i) * 3);
  const writer = new EmbeddingCache({ dir: cdir, dtype: "float16" });
  await writer.getOrCompute("abc", "seg", async () => ndarray(data, [32, 64, 64]));
  t.equal(readFileSync(writer.filePath("abc", "seg")!).length, 8 + 4 * 6 + 16 + 2 * data.length);
  const reader = new EmbeddingCache({ dir: cdir }); // default float32 cache
  const got = await reader.getOrCompute("abc", "seg", async () => t.fail("must not recompute") as never);
  t.equal(reader.stats().diskHits, 1);
  t.ok(got.data.every((v, i) => Math.abs(v - data[i]) <= Math.abs(data[i]) * 2 ** -11 + 1e-7));
  t.throws(() => new EmbeddingCache({ dtype: "int8" as never }), /dtype must be "float32" or "float16", got "int8"/);
});
