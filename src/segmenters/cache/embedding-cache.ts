import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../../core/errors";
import { denseFloat32 } from "../prompt-checks";
import { requireNodeBuiltin } from "../../core/node-builtins";
import { sha256Hex } from "../../core/sha256";
import { encodeEmbeddingFile, readEmbeddingFile, writeFileAtomic } from "./embedding-file";
import type { EmbeddingStorageDtype } from "./embedding-file";

/** Options of {@link EmbeddingCache}. */
export interface EmbeddingCacheOptions {
  /** Memory budget of the in-memory LRU, bytes of float32 data (default 256 MiB; 0 disables it). */
  maxBytes?: number;
  /** Directory of the on-disk cache (created on first write); omitted = memory only. */
  dir?: string;
  /**
   * How new files store values: "float32" (default, exact) or "float16" (half the disk; read
   * back as float32 within float16 precision). Files of either kind are always readable.
   */
  dtype?: EmbeddingStorageDtype;
}

/** Counters of an {@link EmbeddingCache}. */
export interface EmbeddingCacheStats {
  /** Lookups answered from memory. */
  memoryHits: number;
  /** Lookups answered from disk (then kept in memory). */
  diskHits: number;
  /** Lookups that had to compute the embedding. */
  misses: number;
  /** Corrupt or truncated cache files found (discarded and recomputed). */
  corruptFiles: number;
  /** Failed disk writes (the run goes on; the embedding stays in memory). */
  writeErrors: number;
  /** Entries and bytes currently in memory. */
  entries: number;
  bytes: number;
}

/**
 * A cache of image embeddings keyed by (image content hash, segmenter id): an in-memory LRU
 * bounded in bytes, optionally backed by a directory of files written atomically (temp file +
 * rename) and checked on read (header + SHA-256; a bad file is deleted and recomputed).
 * Concurrent lookups of the same key share one computation. Returned embeddings are shared:
 * treat them as read-only.
 *
 * @example
 * ```ts
 * const cache = new EmbeddingCache({ maxBytes: 512 << 20, dir: ".cache/embeddings" });
 * const emb = await cache.getOrCompute(imageContentHash(image), seg.id, () => seg.embed(image));
 * cache.stats(); // { memoryHits: 0, diskHits: 0, misses: 1, ... }
 * ```
 */
export class EmbeddingCache {
  readonly maxBytes: number;
  readonly dir: string | null;
  /** Storage dtype of the files this cache writes. */
  readonly dtype: EmbeddingStorageDtype;
  private readonly memory = new Map<string, NdArray<Float32Array>>();
  private readonly pending = new Map<string, Promise<NdArray<Float32Array>>>();
  private bytes = 0;
  private counters = { memoryHits: 0, diskHits: 0, misses: 0, corruptFiles: 0, writeErrors: 0 };

  constructor(options: EmbeddingCacheOptions = {}) {
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    if (!(this.maxBytes >= 0) || !Number.isFinite(this.maxBytes)) {
      throw new InvalidArgumentError(`maxBytes must be a finite number >= 0, got ${options.maxBytes}`);
    }
    this.dir = options.dir ?? null;
    this.dtype = options.dtype ?? "float32";
    if (this.dtype !== "float32" && this.dtype !== "float16") {
      throw new InvalidArgumentError(`dtype must be "float32" or "float16", got ${JSON.stringify(options.dtype)}`);
    }
    if (this.dir !== null) requireNodeBuiltin("node:fs/promises", "an on-disk embedding cache (dir)");
  }

  /**
   * The embedding of (imageHash, segmenterId): from memory, else from disk, else `compute()`
   * (then stored in memory and on disk).
   */
  async getOrCompute(
    imageHash: string,
    segmenterId: string,
    compute: () => Promise<NdArray<Float32Array>>,
  ): Promise<NdArray<Float32Array>> {
    const key = `${segmenterId}\u0000${imageHash}`;
    const hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key); // refresh LRU position
      this.memory.set(key, hit);
      this.counters.memoryHits++;
      return hit;
    }
    const running = this.pending.get(key);
    if (running) {
      this.counters.memoryHits++;
      return running;
    }
    const job = this.load(key, imageHash, segmenterId, compute).finally(() => this.pending.delete(key));
    this.pending.set(key, job);
    return job;
  }

  /** Hit/miss counters and current memory use. */
  stats(): EmbeddingCacheStats {
    return { ...this.counters, entries: this.memory.size, bytes: this.bytes };
  }

  /** Drop every in-memory entry (files on disk stay). */
  clearMemory(): void {
    this.memory.clear();
    this.bytes = 0;
  }

  /** Path of the cache file of (imageHash, segmenterId), or null without a directory. */
  filePath(imageHash: string, segmenterId: string): string | null {
    if (!this.dir) return null;
    const safe = segmenterId.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 64);
    const tag = sha256Hex([segmenterId]).slice(0, 8);
    if (!/^[A-Za-z0-9._-]+$/.test(imageHash))
      throw new InvalidArgumentError(`imageHash must be a file-name-safe string, got ${JSON.stringify(imageHash)}`);
    return requireNodeBuiltin("node:path", "an on-disk embedding cache").join(
      this.dir,
      `${safe}-${tag}`,
      `${imageHash}.emb`,
    );
  }

  private async load(
    key: string,
    imageHash: string,
    segmenterId: string,
    compute: () => Promise<NdArray<Float32Array>>,
  ): Promise<NdArray<Float32Array>> {
    const path = this.filePath(imageHash, segmenterId);
    if (path) {
      const got = await readEmbeddingFile(path);
      if (got === "corrupt") this.counters.corruptFiles++;
      else if (got !== "missing") {
        this.counters.diskHits++;
        this.remember(key, got);
        return got;
      }
    }
    this.counters.misses++;
    const emb = await compute();
    this.remember(key, emb);
    if (path) {
      try {
        await writeFileAtomic(path, encodeEmbeddingFile(emb, denseFloat32(emb), this.dtype));
      } catch {
        this.counters.writeErrors++;
      }
    }
    return emb;
  }

  private remember(key: string, emb: NdArray<Float32Array>): void {
    const size = emb.size * 4;
    if (size > this.maxBytes) return;
    this.memory.set(key, emb);
    this.bytes += size;
    for (const [k, v] of this.memory) {
      if (this.bytes <= this.maxBytes) break;
      this.memory.delete(k);
      this.bytes -= v.size * 4;
    }
  }
}
