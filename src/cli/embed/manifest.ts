import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../segmenters/cache/embedding-file";
import type { EmbeddingStorageDtype } from "../../segmenters/cache/embedding-file";

/** Format tag of a shard manifest file. */
export const MANIFEST_FORMAT = "alignsam-gym-embed-manifest/1";

/** An image whose cache entry exists: its id, cache key and the image file's size in bytes. */
export interface ManifestEntry {
  /** Path relative to the image folder ("/" separators). */
  image: string;
  /** The cache key: content hash of the image as the env sees it (after --resize-to). */
  key: string;
  /** Size of the image file when it was hashed (a changed size means a stale key). */
  bytes: number;
  /** Length of the entry file, bytes (lets a rerun or `verify` check it with one stat). */
  entryBytes?: number;
}

/** An image the shard could not embed, and why (the decoder's or encoder's message). */
export interface ManifestFailure {
  image: string;
  reason: string;
}

/**
 * The record one shard keeps of its work, rewritten atomically (temp file + rename) during the
 * run and at its end, so a killed shard leaves a readable manifest of what it had finished.
 */
export interface ShardManifest {
  format: typeof MANIFEST_FORMAT;
  segmenterId: string;
  /** Name of the image folder (e.g. "val2017"): manifests of different folders never mix. */
  dataset: string;
  imageRoot: string;
  /** [H, W] images were resized to before hashing and embedding, or null (as they are). */
  resizeTo: [number, number] | null;
  dtype: EmbeddingStorageDtype;
  shardIndex: number;
  shardCount: number;
  startedAt: string;
  updatedAt: string;
  /** True once every assigned image was processed (false while running or after a kill). */
  finished: boolean;
  /** Wall time of this run so far, seconds. */
  seconds: number;
  /** CPU time (user + system) of this process during the run so far, seconds (all its threads). */
  cpuSeconds: number;
  counts: { assigned: number; done: number; skipped: number; failed: number; pending: number };
  /** Embedded by this run. */
  done: ManifestEntry[];
  /** Already present in the cache (from an earlier run or another host), not embedded again. */
  skipped: ManifestEntry[];
  failed: ManifestFailure[];
}

/** Folder of the manifests of one segmenter's entries (inside that segmenter's entry folder). */
export function manifestDir(entryDir: string): string {
  return join(entryDir, "manifests");
}

/** File name of shard `index` of `count` of `dataset`, e.g. "val2017.shard-0003-of-0016.json". */
export function manifestName(dataset: string, index: number, count: number): string {
  const pad = (n: number): string => String(n).padStart(4, "0");
  return `${dataset.replace(/[^A-Za-z0-9._-]/g, "_")}.shard-${pad(index)}-of-${pad(count)}.json`;
}

/** Write a manifest atomically (readers see the previous version or this one, never a mix). */
export async function writeManifest(path: string, m: ShardManifest): Promise<void> {
  await writeFileAtomic(path, Buffer.from(JSON.stringify(m)));
}

/** Read one manifest; null when absent, unreadable or not a manifest. */
export async function readManifest(path: string): Promise<ShardManifest | null> {
  try {
    const m = JSON.parse(await readFile(path, "utf8")) as ShardManifest;
    return m && m.format === MANIFEST_FORMAT && Array.isArray(m.done) && Array.isArray(m.skipped) ? m : null;
  } catch {
    return null;
  }
}

/** Every readable manifest in `dir` (none when the folder does not exist). */
export async function readManifests(dir: string): Promise<ShardManifest[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json"));
  } catch {
    return [];
  }
  const all = await Promise.all(names.sort().map((n) => readManifest(join(dir, n))));
  return all.filter((m): m is ShardManifest => m !== null);
}

/** Whether two manifests (or a manifest and a run) describe the same pixels of the same images. */
export function sameKeys(
  m: Pick<ShardManifest, "segmenterId" | "dataset" | "resizeTo">,
  run: Pick<ShardManifest, "segmenterId" | "dataset" | "resizeTo">,
): boolean {
  return (
    m.segmenterId === run.segmenterId &&
    m.dataset === run.dataset &&
    JSON.stringify(m.resizeTo) === JSON.stringify(run.resizeTo)
  );
}

/**
 * Keeps a shard's manifest on disk: call `changed()` after each image (the file is rewritten at
 * most every `intervalMs`), `flush()` at the end. Writes never overlap; a failed write is
 * retried on the next one and reported by `flush()`.
 */
export class ManifestWriter {
  private last = 0;
  private writing: Promise<void> | null = null;

  constructor(
    readonly path: string,
    readonly manifest: ShardManifest,
    private readonly intervalMs = 1000,
  ) {}

  /** Note progress; rewrites the file when the last write is older than the interval. */
  changed(): void {
    if (this.writing || performance.now() - this.last < this.intervalMs) return;
    this.writing = this.write()
      .catch(() => undefined)
      .finally(() => (this.writing = null));
  }

  /** Wait for a running write, then write the current state (throws when that write fails). */
  async flush(): Promise<void> {
    await this.writing;
    await this.write();
  }

  private async write(): Promise<void> {
    this.last = performance.now();
    const m = this.manifest;
    m.updatedAt = new Date().toISOString();
    m.counts.done = m.done.length;
    m.counts.skipped = m.skipped.length;
    m.counts.failed = m.failed.length;
    m.counts.pending = m.counts.assigned - m.done.length - m.skipped.length - m.failed.length;
    await writeManifest(this.path, m);
  }
}
