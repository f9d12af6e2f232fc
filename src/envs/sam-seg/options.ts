import type { Dataset } from "../../data/dataset";
import type { SyntheticCocoDatasetOptions } from "../../data/synthetic/ensure-synthetic-coco";
import type { PromptableSegmenter } from "../../segmenters/promptable-segmenter";
import type { RewardSpec } from "../../rewards/presets";
import { EmbeddingCache, type EmbeddingCacheOptions } from "../../segmenters/cache/embedding-cache";
import type { DatasetSpec } from "../../data/dataset-spec";
import type { SegmenterSpec } from "../../segmenters/segmenter-spec";
import { isComponentSpec, isDataset, isPlainObject, isSegmenter } from "./contracts";
import { InvalidArgumentError } from "../../core/errors";
import { formatValue } from "../../core/format-value";

/** The reference's COCO target categories (use them with a real COCO dataset). */
export const REFERENCE_COCO_CATEGORIES: readonly string[] = Object.freeze([
  "person",
  "cat",
  "dog",
  "car",
  "bicycle",
  "bus",
]);

/** Render modes of SamSegEnv (metadata.renderModes). */
export const SAM_SEG_RENDER_MODES: readonly string[] = Object.freeze(["rgb_array", "human"]);

/**
 * Options of SamSegEnv: the reference's constructor arguments in camelCase (defaults = the
 * reference config unless noted) plus our additions.
 */
export interface SamSegEnvOptions {
  /**
   * Where images and instance masks come from. A dataset may also be given as a factory
   * `() => Promise<Dataset>`: it is called (once) on the first reset; a dataset with a `load()`
   * method is loaded then too. Or plain data, a {@link DatasetSpec} such as
   * `{ kind: "coco", annotationFile, imagesDir }` (JSON-safe: kept in checkpoints and sent to
   * worker envs). Default: the generated synthetic COCO-format dataset (SamSegEnv-v0's default).
   */
  dataset?: Dataset | (() => Promise<Dataset>) | DatasetSpec;
  /**
   * Options of the default synthetic dataset, used when `dataset` is not given (plain JSON, so
   * it also works in CLI `--env-kwargs` and AsyncVectorEnv specs). E.g. a held-out image set:
   * `{ seed: 1, images: 100, split: "val" }` (default: 200 images of seed 0, split "train").
   */
  syntheticDataset?: SyntheticCocoDatasetOptions;
  /**
   * The promptable segmenter, or a {@link SegmenterSpec} such as `{ kind: "onnx-sam",
   * encoderPath, decoderPath }` (the env then builds, owns and disposes it). Default: a new
   * GeodesicSegmenter (weight-free).
   */
  segmenter?: PromptableSegmenter | SegmenterSpec;
  /** `[H, W, 3]`: size images are resized to, pixels (default [375, 500, 3]). */
  imgShape?: readonly [number, number, number];
  /** [C, h, w] of the embedding observation; must equal the segmenter's (default: the segmenter's). */
  embeddingShape?: readonly [number, number, number];
  /** [h, w] of samPredMaskProb; must equal the segmenter's lowResShape (default [256, 256]). */
  maskShape?: readonly [number, number];
  /** [H, W] of each of the three render panels (default [320, 426]; frame [320, 1278, 3]). */
  renderFrameShape?: readonly [number, number];
  /** Clicks per episode (default 5); null = unlimited (numSteps then saturates at 999). */
  maxSteps?: number | null;
  /** Categories to draw targets from (default: every category of the dataset). */
  targetCategories?: readonly string[];
  /** The reference's penalize_for_wrong_input, used by the 'alignsam' reward (default false, the reference config). */
  penalizeForWrongInput?: boolean;
  /** The reference's use_dice_score: when false, rewards see dice = 0 (default true, the reference config). */
  useDiceScore?: boolean;
  /** Square patches of this many pixels (exactly one of imgPatchSize / numPatches). */
  imgPatchSize?: number;
  /** Patches per axis (default 32 when imgPatchSize is not given). */
  numPatches?: number;
  /** 'rgb_array' (default), 'human' (PNG frames written to renderDir on reset and step), or null. */
  renderMode?: "rgb_array" | "human" | null;
  /** Folder of the 'human' render mode's PNG frames (default "runs/frames", relative to the working directory). */
  renderDir?: string;
  /** The reward: a preset name (default 'alignsam'), a function (ctx, state) => number, a component or a composed reward. */
  reward?: RewardSpec;
  /** Snap positive clicks onto nearby ground truth (the reference's refine_input_point; default true). */
  refinePositiveClicks?: boolean;
  /** Ask the segmenter for three masks and keep the one with the best predicted IoU (default false, the reference). */
  multimaskOutput?: boolean;
  /** Feed the previous chosen low-res logits back as mask_input (default false, the reference). */
  feedMaskInput?: boolean;
  /**
   * Where embeddings are kept between episodes (keyed by image content and segmenter id): an
   * EmbeddingCache to share (e.g. with an on-disk dir), its options as plain data
   * (`{ dir, maxBytes }`: the env builds its own), or null for none. Default: the in-memory
   * cache of 128 MiB ({@link DEFAULT_CACHE_BYTES}) shared by the envs of the process
   * ({@link sharedEmbeddingCache}).
   */
  embeddingCache?: EmbeddingCache | EmbeddingCacheOptions | null;
  /** Put a copy of the full-resolution probability map in info.samPredMask on every step (default false: it costs a [H, W] copy). */
  includeSamPredMask?: boolean;
}

/** Options after validation and defaults (dataset and segmenter still possibly unresolved). */
export interface ResolvedSamSegOptions {
  imgShape: [number, number, number];
  renderFrameShape: [number, number];
  maxSteps: number | null;
  targetCategories: string[] | null;
  penalizeForWrongInput: boolean;
  useDiceScore: boolean;
  imgPatchSize: number | undefined;
  numPatches: number | undefined;
  renderMode: "rgb_array" | "human" | null;
  renderDir: string;
  refinePositiveClicks: boolean;
  multimaskOutput: boolean;
  feedMaskInput: boolean;
  includeSamPredMask: boolean;
}

const KNOWN_OPTIONS = new Set([
  "dataset",
  "syntheticDataset",
  "segmenter",
  "imgShape",
  "embeddingShape",
  "maskShape",
  "renderFrameShape",
  "maxSteps",
  "targetCategories",
  "penalizeForWrongInput",
  "useDiceScore",
  "imgPatchSize",
  "numPatches",
  "renderMode",
  "renderDir",
  "reward",
  "refinePositiveClicks",
  "multimaskOutput",
  "feedMaskInput",
  "includeSamPredMask",
  "embeddingCache",
]);

/**
 * Validate the options that need neither the dataset nor the segmenter, and apply defaults.
 * @throws InvalidArgumentError naming the option and its value.
 */
export function resolveOptions(opts: SamSegEnvOptions): ResolvedSamSegOptions {
  if (opts === null || typeof opts !== "object")
    throw new InvalidArgumentError(`SamSegEnv options must be an object, got ${show(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!KNOWN_OPTIONS.has(k))
      throw new InvalidArgumentError(
        `SamSegEnv: unknown option ${JSON.stringify(k)}; known options: ${[...KNOWN_OPTIONS].join(", ")}`,
      );
  }
  const imgShape = shapeOption(opts.imgShape ?? [375, 500, 3], 3, "imgShape") as [number, number, number];
  if (imgShape[2] !== 3) throw new InvalidArgumentError(`imgShape must be [H, W, 3] (RGB), got ${show(opts.imgShape)}`);
  const renderFrameShape = shapeOption(opts.renderFrameShape ?? [320, 426], 2, "renderFrameShape") as [number, number];
  const maxSteps = opts.maxSteps === undefined ? 5 : opts.maxSteps;
  if (maxSteps !== null && !(Number.isInteger(maxSteps) && maxSteps > 0)) {
    throw new InvalidArgumentError(`maxSteps must be a positive integer or null, got ${show(maxSteps)}`);
  }
  let imgPatchSize = opts.imgPatchSize;
  let numPatches = opts.numPatches;
  if (imgPatchSize !== undefined && numPatches !== undefined) {
    throw new InvalidArgumentError(
      `give exactly one of imgPatchSize and numPatches, got imgPatchSize=${show(imgPatchSize)} and numPatches=${show(numPatches)}`,
    );
  }
  if (imgPatchSize === undefined && numPatches === undefined) numPatches = 32;
  if (
    imgPatchSize !== undefined &&
    !(typeof imgPatchSize === "number" && Number.isFinite(imgPatchSize) && imgPatchSize >= 1)
  ) {
    throw new InvalidArgumentError(`imgPatchSize must be a number >= 1 (pixels), got ${show(imgPatchSize)}`);
  }
  if (
    numPatches !== undefined &&
    !(Number.isInteger(numPatches) && numPatches >= 1 && numPatches <= Math.min(imgShape[0], imgShape[1]))
  ) {
    throw new InvalidArgumentError(
      `numPatches must be an integer in [1, min(H, W) = ${Math.min(imgShape[0], imgShape[1])}], got ${show(numPatches)}`,
    );
  }
  if (imgPatchSize !== undefined) numPatches = undefined;
  else imgPatchSize = undefined;
  const renderMode = opts.renderMode === undefined ? "rgb_array" : opts.renderMode;
  if (renderMode !== null && !SAM_SEG_RENDER_MODES.includes(renderMode)) {
    throw new InvalidArgumentError(
      `renderMode must be one of ${SAM_SEG_RENDER_MODES.map((m) => JSON.stringify(m)).join(", ")} or null, got ${show(renderMode)}`,
    );
  }
  let targetCategories: string[] | null = null;
  if (opts.targetCategories !== undefined) {
    const tc = opts.targetCategories;
    if (!Array.isArray(tc) || tc.length === 0 || !tc.every((c) => typeof c === "string" && c.length > 0)) {
      throw new InvalidArgumentError(
        `targetCategories must be a non-empty array of non-empty strings, got ${show(tc)}`,
      );
    }
    if (new Set(tc).size !== tc.length) throw new InvalidArgumentError(`targetCategories has duplicates: ${show(tc)}`);
    targetCategories = [...tc];
  }
  const renderDir = opts.renderDir ?? "runs/frames";
  if (typeof renderDir !== "string" || renderDir === "")
    throw new InvalidArgumentError(`renderDir must be a non-empty path, got ${show(opts.renderDir)}`);
  checkComponents(opts);
  return {
    imgShape,
    renderFrameShape,
    maxSteps,
    targetCategories,
    penalizeForWrongInput: flag(opts.penalizeForWrongInput, false, "penalizeForWrongInput"),
    useDiceScore: flag(opts.useDiceScore, true, "useDiceScore"),
    imgPatchSize,
    numPatches,
    renderMode,
    renderDir,
    refinePositiveClicks: flag(opts.refinePositiveClicks, true, "refinePositiveClicks"),
    multimaskOutput: flag(opts.multimaskOutput, false, "multimaskOutput"),
    feedMaskInput: flag(opts.feedMaskInput, false, "feedMaskInput"),
    includeSamPredMask: flag(opts.includeSamPredMask, false, "includeSamPredMask"),
  };
}

/**
 * Check an embeddingShape / maskShape option against what the segmenter declares.
 * @throws InvalidArgumentError when they differ or the option is malformed.
 */
export function matchSegmenterShape(
  option: readonly number[] | undefined,
  declared: readonly number[],
  name: string,
  segmenterId: string,
): number[] {
  if (option === undefined) return [...declared];
  const shape = shapeOption(option, declared.length, name);
  if (shape.some((d, i) => d !== declared[i])) {
    throw new InvalidArgumentError(
      `${name} ${show(option)} does not match segmenter ${JSON.stringify(segmenterId)}, which declares [${declared.join(", ")}]`,
    );
  }
  return shape;
}

function shapeOption(v: unknown, length: number, name: string): number[] {
  if (!Array.isArray(v) || v.length !== length || !v.every((d) => Number.isInteger(d) && d > 0)) {
    throw new InvalidArgumentError(`${name} must be ${length} positive integers, got ${show(v)}`);
  }
  return [...(v as number[])];
}

function flag(v: unknown, dflt: boolean, name: string): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== "boolean") throw new InvalidArgumentError(`${name} must be a boolean, got ${show(v)}`);
  return v;
}

/** numSteps saturates here when maxSteps is null (Discrete(1000), as the reference). */
export const UNLIMITED_NUM_STEPS = 1000;
/**
 * Memory budget of an env's own embedding cache (bytes): 128 MiB, which holds the
 * GeodesicSegmenter embeddings (512 KiB each) of the whole default dataset (200 images), so a
 * long run embeds each image once (32 ONNX SAM ViT embeddings of 4 MiB).
 */
export const DEFAULT_CACHE_BYTES = 128 * 1024 * 1024;

let sharedCache: EmbeddingCache | null = null;

/**
 * The in-memory embedding cache of {@link DEFAULT_CACHE_BYTES} that every SamSegEnv of this
 * process built without an `embeddingCache` option shares (made on first use), so the envs of a
 * SyncVectorEnv embed each image once between them. Entries are keyed by image content and
 * segmenter id, and embeddings are read-only, so sharing changes no observation.
 */
export function sharedEmbeddingCache(): EmbeddingCache {
  sharedCache ??= new EmbeddingCache({ maxBytes: DEFAULT_CACHE_BYTES });
  return sharedCache;
}
/** Text maxLength when the categories are not known at construction (a lazily loaded dataset). */
export const UNKNOWN_CATEGORY_MAX_LENGTH = 64;

/** A value in an error message (the shared formatter of src/core). */
export const show: (v: unknown) => string = formatValue;

/**
 * The component options (segmenter, dataset, syntheticDataset, embeddingCache): right kinds of
 * object, or plain-data specs of them (built by the env; their contents are checked there).
 */
function checkComponents(o: SamSegEnvOptions): void {
  if (o.segmenter !== undefined && !isSegmenter(o.segmenter) && !isComponentSpec(o.segmenter)) {
    throw new InvalidArgumentError(
      `segmenter must implement PromptableSegmenter (id, embeddingShape, lowResShape, embed, predict), got ${show(o.segmenter)}`,
    );
  }
  if (
    o.dataset !== undefined &&
    !isDataset(o.dataset) &&
    !isComponentSpec(o.dataset) &&
    typeof o.dataset !== "function"
  ) {
    throw new InvalidArgumentError(
      `dataset must be a Dataset (categories, sample(category, rng)) or a function returning a Promise of one, got ${show(o.dataset)}`,
    );
  }
  if (o.dataset !== undefined && o.syntheticDataset !== undefined) {
    throw new InvalidArgumentError("give either dataset or syntheticDataset (the default dataset's options), not both");
  }
  const synthetic = o.syntheticDataset;
  if (synthetic !== undefined && (typeof synthetic !== "object" || synthetic === null || Array.isArray(synthetic))) {
    throw new InvalidArgumentError(`syntheticDataset must be an options object, got ${show(synthetic)}`);
  }
  const cache = o.embeddingCache;
  if (cache !== undefined && cache !== null && !(cache instanceof EmbeddingCache) && !isPlainObject(cache)) {
    throw new InvalidArgumentError(
      `embeddingCache must be an EmbeddingCache, its options ({ dir, maxBytes }) or null, got ${show(cache)}`,
    );
  }
}
