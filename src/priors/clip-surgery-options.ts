// Checking the options of ClipSurgeryPrior.create before any file is opened.
import { InvalidArgumentError } from "../core/errors";
import type { EmbeddingCache } from "../segmenters/cache/embedding-cache";

/** Options of {@link ClipSurgeryPrior.create}. */
export interface ClipSurgeryPriorOptions {
  /** CLIP-Surgery image encoder .onnx: `image` [B, 3, S, S] float32 -> `image_features` [B, 1+N, D]. */
  imageEncoder: string;
  /** CLIP text encoder .onnx: `tokens` [B, 77] int64 -> `text_features` [B, D]. */
  textEncoder: string;
  /** S, the side images are resized to (default: the image encoder's static size, else 224). */
  imageSize?: number;
  /** Prompt templates with one `{}` each (default: CLIP Surgery's 85, {@link CLIP_SURGERY_TEMPLATES}). */
  templates?: readonly string[];
  /**
   * Cache of image features (keyed by image content hash and this prior's `id`): pass an
   * EmbeddingCache with a `dir` to keep them on disk across runs. Default: a private in-memory
   * cache of 64 MiB.
   */
  cache?: EmbeddingCache;
  /**
   * Size [h, w] of the maps `prior` returns, or "image" (default) for the image's own size, as
   * CLIP Surgery's demo upsamples to the image.
   */
  mapSize?: [number, number] | "image";
  /** onnxruntime intraOpNumThreads (default: onnxruntime's choice). */
  intraOpNumThreads?: number;
  /**
   * Identifier in cache keys (default "clip-surgery:" + image encoder file name + ":" + its size in
   * bytes + ":" + S, so two exports of the same name but other weights do not share features).
   */
  id?: string;
}

/** @throws InvalidArgumentError naming the first bad option. */
export function checkClipSurgeryOptions(options: ClipSurgeryPriorOptions): void {
  for (const k of ["imageEncoder", "textEncoder"] as const) {
    if (typeof options?.[k] !== "string" || options[k] === "") {
      throw new InvalidArgumentError(
        `ClipSurgeryPrior: ${k} must be a path to an .onnx file, got ${JSON.stringify(options?.[k])}`,
      );
    }
  }
  const { imageSize, templates, mapSize, intraOpNumThreads } = options;
  if (imageSize !== undefined && !(Number.isSafeInteger(imageSize) && imageSize > 0)) {
    throw new InvalidArgumentError(`ClipSurgeryPrior: imageSize must be a positive integer, got ${imageSize}`);
  }
  if (
    templates !== undefined &&
    (!Array.isArray(templates) ||
      templates.length === 0 ||
      templates.some((t) => typeof t !== "string" || !t.includes("{}")))
  ) {
    throw new InvalidArgumentError(
      `ClipSurgeryPrior: templates must be a non-empty array of strings with "{}" each, got ${JSON.stringify(templates)}`,
    );
  }
  if (
    mapSize !== undefined &&
    mapSize !== "image" &&
    !(Array.isArray(mapSize) && mapSize.length === 2 && mapSize.every((v) => Number.isSafeInteger(v) && v > 0))
  ) {
    throw new InvalidArgumentError(
      `ClipSurgeryPrior: mapSize must be "image" or [h, w] positive integers, got ${JSON.stringify(mapSize)}`,
    );
  }
  if (intraOpNumThreads !== undefined && !(Number.isInteger(intraOpNumThreads) && intraOpNumThreads >= 0)) {
    throw new InvalidArgumentError(
      `ClipSurgeryPrior: intraOpNumThreads must be an integer >= 0, got ${intraOpNumThreads}`,
    );
  }
}

/** The static sizes the two models declare (null where a size is dynamic). */
export interface ClipModelSizes {
  /** S of the image input [B, 3, S, S] (null when dynamic or not square). */
  imageSize: number | null;
  /** Tokens 1 + N of `image_features`. */
  imageTokens: number | null;
  /** D of `image_features`. */
  imageDim: number | null;
  /** D of `text_features`. */
  textDim: number | null;
}
