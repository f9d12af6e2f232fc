import type { NdArray } from "ndarray";
import type { PromptableSegmenter, SegmenterPrediction, SegmenterPrompt } from "../promptable-segmenter";
import { imageContentHash } from "./content-hash";
import { EmbeddingCache } from "./embedding-cache";
import type { EmbeddingCacheOptions } from "./embedding-cache";

/**
 * Wraps any {@link PromptableSegmenter} so `embed` goes through an {@link EmbeddingCache}
 * keyed by (image content hash, segmenter id); `predict` is the wrapped segmenter's.
 * Same `id`, shapes and outputs as the wrapped segmenter.
 *
 * @example
 * ```ts
 * const seg = new CachedSegmenter(new OnnxSamSegmenter({ encoderPath, decoderPath }), { dir: ".cache" });
 * await seg.embed(image);   // computed (seconds for SAM), written to .cache
 * await seg.embed(image);   // memory hit
 * seg.cache.stats();
 * ```
 */
export class CachedSegmenter implements PromptableSegmenter {
  readonly cache: EmbeddingCache;

  /** `cache`: an EmbeddingCache to share between segmenters, or options for a new one. */
  constructor(
    readonly inner: PromptableSegmenter,
    cache: EmbeddingCache | EmbeddingCacheOptions = {},
  ) {
    this.cache = cache instanceof EmbeddingCache ? cache : new EmbeddingCache(cache);
  }

  get id(): string {
    return this.inner.id;
  }

  get embeddingShape(): [number, number, number] {
    return this.inner.embeddingShape;
  }

  get lowResShape(): [number, number] {
    return this.inner.lowResShape;
  }

  /** The cached embedding of `image` (computed by the wrapped segmenter on a miss). */
  embed(image: NdArray<Uint8Array>): Promise<NdArray<Float32Array>> {
    return this.cache.getOrCompute(imageContentHash(image), this.inner.id, () => this.inner.embed(image));
  }

  /** The wrapped segmenter's predict. */
  predict(embedding: NdArray<Float32Array>, prompt: SegmenterPrompt): Promise<SegmenterPrediction> {
    return this.inner.predict(embedding, prompt);
  }

  /** Dispose the wrapped segmenter. */
  async dispose(): Promise<void> {
    await this.inner.dispose?.();
  }
}
