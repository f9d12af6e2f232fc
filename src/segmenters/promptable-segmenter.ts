import type { NdArray } from "ndarray";

/**
 * A click prompt for {@link PromptableSegmenter.predict}.
 * Points are (x, y) in image pixels of the image given to `embed`.
 */
export interface SegmenterPrompt {
  /** Click positions, (x, y) image pixels. */
  points: Array<[number, number]>;
  /** One label per point: 1 positive (foreground), 0 negative (background). */
  labels: number[];
  /** [H, W] of the image that was embedded. */
  imageSize: [number, number];
  /** Previous low-res logits [256, 256] fed back as a prior (SAM's mask_input), if any. */
  maskInput?: NdArray<Float32Array>;
  /** Return three candidate masks (SAM's multimask output) instead of one. */
  multimask?: boolean;
  /**
   * The caller reads the prediction before its next `predict` call on this segmenter (as
   * SamSegEnv does): the segmenter may return arrays it overwrites on that call, and so allocate
   * nothing per call. Default false: every array of the prediction is the caller's to keep.
   */
  reuseOutput?: boolean;
}

/** The result of {@link PromptableSegmenter.predict}; k = 1, or 3 with multimask. */
export interface SegmenterPrediction {
  /** Full-size mask logits [k, H, W] float32 (threshold 0 = probability 0.5). */
  masks: NdArray<Float32Array>;
  /** Predicted IoU of each mask [k]. */
  scores: Float32Array;
  /** Low-res logits [k, 256, 256] in SAM's padded 1024 frame. */
  lowResLogits: NdArray<Float32Array>;
}

/**
 * A promptable segmenter (SAM's contract): embed an image once, then turn click prompts into
 * masks many times. Every backend uses SAM's frames: the embedding grid and the low-res logits
 * cover the image resized to longest side 1024 and zero-padded bottom/right to a square.
 *
 * @example
 * ```ts
 * const seg: PromptableSegmenter = new GeodesicSegmenter();
 * const emb = await seg.embed(image);                       // image [H, W, 3] uint8
 * const { masks, scores } = await seg.predict(emb, { points: [[120, 80]], labels: [1], imageSize: [H, W] });
 * ```
 */
export interface PromptableSegmenter {
  /** Identifies the model and its settings (part of embedding-cache keys). */
  readonly id: string;
  /** [C, h, w] of the embedding (SAM: [256, 64, 64]). */
  readonly embeddingShape: [number, number, number];
  /** `[256, 256]`: the low-res logits size. */
  readonly lowResShape: [number, number];
  /** Embed an image [H, W, 3] uint8 into [C, h, w] float32. */
  embed(image: NdArray<Uint8Array>): Promise<NdArray<Float32Array>>;
  /** Segment from clicks, given an embedding of the image. */
  predict(embedding: NdArray<Float32Array>, prompt: SegmenterPrompt): Promise<SegmenterPrediction>;
  /** Release resources (ONNX sessions, ...), if any. */
  dispose?(): Promise<void>;
}
