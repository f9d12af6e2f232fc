import { checkClipSurgeryOptions as checkOptions } from "./clip-surgery-options";
import type { ClipSurgeryPriorOptions } from "./clip-surgery-options";

export type { ClipSurgeryPriorOptions } from "./clip-surgery-options";
import { requireNodeBuiltin } from "../core/node-builtins";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import type * as Ort from "onnxruntime-node";
import { InvalidArgumentError, SegmenterError } from "../core/errors";
import { resizeBicubicPil } from "../data/resize-bicubic";
import { EmbeddingCache } from "../segmenters/cache/embedding-cache";
import { denseBytes, imageContentHash } from "../segmenters/cache/content-hash";
import { checkRgbImage } from "../segmenters/geodesic/lab-image";
import { denseFloat32 } from "../segmenters/prompt-checks";
import { assertContract } from "../segmenters/onnx/sam-contract";
import { loadOnnxRuntime } from "../segmenters/onnx/load-onnxruntime";
import type { OnnxRuntime } from "../segmenters/onnx/load-onnxruntime";
import { clipFeatureSurgery, clipSimilarityMaps } from "./clip-feature-surgery";
import { CLIP_SURGERY_CONTRACT, clipContractMismatches } from "./clip-surgery-contract";
import type { ClipModelSizes } from "./clip-surgery-options";
import { CLIP_IMAGE_MEAN, CLIP_IMAGE_STD, CLIP_SURGERY_TEMPLATES } from "./clip-templates";
import { ClipBpeTokenizer } from "./clip-tokenizer";

/** A semantic prior map set, as the explicit agent's SemanticPriorProvider returns it: [channels, height, width]. */
export interface ClipPriorMaps {
  data: Float32Array;
  height: number;
  width: number;
}

/**
 * CLIP's preprocessing of an [H, W, 3] uint8 image for a side-S model: Pillow-exact bicubic
 * resize to S x S (as torchvision's `Resize((S, S), BICUBIC)` on a PIL image, the aspect ratio
 * is not kept), then (v / 255 - mean) / std per channel, as [3, S, S] float32 written into `out`
 * at `offset`.
 */
export function clipPreprocess(
  image: NdArray<Uint8Array>,
  size: number,
  out: Float32Array = new Float32Array(3 * size * size),
  offset = 0,
): Float32Array {
  const [h, w] = checkRgbImage(image);
  if (!(Number.isSafeInteger(size) && size > 0))
    throw new InvalidArgumentError(`clipPreprocess: size must be a positive integer, got ${size}`);
  const resized = resizeBicubicPil(denseBytes(image), h, w, 3, size, size);
  const plane = size * size;
  for (let c = 0; c < 3; c++) {
    const mean = CLIP_IMAGE_MEAN[c] as number,
      std = CLIP_IMAGE_STD[c] as number;
    for (let i = 0; i < plane; i++) out[offset + c * plane + i] = ((resized[i * 3 + c] as number) / 255 - mean) / std;
  }
  return out;
}

/**
 * The reference AlignSAM semantic prior: CLIP Surgery similarity maps of the target category,
 * from ONNX exports of CLIP-Surgery's image and text encoders (`scripts/export-clip-surgery.py`)
 * run on onnxruntime-node (an optional peer dependency, loaded on first use).
 *
 * `prior(image, category)`: image features (cached by image content) go through
 * {@link clipFeatureSurgery} with the category's prompt-ensemble text features (cached per
 * category) minus the redundant features (the ensemble of ""), then {@link clipSimilarityMaps}
 * to `mapSize`: one map [1, h, w] in [0, 1]. It fits the explicit agent's
 * SemanticPriorProvider interface (`channels` 1, `prior`). Both model files are checked against
 * the contract when `create` loads them; every mismatch is named in one SegmenterError.
 *
 * @example
 * ```ts
 * const prior = await ClipSurgeryPrior.create({ imageEncoder: "clip-surgery-image.onnx", textEncoder: "clip-surgery-text.onnx" });
 * const { data, height, width } = await prior.prior(image, "dog"); // [1, H, W] in [0, 1]
 * const agent = new ExplicitAgent(obsSpace, actSpace, {}, 1, prior);
 * await prior.dispose();
 * ```
 */
export class ClipSurgeryPrior {
  /** Channels of the maps (one: the target category). */
  readonly channels = 1;
  /** Identifier of the image features in the cache. */
  readonly id: string;
  /** S, the side of the image encoder's input. */
  readonly imageSize: number;
  /** The templates of the prompt ensemble. */
  readonly templates: readonly string[];
  /** The image feature cache. */
  readonly cache: EmbeddingCache;
  /** Static sizes the models declare (D, tokens), null where dynamic. */
  readonly modelSizes: ClipModelSizes;
  /** Cumulative time in onnxruntime (ms) and calls, for profiling. */
  readonly timings = { imageMs: 0, imageCalls: 0, textMs: 0, textCalls: 0 };
  private readonly options: ClipSurgeryPriorOptions;
  private readonly textCache = new Map<string, Float32Array>();
  /** The last maps computed, keyed by image hash, category and size (an episode asks for the same map each step). */
  private readonly mapCache = new Map<string, ClipPriorMaps>();
  private redundant: Float32Array | null = null;
  private readonly tokenizer: ClipBpeTokenizer;
  private ort: OnnxRuntime | null;
  private imageSession: Ort.InferenceSession | null;
  private textSession: Ort.InferenceSession | null;

  private constructor(
    options: ClipSurgeryPriorOptions,
    ort: OnnxRuntime,
    image: Ort.InferenceSession,
    text: Ort.InferenceSession,
    sizes: ClipModelSizes,
    imageBytes: number,
  ) {
    this.options = options;
    this.ort = ort;
    this.imageSession = image;
    this.textSession = text;
    this.modelSizes = sizes;
    this.imageSize = options.imageSize ?? sizes.imageSize ?? 224;
    this.templates = Object.freeze([...(options.templates ?? CLIP_SURGERY_TEMPLATES)]);
    this.cache = options.cache ?? new EmbeddingCache({ maxBytes: 64 * 1024 * 1024 });
    const file = options.imageEncoder.split(/[\\/]/).pop() as string;
    this.id = options.id ?? `clip-surgery:${file}:${imageBytes}:${this.imageSize}`;
    this.tokenizer = ClipBpeTokenizer.bundled();
  }

  /**
   * Load both models (onnxruntime-node on first use) and check them against the contract.
   * @throws InvalidArgumentError on bad options; MissingDependencyError without onnxruntime-node;
   * SegmenterError naming every file that cannot be loaded or every contract mismatch.
   */
  static async create(options: ClipSurgeryPriorOptions): Promise<ClipSurgeryPrior> {
    checkOptions(options);
    const ort = await loadOnnxRuntime();
    const opts: Ort.InferenceSession.SessionOptions = {};
    if (options.intraOpNumThreads !== undefined) opts.intraOpNumThreads = options.intraOpNumThreads;
    const open = async (path: string): Promise<Ort.InferenceSession | string> => {
      try {
        return await ort.InferenceSession.create(path, opts);
      } catch (err) {
        return `cannot load ONNX model ${path}: ${(err as Error).message}`;
      }
    };
    const [image, text] = await Promise.all([open(options.imageEncoder), open(options.textEncoder)]);
    const failed = [image, text].filter((s): s is string => typeof s === "string");
    if (failed.length > 0) {
      for (const s of [image, text]) if (typeof s !== "string") await s.release();
      throw new SegmenterError(`ClipSurgeryPrior: ${failed.join("; ")}`);
    }
    const img = image as Ort.InferenceSession,
      txt = text as Ort.InferenceSession;
    const { problems, sizes } = clipContractMismatches(
      { path: options.imageEncoder, session: img },
      { path: options.textEncoder, session: txt },
      options.imageSize ?? null,
    );
    try {
      assertContract(`${options.imageEncoder} + ${options.textEncoder}`, problems, CLIP_SURGERY_CONTRACT);
    } catch (err) {
      await img.release();
      await txt.release();
      throw err;
    }
    const imageBytes = await requireNodeBuiltin("node:fs/promises", "ClipSurgeryPrior")
      .stat(options.imageEncoder)
      .then(
        (st) => st.size,
        () => 0,
      );
    return new ClipSurgeryPrior(options, ort, img, txt, sizes, imageBytes);
  }

  /** The model file paths this prior was created from. */
  get files(): { imageEncoder: string; textEncoder: string } {
    return { imageEncoder: this.options.imageEncoder, textEncoder: this.options.textEncoder };
  }

  /**
   * Raw text features [n, D] of texts (tokenized with CLIP's tokenizer, truncated at 77 tokens):
   * the text encoder's output, not normalised.
   */
  async encodePrompts(texts: readonly string[]): Promise<NdArray<Float32Array>> {
    const session = this.session("textSession");
    const tokens = this.tokenizer.tokenize(texts, { truncate: true });
    const feed = new (this.ort as OnnxRuntime).Tensor(
      "int64",
      BigInt64Array.from(tokens.data, (v) => BigInt(v)),
      [texts.length, 77],
    );
    const t0 = performance.now();
    const out = await session.run({ tokens: feed });
    this.timings.textMs += performance.now() - t0;
    this.timings.textCalls++;
    const f = out["text_features"] as Ort.Tensor;
    if (f.dims.length !== 2 || f.dims[0] !== texts.length) {
      throw new SegmenterError(
        `${this.options.textEncoder}: output "text_features" has shape [${f.dims.join(", ")}], expected [${texts.length}, D]`,
      );
    }
    return ndarray(Float32Array.from(f.data as Float32Array), [texts.length, f.dims[1] as number]);
  }

  /**
   * Prompt-ensemble text features [K, D] of categories (CLIP Surgery's
   * `encode_text_with_prompt_ensemble`): per category, every template's features L2-normalised,
   * averaged, normalised again. Cached per category.
   */
  async encodeText(categories: readonly string[]): Promise<NdArray<Float32Array>> {
    if (!Array.isArray(categories) || categories.some((c) => typeof c !== "string")) {
      throw new InvalidArgumentError(
        `encodeText: categories must be an array of strings, got ${JSON.stringify(categories)}`,
      );
    }
    const rows: Float32Array[] = [];
    for (const c of categories) rows.push(await this.ensemble(c));
    const d = rows[0]?.length ?? 0;
    const out = new Float32Array(rows.length * d);
    rows.forEach((r, i) => out.set(r, i * d));
    return ndarray(out, [rows.length, d]);
  }

  /** The redundant features [1, D]: the prompt ensemble of the empty string. */
  async redundantFeatures(): Promise<NdArray<Float32Array>> {
    this.redundant ??= await this.ensemble("");
    return ndarray(this.redundant, [1, this.redundant.length]);
  }

  /**
   * Image features [B, 1+N, D] (raw encoder output). An [H, W, 3] uint8 image is preprocessed
   * ({@link clipPreprocess}) and its features cached by content hash (B = 1); a [B, 3, S, S]
   * float32 batch is taken as already preprocessed and not cached.
   * @throws InvalidArgumentError on any other shape.
   */
  async encodeImage(pixels: NdArray<Uint8Array> | NdArray<Float32Array>): Promise<NdArray<Float32Array>> {
    const s = this.imageSize;
    if (pixels?.data instanceof Float32Array) {
      const shape = pixels.shape;
      if (shape.length !== 4 || shape[1] !== 3 || shape[2] !== s || shape[3] !== s) {
        throw new InvalidArgumentError(
          `encodeImage: a float32 batch must be [B, 3, ${s}, ${s}], got [${shape.join(", ")}]`,
        );
      }
      return this.runImage(denseFloat32(pixels), shape[0] as number);
    }
    const image = pixels as NdArray<Uint8Array>;
    checkRgbImage(image);
    return this.imageFeatures(image, imageContentHash(image));
  }

  /**
   * The prior map [1, h, w] (values in [0, 1]) of `category` in an [H, W, 3] uint8 image; h, w
   * from `mapSize` (default the image's size). The maps of the last 16 (image, category) pairs
   * are kept, so an episode's later steps cost a hash of the image: treat `data` as read-only.
   */
  async prior(image: NdArray<Uint8Array>, category: string): Promise<ClipPriorMaps> {
    if (typeof category !== "string")
      throw new InvalidArgumentError(
        `ClipSurgeryPrior.prior: category must be a string, got ${JSON.stringify(category)}`,
      );
    const [H, W] = checkRgbImage(image);
    const size =
      this.options.mapSize === undefined || this.options.mapSize === "image"
        ? ([H, W] as [number, number])
        : this.options.mapSize;
    const hash = imageContentHash(image);
    const key = `${hash}\u0000${size[0]}x${size[1]}\u0000${category}`;
    const hit = this.mapCache.get(key);
    if (hit !== undefined) {
      this.mapCache.delete(key); // most recently used last
      this.mapCache.set(key, hit);
      return hit;
    }
    const features = await this.imageFeatures(image, hash);
    const text = await this.encodeText([category]);
    const redundant = await this.redundantFeatures();
    if (features.shape[2] !== text.shape[1]) {
      throw new SegmenterError(
        `feature widths differ: ${this.options.imageEncoder} gives D = ${features.shape[2]}, ${this.options.textEncoder} gives D = ${text.shape[1]}`,
      );
    }
    const maps = clipSimilarityMaps(clipFeatureSurgery(features, text, redundant), size);
    const out = { data: maps.data, height: size[0], width: size[1] };
    if (this.mapCache.size >= 16) this.mapCache.delete(this.mapCache.keys().next().value as string);
    this.mapCache.set(key, out);
    return out;
  }

  /** Release both sessions (safe to call twice; the prior cannot be used afterwards). */
  async dispose(): Promise<void> {
    const sessions = [this.imageSession, this.textSession];
    this.imageSession = this.textSession = null;
    this.ort = null;
    this.mapCache.clear();
    for (const s of sessions) await s?.release();
  }

  private session(which: "imageSession" | "textSession"): Ort.InferenceSession {
    const s = this[which];
    if (s === null) throw new SegmenterError("ClipSurgeryPrior has been disposed");
    return s;
  }

  /** Features of an [H, W, 3] image whose content hash is known, through the cache. */
  private imageFeatures(image: NdArray<Uint8Array>, hash: string): Promise<NdArray<Float32Array>> {
    return this.cache.getOrCompute(hash, this.id, () => this.runImage(clipPreprocess(image, this.imageSize), 1));
  }

  private async ensemble(category: string): Promise<Float32Array> {
    const hit = this.textCache.get(category);
    if (hit !== undefined) return hit;
    const feats = await this.encodePrompts(this.templates.map((t) => t.split("{}").join(category)));
    const [n, d] = feats.shape as [number, number];
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      let norm = 0;
      for (let j = 0; j < d; j++) norm += (feats.data[i * d + j] as number) ** 2;
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (feats.data[i * d + j] as number) * inv;
    }
    let norm = 0;
    for (let j = 0; j < d; j++) {
      mean[j] = (mean[j] as number) / n;
      norm += (mean[j] as number) ** 2;
    }
    const out = Float32Array.from(mean, (v) => v / Math.sqrt(norm));
    this.textCache.set(category, out);
    return out;
  }

  private async runImage(input: Float32Array, batch: number): Promise<NdArray<Float32Array>> {
    const session = this.session("imageSession");
    const s = this.imageSize;
    const feed = new (this.ort as OnnxRuntime).Tensor("float32", input, [batch, 3, s, s]);
    const t0 = performance.now();
    const out = await session.run({ image: feed });
    this.timings.imageMs += performance.now() - t0;
    this.timings.imageCalls++;
    const f = out["image_features"] as Ort.Tensor;
    if (f.dims.length !== 3 || f.dims[0] !== batch) {
      throw new SegmenterError(
        `${this.options.imageEncoder}: output "image_features" has shape [${f.dims.join(", ")}], expected [${batch}, 1+N, D]`,
      );
    }
    return ndarray(Float32Array.from(f.data as Float32Array), f.dims.slice() as number[]);
  }
}
