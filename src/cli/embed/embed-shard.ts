import { stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../../core/errors";
import type { PromptableSegmenter } from "../../segmenters/promptable-segmenter";
import type { EmbeddingCache } from "../../segmenters/cache/embedding-cache";
import {
  checkEmbeddingFile,
  encodeEmbeddingFileParts,
  inspectEmbeddingFile,
  writeFileAtomic,
} from "../../segmenters/cache/embedding-file";
import { denseFloat32 } from "../../segmenters/prompt-checks";
import { imageId, keyedImage, mapLimit } from "./image-key";
import type { KeyedImage } from "./image-key";
import { MANIFEST_FORMAT, ManifestWriter, manifestDir, manifestName, readManifest, sameKeys } from "./manifest";
import type { ManifestEntry, ShardManifest } from "./manifest";
import { shardOf } from "./shard";
import type { ShardSpec } from "./shard";

/** A segmenter that embeds several images in one call (OnnxSamSegmenter with a dynamic batch axis). */
export interface BatchEmbedder {
  embedBatch(images: NdArray<Uint8Array>[]): Promise<NdArray<Float32Array>[]>;
}

/** Options of {@link embedShard}. */
export interface EmbedShardOptions {
  /** Every image file of the dataset (absolute or cwd-relative paths). */
  files: readonly string[];
  /** The image folder: ids (shard assignment, manifests) are paths relative to it. */
  imageRoot: string;
  /** Dataset name recorded in (and naming) the manifest, e.g. "val2017". */
  dataset: string;
  /** The on-disk cache (its `dir` and `dtype` are used; its memory is not). */
  cache: EmbeddingCache;
  /** The segmenter that embeds (not wrapped in a cache). */
  segmenter: PromptableSegmenter & Partial<BatchEmbedder>;
  shard: ShardSpec;
  /** [H, W] the env's imgShape: images are resized to it before hashing and embedding. */
  resizeTo: readonly [number, number] | null;
  /** Images per encoder call (> 1 needs `segmenter.embedBatch`). */
  batchSize: number;
  /** Check the SHA-256 of entries already present (else only their length: one stat when the manifest recorded it, else header + length). */
  checksums: boolean;
  /** Called after each image with (processed, assigned). */
  onProgress?: (processed: number, total: number) => void;
  /** Stop after the current batch (the manifest is written, `finished: false`). */
  signal?: AbortSignal;
  /** Minimum time between manifest rewrites, ms (default 1000). */
  manifestIntervalMs?: number;
}

/** What {@link embedShard} did. */
export interface EmbedShardResult {
  manifest: ShardManifest;
  manifestPath: string;
  /** Images embedded per second of wall time (done / seconds). */
  imagesPerSecond: number;
}

/** The folder holding `segmenterId`'s entries in `cache` (where its manifests go too). */
export function entryDir(cache: EmbeddingCache, segmenterId: string): string {
  const path = cache.filePath("x", segmenterId);
  if (path === null) throw new InvalidArgumentError("the embedding cache has no directory: pass --cache <dir>");
  return dirname(path);
}

/**
 * Embed this shard's images into the cache folder. An image belongs to the shard whose index is
 * {@link shardOf}(its id); images whose entry is present (listed in this shard's previous
 * manifest and still there, or found by content key) are skipped and counted; failures are
 * recorded with their reason and do not stop the run. The shard's manifest is rewritten
 * atomically at least every `manifestIntervalMs`, so a killed run resumes where it stopped.
 */
export async function embedShard(o: EmbedShardOptions): Promise<EmbedShardResult> {
  const t0 = performance.now(),
    cpu0 = process.cpuUsage();
  const elapsed = (): void => {
    const c = process.cpuUsage(cpu0);
    manifest.seconds = (performance.now() - t0) / 1000;
    manifest.cpuSeconds = (c.user + c.system) / 1e6;
  };
  const { segmenter, cache, shard } = o;
  const resizeTo = o.resizeTo ? ([o.resizeTo[0], o.resizeTo[1]] as [number, number]) : null;
  const dir = entryDir(cache, segmenter.id);
  const entryPath = (key: string): string => join(dir, `${key}.emb`);
  const assigned = o.files.filter((f) => shardOf(imageId(o.imageRoot, f), shard.count) === shard.index);
  const manifestPath = join(manifestDir(dir), manifestName(o.dataset, shard.index, shard.count));
  const now = new Date().toISOString();
  const manifest: ShardManifest = {
    format: MANIFEST_FORMAT,
    segmenterId: segmenter.id,
    dataset: o.dataset,
    imageRoot: o.imageRoot,
    resizeTo,
    dtype: cache.dtype,
    shardIndex: shard.index,
    shardCount: shard.count,
    startedAt: now,
    updatedAt: now,
    finished: false,
    seconds: 0,
    cpuSeconds: 0,
    counts: { assigned: assigned.length, done: 0, skipped: 0, failed: 0, pending: assigned.length },
    done: [],
    skipped: [],
    failed: [],
  };
  const writer = new ManifestWriter(manifestPath, manifest, o.manifestIntervalMs ?? 1000);
  let processed = 0;
  const progress = (): void => {
    processed++;
    elapsed();
    writer.changed();
    o.onProgress?.(processed, assigned.length);
  };

  // 1. Images the previous run of this shard recorded, whose file and entry are unchanged: no decode.
  const known = await previousEntries(manifestPath, manifest);
  const still = await mapLimit(assigned, 32, async (file) => {
    const prev = known.get(imageId(o.imageRoot, file));
    const ok =
      prev &&
      (await unchanged(file, prev)) &&
      (await checkEmbeddingFile(entryPath(prev.key), o.checksums, prev.entryBytes)) === "ok";
    return ok ? prev : null;
  });
  const todo: string[] = [];
  for (const [i, file] of assigned.entries()) {
    const prev = still[i];
    if (prev) {
      manifest.skipped.push(prev);
      progress();
    } else todo.push(file);
  }

  // 2. The rest: decode + key (the next batch is prepared while the encoder runs), skip present entries;
  // an entry is written while the next image is embedded (one write in flight).
  const writes: EntryWrites = { last: Promise.resolve(), key: null };
  const batches: string[][] = [];
  for (let i = 0; i < todo.length; i += o.batchSize) batches.push(todo.slice(i, i + o.batchSize));
  const prepare = (files: string[]): Promise<Array<KeyedImage | { id: string; reason: string }>> =>
    Promise.all(
      files.map((f) =>
        keyedImage(o.imageRoot, f, resizeTo).catch((e: unknown) => ({
          id: imageId(o.imageRoot, f),
          reason: message(e),
        })),
      ),
    );
  let next = batches.length ? prepare(batches[0]) : null;
  for (let b = 0; b < batches.length && !o.signal?.aborted; b++) {
    const items = await next!;
    next = b + 1 < batches.length ? prepare(batches[b + 1]) : null;
    const toEmbed: KeyedImage[] = [];
    for (const it of items) {
      if (!("key" in it)) {
        manifest.failed.push({ image: it.id, reason: it.reason });
        progress();
      } else {
        if (it.key === writes.key) await writes.last; // the same pixels as the entry being written: wait for it
        const found = await inspectEmbeddingFile(entryPath(it.key), o.checksums);
        if (found.status !== "ok") toEmbed.push(it);
        else {
          manifest.skipped.push({ image: it.id, key: it.key, bytes: it.bytes, entryBytes: found.bytes });
          progress();
        }
      }
    }
    if (toEmbed.length) await embedAndWrite(o, toEmbed, entryPath, manifest, progress, writes);
  }
  await writes.last;
  if (next) await next.catch(() => undefined);
  manifest.finished = !o.signal?.aborted && processed === assigned.length;
  elapsed();
  await writer.flush();
  return { manifest, manifestPath, imagesPerSecond: manifest.done.length / Math.max(manifest.seconds, 1e-9) };
}

/** The entry write in flight (it never rejects: a failed write is recorded as a failed image). */
interface EntryWrites {
  last: Promise<void>;
  /** The key of the entry that write is writing. */
  key: string | null;
}

/**
 * Embed one batch and write each entry atomically, recording it done (once its file is in place) or
 * failed. Each write runs while the next image is embedded; it waits for the previous write first,
 * so at most one entry (and its memory) is in flight and the manifest lists entries in order.
 */
async function embedAndWrite(
  o: EmbedShardOptions,
  items: KeyedImage[],
  entryPath: (key: string) => string,
  manifest: ShardManifest,
  progress: () => void,
  writes: EntryWrites,
): Promise<void> {
  const seg = o.segmenter;
  const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));
  const fail = (it: KeyedImage, err: unknown): void => {
    manifest.failed.push({ image: it.id, reason: message(err) });
    progress();
  };
  let embeddings: Array<NdArray<Float32Array> | Error>;
  if (items.length > 1 && seg.embedBatch) {
    // One encoder run for the batch: if it fails, every image of the batch fails with its reason.
    embeddings = await seg
      .embedBatch(items.map((it) => it.image))
      .catch((err: unknown) => items.map(() => asError(err)));
  } else {
    embeddings = [];
    for (const it of items) embeddings.push(await seg.embed(it.image).catch(asError));
  }
  for (const [i, it] of items.entries()) {
    const emb = embeddings[i];
    let parts: [Buffer, Buffer];
    try {
      if (emb instanceof Error) throw emb;
      const want = seg.embeddingShape;
      if (emb.shape.length !== want.length || emb.shape.some((d, k) => d !== want[k])) {
        throw new Error(`the segmenter returned an embedding of shape [${emb.shape}], declared [${want}]`);
      }
      parts = encodeEmbeddingFileParts(emb, denseFloat32(emb), o.cache.dtype);
    } catch (err) {
      await writes.last;
      fail(it, err);
      continue;
    }
    await writes.last;
    writes.key = it.key;
    writes.last = writeFileAtomic(entryPath(it.key), parts).then(
      () => {
        manifest.done.push({
          image: it.id,
          key: it.key,
          bytes: it.bytes,
          entryBytes: parts[0].length + parts[1].length,
        });
        progress();
      },
      (err: unknown) => fail(it, err),
    );
  }
}

/** This shard's entries from its previous manifest (same segmenter, dataset and resize), by image id. */
async function previousEntries(path: string, run: ShardManifest): Promise<Map<string, ManifestEntry>> {
  const prev = await readManifest(path);
  const out = new Map<string, ManifestEntry>();
  if (!prev || !sameKeys(prev, run)) return out;
  for (const e of [...prev.skipped, ...prev.done]) out.set(e.image, e);
  return out;
}

/** Whether the image file still has the size recorded with its key. */
async function unchanged(file: string, e: ManifestEntry): Promise<boolean> {
  try {
    return (await stat(file)).size === e.bytes;
  } catch {
    return false;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
