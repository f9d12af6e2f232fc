import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { Env } from "../../core/env";
import type { EnvMetadata, Info, RenderFrame, ResetOptions, StepResult } from "../../core/types";
import {
  AlignSamGymError,
  DatasetError,
  InvalidActionError,
  ResetNeededError,
  SegmenterError,
} from "../../core/errors";
import { Box, Dict, Discrete, Text } from "../../spaces";
import type { Dataset, DatasetSample } from "../../data/dataset";
import type { PromptableSegmenter } from "../../segmenters/promptable-segmenter";
import { GeodesicSegmenter } from "../../segmenters/geodesic/geodesic-segmenter";
import type { Click, RewardContext } from "../../rewards/reward-context";
import { advanceRewardState, initialRewardState } from "../../rewards/reward-context";
import type { ComposedReward } from "../../rewards/compose-reward";
import { resolveReward } from "../../rewards/presets";
import { hardIouFromSums, softDiceFromSums } from "../../rewards/soft-dice";
import { ActionGrid } from "./action-grid";
import type { DecodedAction } from "./action-grid";
import { snapPositiveClick } from "./snapping";
import type { ResolvedSamSegOptions, SamSegEnvOptions } from "./options";
import { SAM_SEG_RENDER_MODES, matchSegmenterShape, resolveOptions, show } from "./options";
import { UNKNOWN_CATEGORY_MAX_LENGTH, UNLIMITED_NUM_STEPS, sharedEmbeddingCache } from "./options";
import { renderSamSegFrame } from "./render";
import { ProbabilityMaps } from "./probability-maps";
import { samSegNodeHooks } from "./node-hooks";
import { loadTargetDataset } from "./target-dataset";
import type { HumanFrameSink } from "./node-hooks";
import { fitSample, plane } from "./episode-sample";
import { categoriesIfKnown, categoryCharset, isComponentSpec, isDataset, isPlainObject } from "./contracts";
import { bestMaskIndex } from "./segmenter-output";
import { EmbeddingCache, type EmbeddingCacheOptions } from "../../segmenters/cache/embedding-cache";
import type { DatasetSpec } from "../../data/dataset-spec";
import type { SegmenterSpec } from "../../segmenters/segmenter-spec";
import { imageContentHash } from "../../segmenters/cache/content-hash";
import type { SamSegObservation, SamSegObservationSpaces } from "./observation";
import type { Episode } from "./episode-state";

/**
 * The AlignSAM environment (CVPR 2024), number for number: each step the agent clicks one cell of
 * a patch grid (positive or negative); all clicks so far prompt a promptable segmenter; the
 * reward favours clicks that lead the segmenter to the ground-truth mask of the target category.
 *
 * - Action: Discrete(2 * nW * nH) (see {@link ActionGrid}; {@link decodeAction}, {@link actionFor}).
 * - Observation: Dict {image, numSteps, samImageEmbeddings, samPredMaskProb, targetCategory}.
 * - Reward: the 'alignsam' preset by default, or any reward strategy (rewards module); each
 *   term in info.rewardTerms.
 * - Episode: exactly maxSteps clicks (truncated), never terminated.
 * - info after step: lastInputPoints [[x, y], ...], lastInputLabels [1|0, ...], dice (soft Dice of
 *   the reward), iou (prediction > 0.5 vs ground truth), bestDice, rewardTerms, and
 *   samPredMask ([H, W] float32 copy) with includeSamPredMask.
 *
 * A dataset with a `load()` method (CocoDataset) is loaded on the first reset.
 * All randomness comes from `this.rng`: the category (uniform over targetCategories), then
 * `dataset.sample(category, this.rng)`. Bad actions throw InvalidActionError and change nothing;
 * step() or render() before reset() throw ResetNeededError.
 *
 * @example
 * ```ts
 * const env = new SamSegEnv({ dataset, segmenter: new GeodesicSegmenter(), maxSteps: 5 });
 * let [obs, info] = await env.reset({ seed: 0 });
 * const a = env.actionFor({ x: 250, y: 180 }, true);
 * const [obs2, reward, terminated, truncated, info2] = await env.step(a);
 * const frame = await env.render(); // [320, 1278, 3] uint8
 * ```
 */
export class SamSegEnv extends Env<SamSegObservation, number> {
  override metadata: EnvMetadata = { renderModes: [...SAM_SEG_RENDER_MODES], renderFps: 1 };
  readonly observationSpace: Dict<SamSegObservationSpaces>;
  readonly actionSpace: Discrete;
  /** The click grid: decodes actions to points. */
  readonly grid: ActionGrid;
  /** The promptable segmenter. */
  readonly segmenter: PromptableSegmenter;
  /** The reward strategy. */
  readonly reward: ComposedReward;
  /** Validated options. */
  readonly options: Readonly<ResolvedSamSegOptions>;

  private readonly datasetSource: Dataset | (() => Promise<Dataset>);
  private datasetPromise: Promise<{ dataset: Dataset; categories: string[] }> | null = null;
  private readonly ownsSegmenter: boolean;
  private readonly ownsCache: boolean;
  private readonly categoryMaxLength: number;
  /** The embedding cache (null when disabled). */
  readonly embeddingCache: EmbeddingCache | null;
  /** The full-resolution probability maps (two, alternating), their Dice/IoU sums and the low-resolution map. */
  private readonly maps: ProbabilityMaps;
  private readonly predBuffers: readonly [Float32Array, Float32Array];
  private readonly maskShape: [number, number];
  private readonly embeddingShape: [number, number, number];
  private readonly lowResSize: number;
  private episode: Episode | null = null;
  private humanWriter: HumanFrameSink | null = null;

  /** @throws InvalidArgumentError naming any option with a bad value. */
  constructor(options: SamSegEnvOptions = {}) {
    super();
    this.options = resolveOptions(options); // every option checked here, the component ones too
    const o = this.options;
    this.renderMode = o.renderMode;
    // Plain-data specs (CLI, checkpoints, workers) are built here; the env owns what it builds.
    const segmenterOption = isComponentSpec(options.segmenter)
      ? samSegNodeHooks("a segmenter spec").segmenterFromSpec(options.segmenter as SegmenterSpec)
      : options.segmenter;
    this.ownsSegmenter = options.segmenter === undefined || segmenterOption !== options.segmenter;
    this.segmenter = segmenterOption ?? new GeodesicSegmenter();
    const embeddingShape = matchSegmenterShape(
      options.embeddingShape,
      this.segmenter.embeddingShape,
      "embeddingShape",
      this.segmenter.id,
    );
    const maskShape = matchSegmenterShape(
      options.maskShape,
      this.segmenter.lowResShape,
      "maskShape",
      this.segmenter.id,
    );
    const datasetOption = isComponentSpec(options.dataset)
      ? samSegNodeHooks("a dataset spec").datasetFromSpec(options.dataset as DatasetSpec)
      : options.dataset;
    this.datasetSource =
      datasetOption ?? samSegNodeHooks("the default dataset").defaultDataset(options.syntheticDataset);
    const cacheOption = options.embeddingCache;
    const cacheSpec = isPlainObject(cacheOption) ? new EmbeddingCache(cacheOption as EmbeddingCacheOptions) : undefined;
    this.ownsCache = cacheSpec !== undefined;
    this.embeddingCache =
      cacheOption === undefined ? sharedEmbeddingCache() : (cacheSpec ?? (cacheOption as EmbeddingCache | null));
    this.reward = resolveReward(options.reward ?? "alignsam", { penalizeForWrongInput: o.penalizeForWrongInput });

    const [h, w] = o.imgShape;
    this.grid = new ActionGrid(
      [h, w],
      o.imgPatchSize !== undefined ? { imgPatchSize: o.imgPatchSize } : { numPatches: o.numPatches as number },
    );
    this.actionSpace = new Discrete(this.grid.n);
    const known = o.targetCategories ?? (isDataset(this.datasetSource) ? categoriesIfKnown(this.datasetSource) : null);
    this.categoryMaxLength = known ? Math.max(...known.map((c) => c.length)) : UNKNOWN_CATEGORY_MAX_LENGTH;
    this.observationSpace = new Dict({
      image: new Box({ low: 0, high: 255, shape: [h, w, 3], dtype: "uint8" }),
      targetCategory: new Text({ maxLength: this.categoryMaxLength, charset: categoryCharset(known) }),
      samImageEmbeddings: new Box({ low: -Infinity, high: Infinity, shape: embeddingShape, dtype: "float32" }),
      samPredMaskProb: new Box({ low: 0, high: 1, shape: maskShape, dtype: "float32" }),
      numSteps: new Discrete(o.maxSteps === null ? UNLIMITED_NUM_STEPS : o.maxSteps + 1),
    });
    this.maskShape = maskShape as [number, number];
    this.embeddingShape = embeddingShape as [number, number, number];
    this.lowResSize = this.maskShape[0] * this.maskShape[1];
    this.maps = new ProbabilityMaps(h * w, this.lowResSize);
    this.predBuffers = this.maps.prob;
  }

  /** The click of action `a`: patch centre (x, y) in image pixels and label. @throws InvalidActionError on a bad action. */
  decodeAction(a: number): DecodedAction {
    this.checkAction(a);
    return this.grid.decode(a);
  }

  /** The action nearest to `point` ((x, y) image pixels) with the given label (lowest id on ties). */
  actionFor(point: { x: number; y: number }, positive: boolean): number {
    return this.grid.actionFor(point, positive);
  }

  /** The current episode's ground truth [H, W] uint8 (1 = target), or null before reset. Read-only. */
  get groundTruth(): NdArray<Uint8Array> | null {
    return this.episode?.gt ?? null;
  }

  /** The current full-resolution predicted probability [H, W] float32, or null before reset. Read-only, changes every step. */
  get predictedProbability(): NdArray<Float32Array> | null {
    const e = this.episode;
    if (!e) return null;
    const [h, w] = this.options.imgShape;
    return ndarray(this.predBuffers[e.predIndex], [h, w]);
  }

  /** The clicks of the current episode (copies; snapped points). */
  get clicks(): Click[] {
    return (this.episode?.clicks ?? []).map((c) => ({ ...c }));
  }

  async reset(opts: ResetOptions = {}): Promise<[SamSegObservation, Info]> {
    this.seedRng(opts.seed);
    const { dataset, categories } = await this.loadDataset();
    const category = categories[this.rng.integers(categories.length)] as string;
    let sample: DatasetSample;
    try {
      sample = await dataset.sample(category, this.rng);
    } catch (e) {
      if (e instanceof AlignSamGymError) throw e;
      throw new DatasetError(
        `dataset.sample(${JSON.stringify(category)}) failed: ${(e as Error)?.message ?? String(e)}`,
        { cause: e },
      );
    }
    const { image, instances, gt } = fitSample(sample, category, [this.options.imgShape[0], this.options.imgShape[1]]);
    const embedding = await this.embed(image);
    // Commit: nothing above changed the env.
    this.predBuffers[0].fill(0);
    this.maps.setGroundTruth(gt.data, gt.offset);
    const maskProb = ndarray(new Float32Array(this.lowResSize).fill(0.5), [...this.maskShape]);
    this.episode = {
      category,
      source: sample.source,
      image,
      instances,
      gt,
      embedding,
      clicks: [],
      numSteps: 0,
      lastReward: 0,
      rewardState: initialRewardState(),
      bestDice: 0,
      lowRes: null,
      predIndex: 0,
      maskProb,
    };
    const info: Info = { lastInputPoints: [], lastInputLabels: [], targetCategory: category };
    if (sample.source !== undefined) info.imageSource = sample.source;
    if (this.renderMode === "human") await this.render();
    return [this.observation(), info];
  }

  async step(action: number): Promise<StepResult<SamSegObservation>> {
    const e = this.episode;
    if (e === null) throw new ResetNeededError("Cannot call env.step() before calling env.reset()");
    this.checkAction(action);
    const [h, w] = this.options.imgShape;
    const decoded = this.grid.decode(action);
    const point =
      decoded.positive && this.options.refinePositiveClicks
        ? snapPositiveClick(e.gt.data, [h, w], decoded, this.grid.patchSize)
        : { x: decoded.x, y: decoded.y };
    const clicks = [...e.clicks, { x: point.x, y: point.y, positive: decoded.positive }];

    // 1. Predict: all clicks so far prompt the segmenter; the mask with the best predicted IoU is kept.
    const prediction = await this.segmenter.predict(e.embedding, {
      points: clicks.map((c) => [c.x, c.y]),
      labels: clicks.map((c) => (c.positive ? 1 : 0)),
      imageSize: [h, w],
      reuseOutput: true, // read below, before the next predict
      ...(this.options.feedMaskInput && e.lowRes !== null ? { maskInput: e.lowRes } : {}),
      ...(this.options.multimaskOutput ? { multimask: true } : {}),
    });
    const chosen = bestMaskIndex(prediction, [h, w], this.maskShape, this.segmenter.id);

    // 2. Measure: full-resolution probability into the spare buffer with its Dice/IoU sums; the low-res map.
    const spare: 0 | 1 = e.predIndex === 0 ? 1 : 0;
    const prob = this.predBuffers[spare];
    const logits = plane(prediction.masks, chosen);
    const stats = this.maps.fullResolution(logits.data, logits.offset, spare);
    const softDice = softDiceFromSums(stats);
    const iou = hardIouFromSums(stats);
    const lowResLogits = plane(prediction.lowResLogits, chosen);
    const maskProbData = new Float32Array(this.lowResSize);
    this.maps.lowResolution(lowResLogits.data, lowResLogits.offset, maskProbData);

    // 3. Reward: the strategy reads the step's context; nothing is committed before it succeeds.
    const numSteps = e.numSteps + 1;
    const ctx: RewardContext = {
      gt: e.gt,
      pred: ndarray(prob, [h, w]),
      prevPred: ndarray(this.predBuffers[e.predIndex], [h, w]),
      clicks,
      patchSize: this.grid.patchSize,
      dice: this.options.useDiceScore ? softDice : 0,
      step: numSteps,
    };
    const { reward, terms } = this.reward.compute(ctx, e.rewardState);

    // 4. Observe: commit the episode state, then the observation and info.
    e.clicks = clicks;
    e.numSteps = numSteps;
    e.lastReward = reward;
    e.rewardState = advanceRewardState(e.rewardState, ctx);
    e.bestDice = Math.max(e.bestDice, softDice);
    e.predIndex = spare;
    e.maskProb = ndarray(maskProbData, e.maskProb.shape);
    if (this.options.feedMaskInput) {
      const [lh, lw] = e.maskProb.shape as [number, number];
      e.lowRes = ndarray(
        Float32Array.from(lowResLogits.data.subarray(lowResLogits.offset, lowResLogits.offset + this.lowResSize)),
        [lh, lw],
      );
    }
    const truncated = this.options.maxSteps !== null && numSteps >= this.options.maxSteps;
    const info: Info = {
      lastInputPoints: clicks.map((c) => [c.x, c.y]),
      lastInputLabels: clicks.map((c) => (c.positive ? 1 : 0)),
      dice: softDice,
      iou,
      bestDice: e.bestDice,
      rewardTerms: terms,
    };
    if (this.options.includeSamPredMask) info.samPredMask = ndarray(Float32Array.from(prob), [h, w]);
    if (this.renderMode === "human") await this.render();
    return [this.observation(), reward, false, truncated, info];
  }

  /**
   * 'rgb_array': the three-panel frame [h, 3w, 3] uint8 (see renderSamSegFrame). 'human': writes
   * the frame as a PNG into renderDir (logging the folder once) and returns null. No mode: null.
   * @throws ResetNeededError before the first reset.
   */
  override async render(): Promise<RenderFrame | null> {
    const e = this.episode;
    if (e === null) throw new ResetNeededError("Cannot call env.render() before calling env.reset()");
    if (this.renderMode === null) return null;
    const frame = renderSamSegFrame({
      image: e.image,
      instances: e.instances,
      predProb: this.predBuffers[e.predIndex],
      clicks: e.clicks,
      category: e.category,
      reward: e.lastReward,
      panelShape: this.options.renderFrameShape,
    });
    if (this.renderMode === "rgb_array") return frame;
    this.humanWriter ??= samSegNodeHooks("render mode 'human'").humanFrameSink(this.options.renderDir);
    await this.humanWriter.write(frame, e.numSteps);
    return null;
  }

  /**
   * Release the segmenter and the embedding cache when the env created them (the process-wide
   * default cache stays for the other envs). Safe to call twice.
   */
  override async close(): Promise<void> {
    if (this.ownsSegmenter && this.segmenter.dispose) await this.segmenter.dispose();
    if (this.ownsCache) this.embeddingCache?.clearMemory();
  }

  private observation(): SamSegObservation {
    const e = this.episode as Episode;
    return {
      image: e.image,
      numSteps: this.options.maxSteps === null ? Math.min(e.numSteps, UNLIMITED_NUM_STEPS - 1) : e.numSteps,
      samImageEmbeddings: e.embedding,
      samPredMaskProb: e.maskProb,
      targetCategory: e.category,
    };
  }

  private checkAction(a: unknown): asserts a is number {
    if (!this.grid.isValid(a)) {
      throw new InvalidActionError(
        `invalid action ${show(a)}${typeof a === "number" ? "" : ` (${typeof a})`}: actions are integers in [0, ${this.grid.n})`,
      );
    }
  }

  /** The dataset and the categories episodes draw from, loaded once and checked. */
  private loadDataset(): Promise<{ dataset: Dataset; categories: string[] }> {
    this.datasetPromise ??= loadTargetDataset(
      this.datasetSource,
      this.options.targetCategories,
      this.observationSpace.spaces.targetCategory,
    );
    // A failed load is retried on the next reset.
    this.datasetPromise.catch(() => (this.datasetPromise = null));
    return this.datasetPromise;
  }

  /** The segmenter's embedding of `image`, through the embedding cache (keyed by pixel content and segmenter id). */
  private async embed(image: NdArray<Uint8Array>): Promise<NdArray<Float32Array>> {
    const compute = async (): Promise<NdArray<Float32Array>> => {
      let emb: NdArray<Float32Array>;
      try {
        emb = await this.segmenter.embed(image);
      } catch (err) {
        if (err instanceof AlignSamGymError) throw err;
        throw new SegmenterError(
          `segmenter ${JSON.stringify(this.segmenter.id)} failed to embed the image: ${(err as Error)?.message ?? String(err)}`,
          { cause: err },
        );
      }
      const shape = this.embeddingShape;
      if (emb?.shape?.length !== shape.length || emb.shape.some((d, i) => d !== shape[i])) {
        throw new SegmenterError(
          `segmenter ${JSON.stringify(this.segmenter.id)} returned an embedding of shape ${show(emb?.shape)}, declared [${shape}]`,
        );
      }
      return emb;
    };
    return this.embeddingCache === null
      ? compute()
      : this.embeddingCache.getOrCompute(imageContentHash(image), this.segmenter.id, compute);
  }
}
