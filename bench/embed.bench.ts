// Sharded embedding precompute (`alignsam-gym embed`, issue 18):
//  1. scaling: N shard processes on N cores vs one, each the built CLI as users run it (`node lib/cli/main.js
//     embed`, so `npm run build` first), GeodesicSegmenter on 375x500 PNG images (the machinery, not a model):
//     images/s of one shard and of N shards, the ratio to N x one shard, per-shard counts, seconds and CPU;
//  2. a 10k-entry folder: writing the shard manifest, a rerun that skips everything, `embed verify`
//     (entry lengths) and `embed verify --checksums`.
//   npm run build && npm run bench -- embed
//   EMBED_BENCH_DATASET=<folder with images/> (instead of EMBED_BENCH_IMAGES synthetic ones)
//   EMBED_BENCH_IMAGES=2000 EMBED_BENCH_SHARDS=4 EMBED_BENCH_ROUNDS=3 EMBED_BENCH_ENTRIES=10000 npm run bench -- embed
// The scaling ratio is only meaningful on otherwise idle cores: other users' load depresses it (the load
// average is printed with every round).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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
import { median } from "./median";

const IMAGES = Number(process.env.EMBED_BENCH_IMAGES ?? 2000);
const SHARDS = Number(process.env.EMBED_BENCH_SHARDS ?? availableParallelism());
const ENTRIES = Number(process.env.EMBED_BENCH_ENTRIES ?? 10_000);
const ROUNDS = Number(process.env.EMBED_BENCH_ROUNDS ?? 3);
const repo = join(__dirname, "..");
const root = mkdtempSync(join(tmpdir(), "asg-embed-bench-"));

const cliMain = join(repo, "lib", "cli", "main.js");

/**
 * One shard process as users run it (`node lib/cli/main.js embed ...`), with `pin` through `taskset -c pin`
 * (its helper threads too); resolves with its whole-process wall ms.
 */
function runShard(ds: string, cache: string, index: number, count: number, pin: string | null): Promise<number> {
  const args = [cliMain, "embed", "--dataset", "grabcut", "--path", ds, "--cache", cache, "--no-progress"];
  if (count > 1) args.push("--shard-index", String(index), "--shard-count", String(count));
  const t0 = performance.now();
  return new Promise<number>((resolve, reject) => {
    // detached = its own session, hence its own scheduler autogroup (Linux CFS): like a worker on its own node,
    // each shard competes for CPU with other users' sessions, instead of all shards sharing one group's share.
    const [cmd, argv] = pin === null ? [process.execPath, args] : ["taskset", ["-c", pin, process.execPath, ...args]];
    const child = spawn(cmd, argv, { cwd: repo, stdio: ["ignore", "ignore", "inherit"], detached: true });
    child.on("exit", (code) =>
      code === 0 ? resolve(performance.now() - t0) : reject(new Error(`shard ${index} exited with ${code}`)),
    );
  });
}

/** What one run of `count` shard processes did: per shard (from its manifest) and over the run. */
interface RunFigures {
  /** Per shard: images embedded, seconds of its embedding window, CPU ms per image, whole-process wall s. */
  shards: Array<{ done: number; seconds: number; cpuMs: number; processSeconds: number }>;
  /** Images / (last window end - first window start): the run's images/s, set by the slowest shard. */
  union: number;
  /** Mean of the shards' own images/s (the machinery's rate without the hash split's imbalance). */
  meanShardRate: number;
  /** Images / the slowest whole process (start-up, module load, listing included). */
  processRate: number;
  done: number;
  cpuMs: number;
}

async function runShards(ds: string, cache: string, count: number, pin: string | null = null): Promise<RunFigures> {
  const wall = await Promise.all(Array.from({ length: count }, (_, i) => runShard(ds, cache, i, count, pin)));
  const ms = await readManifests(join(cache, readdirSync(cache)[0], "manifests"));
  if (ms.length !== count) throw new Error(`expected ${count} manifests, found ${ms.length}`);
  const start = Math.min(...ms.map((m) => Date.parse(m.startedAt)));
  const end = Math.max(...ms.map((m) => Date.parse(m.startedAt) + m.seconds * 1000));
  const done = ms.reduce((s, m) => s + m.done.length, 0);
  const shards = ms.map((m) => ({
    done: m.done.length,
    seconds: m.seconds,
    cpuMs: (1000 * m.cpuSeconds) / m.done.length,
    processSeconds: wall[m.shardIndex] / 1000,
  }));
  return {
    shards,
    union: done / ((end - start) / 1000),
    meanShardRate: shards.reduce((s, m) => s + m.done / m.seconds, 0) / count,
    processRate: done / (Math.max(...wall) / 1000),
    done,
    cpuMs: (1000 * ms.reduce((s, m) => s + m.cpuSeconds, 0)) / done,
  };
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

async function scaling(): Promise<void> {
  if (!existsSync(cliMain))
    throw new Error(`${cliMain} is missing: run \`npm run build\` first (the shards run the built CLI)`);
  // EMBED_BENCH_DATASET: an existing folder with images/ (e.g. the synthetic one kept from an earlier run).
  const ds = process.env.EMBED_BENCH_DATASET ?? join(root, "ds");
  if (!process.env.EMBED_BENCH_DATASET) writeEmbedDataset(ds, IMAGES, { h: 375, w: 500, seed: 3 });
  const images = readdirSync(join(ds, "images")).length;
  console.log(
    `scaling: ${images} images${process.env.EMBED_BENCH_DATASET ? ` in ${ds}` : " 375x500 PNG"}, GeodesicSegmenter, 1 vs ${SHARDS} shard processes ` +
      `(node lib/cli/main.js embed) on ${availableParallelism()} cores, ${ROUNDS} rounds; load average ${load()}`,
  );
  const wallRatios: number[] = [],
    shardRatios: number[] = [],
    processRatios: number[] = [],
    coreRatios: number[] = [];
  // One shard alone may use the other cores for its helper threads (file I/O, JIT, GC); pinned, it has one core,
  // as each of the N shards has (when `taskset` exists).
  const pinnable = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
  for (let round = 0; round < ROUNDS; round++) {
    const one = await runShards(ds, join(root, `one-${round}`), 1);
    const pinned = pinnable ? await runShards(ds, join(root, `pinned-${round}`), 1, "0") : null;
    const many = await runShards(ds, join(root, `many-${round}`), SHARDS);
    if (pinned) coreRatios.push(many.union / (SHARDS * pinned.union));
    wallRatios.push(many.union / (SHARDS * one.union));
    shardRatios.push(many.meanShardRate / one.union);
    processRatios.push(many.processRate / (SHARDS * one.processRate));
    const fair = images / SHARDS / Math.max(...many.shards.map((s) => s.done));
    console.log(
      `  round ${round + 1} (load ${load()}): 1 shard ${one.union.toFixed(1)} images/s ` +
        `(${one.cpuMs.toFixed(1)} CPU ms/image, process ${one.shards[0].processSeconds.toFixed(2)} s)` +
        (pinned ? `, pinned to one core ${pinned.union.toFixed(1)} images/s; ` : "; ") +
        `${SHARDS} shards ${many.union.toFixed(1)} images/s (${many.cpuMs.toFixed(1)} CPU ms/image)\n` +
        `    per shard: ${many.shards
          .map(
            (s, i) =>
              `#${i} ${s.done} images ${s.seconds.toFixed(2)} s ${(s.done / s.seconds).toFixed(1)} images/s ` +
              `${s.cpuMs.toFixed(1)} CPU ms/image (process ${s.processSeconds.toFixed(2)} s)`,
          )
          .join("; ")}\n` +
        `    ratio to ${SHARDS} x one shard: ${wallRatios[round].toFixed(3)} (run wall time = slowest shard; the ` +
        `hash split alone caps it at ${fair.toFixed(3)}), ${shardRatios[round].toFixed(3)} per shard (mean shard ` +
        `images/s / one shard's), ${processRatios[round].toFixed(3)} whole processes (start-up included)` +
        (pinned ? `; ${coreRatios[round].toFixed(3)} to ${SHARDS} x one shard on one core` : ""),
    );
  }
  console.log(
    `  median over ${ROUNDS} rounds: ${SHARDS} shards reach ${median(wallRatios).toFixed(3)} x ${SHARDS} x one ` +
      `shard's images/s (${median(shardRatios).toFixed(3)} per shard, ${median(processRatios).toFixed(3)} whole ` +
      `processes${coreRatios.length ? `; ${median(coreRatios).toFixed(3)} to one shard on one core` : ""}); ` +
      `target >= 0.90. Figures are only meaningful on otherwise idle cores (load average ${load()}).`,
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
