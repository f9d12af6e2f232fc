import t from "tap";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { CachedSegmenter, GeodesicSegmenter, imageContentHash } from "../../src/segmenters";
import { discImage } from "./images";

const image = discImage(60, 80, [10, 20, 30], [{ cx: 40, cy: 30, r: 15, colour: [200, 100, 50] }]);
const other = discImage(60, 80, [10, 20, 30], [{ cx: 20, cy: 30, r: 15, colour: [200, 100, 50] }]);

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "asg-cache-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A segmenter that counts embed calls (the inner work the cache must save). */
function counting(): { seg: GeodesicSegmenter; calls: () => number } {
  const seg = new GeodesicSegmenter();
  let n = 0;
  const embed = seg.embed.bind(seg);
  seg.embed = async (img: NdArray<Uint8Array>) => {
    n++;
    return embed(img);
  };
  return { seg, calls: () => n };
}

t.test("content hash: equal pixels -> equal hash, whatever the strides; different pixels differ", async (t) => {
  const copy = ndarray(Uint8Array.from(image.data), image.shape);
  t.equal(imageContentHash(copy), imageContentHash(image));
  // A transposed-then-transposed-back view has other strides but the same pixels.
  const planar = ndarray(new Uint8Array(image.size), [3, 60, 80]).transpose(1, 2, 0);
  for (let y = 0; y < 60; y++)
    for (let x = 0; x < 80; x++) for (let c = 0; c < 3; c++) planar.set(y, x, c, image.get(y, x, c));
  t.equal(imageContentHash(planar as NdArray<Uint8Array>), imageContentHash(image));
  t.not(imageContentHash(other), imageContentHash(image));
});

t.test("memory hit after the first embed; shared in-flight computation", async (t) => {
  const { seg, calls } = counting();
  const cached = new CachedSegmenter(seg);
  const [a, b] = await Promise.all([cached.embed(image), cached.embed(image)]);
  t.equal(calls(), 1, "two concurrent embeds compute once");
  t.equal(a, b);
  t.equal(await cached.embed(image), a);
  t.equal(calls(), 1);
  const s = cached.cache.stats();
  t.equal(s.misses, 1);
  t.equal(s.memoryHits, 2);
  t.equal(cached.id, seg.id);
  t.same(cached.embeddingShape, seg.embeddingShape);
});

t.test("LRU respects the byte budget", async (t) => {
  const { seg, calls } = counting();
  const bytes = seg.embeddingShape.reduce((p, v) => p * v, 4);
  const cached = new CachedSegmenter(seg, { maxBytes: bytes * 1.5 });
  await cached.embed(image);
  await cached.embed(other); // evicts image
  t.equal(cached.cache.stats().entries, 1);
  t.ok(cached.cache.stats().bytes <= bytes * 1.5);
  await cached.embed(image);
  t.equal(calls(), 3, "image was evicted and recomputed");
});

t.test("disk: a second cache finds the file; a corrupt or truncated file is discarded and recomputed", async (t) => {
  const dir = tempDir(t);
  const first = counting();
  const emb = await new CachedSegmenter(first.seg, { dir }).embed(image);
  const second = counting();
  const c2 = new CachedSegmenter(second.seg, { dir });
  const fromDisk = await c2.embed(image);
  t.equal(second.calls(), 0, "read from disk");
  t.equal(c2.cache.stats().diskHits, 1);
  t.same(Array.from(fromDisk.data), Array.from(emb.data));
  t.same(fromDisk.shape, emb.shape);

  const path = c2.cache.filePath(imageContentHash(image), second.seg.id)!;
  const good = readFileSync(path);
  for (const [what, bad] of [
    [
      "flipped byte",
      (() => {
        const b = Buffer.from(good);
        b[b.length - 10] ^= 0xff;
        return b;
      })(),
    ],
    ["truncated", good.subarray(0, good.length - 100)],
    ["garbage", Buffer.from("not an embedding")],
  ] as const) {
    writeFileSync(path, bad);
    const third = counting();
    const c3 = new CachedSegmenter(third.seg, { dir });
    const again = await c3.embed(image);
    t.equal(third.calls(), 1, `${what}: recomputed`);
    t.equal(c3.cache.stats().corruptFiles, 1, `${what}: counted as corrupt`);
    t.same(Array.from(again.data), Array.from(emb.data));
    t.ok(readFileSync(path).equals(good), `${what}: file rewritten`);
  }
});

t.test("concurrent writers of the same key leave one valid file and no temp files", async (t) => {
  const dir = tempDir(t);
  const segs = Array.from({ length: 8 }, () => new CachedSegmenter(new GeodesicSegmenter(), { dir }));
  await Promise.all(segs.flatMap((s) => [s.embed(image), s.embed(other)]));
  const sub = readdirSync(dir);
  t.equal(sub.length, 1);
  const files = readdirSync(join(dir, sub[0])).sort();
  t.equal(files.length, 2, `only final files: ${files.join(", ")}`);
  const reader = counting();
  const c = new CachedSegmenter(reader.seg, { dir });
  await c.embed(image);
  await c.embed(other);
  t.equal(reader.calls(), 0, "both files are valid");
  t.equal(c.cache.stats().corruptFiles, 0);
});

t.test("an unwritable cache dir does not crash the run", async (t) => {
  const dir = tempDir(t);
  const file = join(dir, "a-file");
  writeFileSync(file, "x");
  const c = new CachedSegmenter(new GeodesicSegmenter(), { dir: join(file, "sub") });
  const emb = await c.embed(image);
  t.ok(emb.size > 0);
  t.equal(c.cache.stats().writeErrors, 1);
});

t.test("concurrent writer processes sharing a cache dir: every file ends valid", async (t) => {
  const { spawn } = await import("node:child_process");
  const dir = tempDir(t);
  const script = join(__dirname, "fixtures", "cache-writer.ts");
  const runChild = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const p = spawn(process.execPath, ["--import", "tsx", script, dir], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      p.stdout.on("data", (d: Buffer) => (out += d.toString()));
      p.on("error", reject);
      p.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}`))));
    });
  const outs = await Promise.all([runChild(), runChild(), runChild()]);
  for (const o of outs) {
    const s = JSON.parse(o.trim().split("\n").pop() ?? "{}");
    t.equal(s.corruptFiles, 0, "no child ever read a corrupt file");
    t.equal(s.writeErrors, 0);
  }
  const sub = readdirSync(dir);
  const files = readdirSync(join(dir, sub[0]));
  t.equal(files.length, 6, `six final files, no temp files left: ${files.join(", ")}`);
  const reader = counting();
  const c = new CachedSegmenter(reader.seg, { dir });
  for (let i = 0; i < 6; i++) {
    await c.embed(discImage(90, 120, [10, 20, 30], [{ cx: 20 + 10 * i, cy: 40, r: 15, colour: [200, 100, 50] }]));
  }
  t.equal(reader.calls(), 0, "all six read back from disk");
  t.equal(c.cache.stats().corruptFiles, 0);
});
