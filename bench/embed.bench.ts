// Sharded embedding precompute (`alignsam-gym embed`, issue 18):
//  1. scaling: N shard processes on N cores vs one, GeodesicSegmenter on 375x500 images (the
//     machinery, not a model): images/s of one shard, of N shards, and the ratio to N x one;
//  2. a 10k-entry folder: writing the shard manifest, a rerun that skips everything, `embed verify`
//     (entry lengths) and `embed verify --checksums`.
//   npm run bench -- embed
//   EMBED_BENCH_IMAGES=240 EMBED_BENCH_SHARDS=4 EMBED_BENCH_ROUNDS=3 EMBED_BENCH_ENTRIES=10000 npm run bench -- embed
// On a shared machine the scaling ratio is depressed by other load (the load average is printed).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { EmbeddingCache, GeodesicSegmenter } from "../src/segmenters";
import { encodeEmbeddingFile } from "../src/segmenters/cache/embedding-file";
import {
  MANIFEST_FORMAT,
  ManifestWriter,
  embedShard,
  entryDir,
  manifestDir,
  manifestName,
  readManifests,
  verifyCoverage,
} from "../src/cli";
import type { ShardManifest } from "../src/cli";
import { writeEmbedDataset } from "../scripts/embed-dataset";

const IMAGES = Number(process.env.EMBED_BENCH_IMAGES ?? 120);
const SHARDS = Number(process.env.EMBED_BENCH_SHARDS ?? availableParallelism());
const ENTRIES = Number(process.env.EMBED_BENCH_ENTRIES ?? 10_000);
const ROUNDS = Number(process.env.EMBED_BENCH_ROUNDS ?? 3);
const repo = join(__dirname, "..");
const root = mkdtempSync(join(tmpdir(), "asg-embed-bench-"));

function runShards(ds: string, cache: string, count: number): Promise<void[]> {
  return Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<void>((resolve, reject) => {
          const args = [
            "--import",
            "tsx",
            "src/cli/main.ts",
            "embed",
            "--dataset",
            "grabcut",
            "--path",
            ds,
            "--cache",
            cache,
            "--no-progress",
          ];
          if (count > 1) args.push("--shard-index", String(i), "--shard-count", String(count));
          // detached = its own session, hence its own scheduler autogroup (Linux CFS): like a worker on its own node,
          // each shard competes for CPU with other users' sessions, instead of all shards sharing one group's share.
          const child = spawn(process.execPath, args, {
            cwd: repo,
            stdio: ["ignore", "ignore", "inherit"],
            detached: true,
          });
          child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`shard ${i} exited with ${code}`))));
        }),
    ),
  );
}

/** Images/s of a run from its manifests: over the union of the shards' embedding windows, and summed per shard. */
async function rates(cache: string): Promise<{ union: number; sum: number; done: number; cpuMs: number }> {
  const dir = join(cache, readdirSync(cache)[0], "manifests");
  const ms = await readManifests(dir);
  const start = Math.min(...ms.map((m) => Date.parse(m.startedAt)));
  const end = Math.max(...ms.map((m) => Date.parse(m.startedAt) + m.seconds * 1000));
  const done = ms.reduce((s, m) => s + m.done.length, 0);
  const cpuMs = (1000 * ms.reduce((s, m) => s + m.cpuSeconds, 0)) / done;
  return {
    union: done / ((end - start) / 1000),
    sum: ms.reduce((s, m) => s + m.done.length / m.seconds, 0),
    done,
    cpuMs,
  };
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

async function scaling(): Promise<void> {
  const ds = join(root, "ds");
  writeEmbedDataset(ds, IMAGES, { h: 375, w: 500, seed: 3 });
  console.log(
    `scaling: ${IMAGES} images 375x500, GeodesicSegmenter, 1 vs ${SHARDS} shard processes on ` +
      `${availableParallelism()} cores, ${ROUNDS} rounds; load average ${load()}`,
  );
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await runShards(ds, join(root, `one-${round}`), 1);
    const one = await rates(join(root, `one-${round}`));
    await runShards(ds, join(root, `many-${round}`), SHARDS);
    const many = await rates(join(root, `many-${round}`));
    const ratio = many.union / (SHARDS * one.union);
    ratios.push(ratio);
    console.log(
      `  round ${round + 1}: 1 shard ${one.union.toFixed(1)} images/s (${one.cpuMs.toFixed(1)} CPU ms/image); ` +
        `${SHARDS} shards ${many.union.toFixed(1)} images/s over the union of their windows ` +
        `(${many.sum.toFixed(1)} summed per shard; ${many.cpuMs.toFixed(1)} CPU ms/image) -> ` +
        `${ratio.toFixed(2)} x ${SHARDS} x one shard; load ${load()}`,
    );
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(
    `  median ratio ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} (target >= 0.90; equal CPU ms/image = no work ` +
      `duplicated between shards, so on idle cores the ratio is bounded by the cores' availability, not the machinery)`,
  );
}

async function tenThousand(): Promise<void> {
  // N image files (their bytes only matter through their size: verify takes keys from the manifest)
  // and N small entries [8, 16, 16] float32 (8 KiB), the manifest of one shard listing them all.
  const ds = join(root, "big", "images");
  mkdirSync(ds, { recursive: true });
  const cacheDir = join(root, "big-cache");
  const cache = new EmbeddingCache({ dir: cacheDir, maxBytes: 0 });
  const seg = new GeodesicSegmenter();
  const dir = entryDir(cache, seg.id);
  mkdirSync(dir, { recursive: true });
  const emb = ndarray(new Float32Array(8 * 16 * 16).fill(0.5), [8, 16, 16]);
  const entryBytes = encodeEmbeddingFile(emb, emb.data);
  const files: string[] = [];
  const m: ShardManifest = {
    format: MANIFEST_FORMAT,
    segmenterId: seg.id,
    dataset: "big",
    imageRoot: ds,
    resizeTo: null,
    dtype: "float32",
    shardIndex: 0,
    shardCount: 1,
    startedAt: new Date().toISOString(),
    updatedAt: "",
    finished: true,
    seconds: 0,
    cpuSeconds: 0,
    counts: { assigned: ENTRIES, done: 0, skipped: 0, failed: 0, pending: 0 },
    done: [],
    skipped: [],
    failed: [],
  };
  for (let i = 0; i < ENTRIES; i++) {
    const file = join(ds, `${String(i).padStart(12, "0")}.jpg`);
    writeFileSync(file, Buffer.alloc(100 + (i % 50)));
    const key = i.toString(16).padStart(64, "0");
    writeFileSync(join(dir, `${key}.emb`), entryBytes);
    files.push(file);
    m.done.push({
      image: `${String(i).padStart(12, "0")}.jpg`,
      key,
      bytes: 100 + (i % 50),
      entryBytes: entryBytes.length,
    });
  }
  const path = join(manifestDir(dir), manifestName("big", 0, 1));
  let t0 = performance.now();
  await new ManifestWriter(path, m).flush();
  const write = performance.now() - t0;
  t0 = performance.now();
  const rerun = await embedShard({
    files,
    imageRoot: ds,
    dataset: "big",
    cache,
    segmenter: seg,
    shard: { index: 0, count: 1, source: "none" },
    resizeTo: null,
    batchSize: 1,
    checksums: false,
  });
  const resume = performance.now() - t0;
  const opts = { files, imageRoot: ds, dataset: "big", entryDir: dir, segmenterId: seg.id, resizeTo: null };
  const quick = await verifyCoverage({ ...opts, checksums: false });
  const deep = await verifyCoverage({ ...opts, checksums: true });
  const mb = (ENTRIES * entryBytes.length) / 2 ** 20;
  console.log(`${ENTRIES}-entry folder (${entryBytes.length} B entries, ${mb.toFixed(0)} MiB):`);
  console.log(
    `  manifest write ${write.toFixed(0)} ms; rerun skipping all ${rerun.manifest.skipped.length} via the manifest ${resume.toFixed(0)} ms`,
  );
  console.log(
    `  verify (lengths) ${(quick.seconds * 1000).toFixed(0)} ms, complete=${quick.complete}; ` +
      `verify --checksums ${(deep.seconds * 1000).toFixed(0)} ms (${(mb / deep.seconds).toFixed(0)} MiB/s), complete=${deep.complete}; target < 5000 ms`,
  );
}

async function main(): Promise<void> {
  try {
    if (process.env.EMBED_BENCH_SKIP_SCALING !== "1") await scaling();
    await tenThousand();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
void main();
