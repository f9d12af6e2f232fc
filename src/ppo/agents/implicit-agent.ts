import * as tf from "@tensorflow/tfjs";
import type { Tensor, Tensor2D, Tensor4D } from "../nn/tensor-types";
import type { Space } from "../../core/space";
import type { ActionGrid } from "../../envs/sam-seg/action-grid";
import { Rng } from "../../core/rng";
import { InvalidArgumentError } from "../../core/errors";
import type { ActorCritic, ConvLayerConfig, ExplicitAgentConfig, ImplicitAgentConfig, PolicyOutput } from "./agent";
import { addConv, addDense, conv, convOutputSize, dense, matMulConstant } from "../nn/layers";
import { cellToPatchMatrix, clickGridOf, noRepeatGroups, patchCells } from "./click-grid";
import { embeddingGeometry } from "./embedding-geometry";
import { ParameterSet } from "../nn/parameters";
import { dictSubspaces, discreteSize, rowMajorData } from "./observation-features";
import { ModulatedEmbeddingFeaturizer } from "./modulated-embedding-featurizer";

export { ModulatedEmbeddingFeaturizer } from "./modulated-embedding-featurizer";

/** The CPU-sized default conv stack. */
export const CPU_CONV_STACK: readonly ConvLayerConfig[] = Object.freeze([
  { filters: 32, kernel: 3, stride: 2, padding: "same" },
  { filters: 64, kernel: 3, stride: 2, padding: "same" },
  { filters: 64, kernel: 3, stride: 1, padding: "same" },
]);

/** The reference AlignSAM stack (for [64, 64, 256] SAM embeddings; slow on a CPU). */
export const REFERENCE_CONV_STACK: readonly ConvLayerConfig[] = Object.freeze([
  { filters: 64, kernel: 8, stride: 2, padding: "valid" },
  { filters: 128, kernel: 5, stride: 2, padding: "valid" },
  { filters: 256, kernel: 3, stride: 2, padding: "valid" },
  { filters: 512, kernel: 3, stride: 1, padding: "valid" },
]);

/**
 * The AlignSAM implicit agent: the embedding modulated by the current mask, x = E * (1 + p)
 * (p resized bilinearly to the embedding grid), through a conv stack (ReLU), a dense layer
 * (ReLU) and actor / critic heads (orthogonal init, gains sqrt 2 / 0.01 / 1). Sizes are
 * configurable; the default is CPU-sized (x average-pooled to 16x16, three small convs, dense
 * 256), `REFERENCE_CONV_STACK` with `inputGrid: [64, 64]` and `hidden: 512` is the reference.
 * No BatchNorm and no dropout, so rollouts and updates compute the same function.
 *
 * @example
 * ```ts
 * const env = makeVec("SamSegEnv-v0", 4);
 * const agent = new ImplicitAgent(env.singleObservationSpace, env.singleActionSpace, { kind: "implicit" }, 1);
 * ```
 */
export class ImplicitAgent implements ActorCritic {
  config: ImplicitAgentConfig | ExplicitAgentConfig;
  readonly numActions: number;
  readonly inputShape: readonly number[];
  readonly params = new ParameterSet();
  readonly noRepeatGroups: Int32Array | null;
  protected readonly featurizer: ModulatedEmbeddingFeaturizer;
  protected readonly convs: ConvLayerConfig[];
  /** Per-sample size of the flattened conv output. */
  protected readonly flatSize: number;

  /**
   * @param seed seeds the orthogonal initialisation.
   * @param extraFlat internal (ExplicitAgent): extra inputs of the dense layer, given the flattened
   * conv output size and the channels of the last conv.
   * @param extraSpatialChannels internal (ExplicitAgent): planes the spatial head reads before the
   * featurizer's (the prior maps).
   * @throws InvalidArgumentError on a space without samImageEmbeddings / samPredMaskProb, a grid
   * that does not divide the embedding grid, or a conv stack that shrinks the input to nothing.
   */
  constructor(
    observationSpace: Space,
    actionSpace: Space,
    config: Omit<ImplicitAgentConfig, "kind"> & { kind?: string },
    seed: number,
    extraFlat: (flatSize: number, lastChannels: number) => number = () => 0,
    extraSpatialChannels = 0,
  ) {
    const geometry = embeddingGeometry(observationSpace);
    const grid = config.inputGrid ?? [Math.min(16, geometry.height), Math.min(16, geometry.width)];
    const channels = config.embeddingChannels ?? geometry.channels;
    this.convs = (config.convs ?? CPU_CONV_STACK).map((c) => ({ ...c, padding: c.padding ?? "same" }));
    const hidden = config.hidden ?? 256;
    const actorHead = config.actorHead ?? "spatial";
    const numActions = discreteSize(actionSpace);
    const side = Math.round(Math.sqrt(numActions / 2));
    const actionGrid = config.actionGrid ?? [side, side];
    if (actorHead === "spatial" && 2 * actionGrid[0] * actionGrid[1] !== numActions) {
      throw new InvalidArgumentError(
        `actionGrid [${actionGrid.join(", ")}] does not give ${numActions} actions (2 * nW * nH); pass actionGrid`,
      );
    }
    const clickGrid = (): ActionGrid => clickGridOf(geometry, actionGrid, config.patchLayout);
    const spatialFilters = config.spatialFilters ?? 32;
    const patchLogits = config.patchLogits ?? "cell";
    if (patchLogits !== "cell" && patchLogits !== "bilinear")
      throw new InvalidArgumentError(`patchLogits must be "cell" or "bilinear", got ${JSON.stringify(patchLogits)}`);
    if (config.patchLogits !== undefined && actorHead !== "spatial")
      throw new InvalidArgumentError(
        `patchLogits ${JSON.stringify(patchLogits)} needs the spatial actor head, got actorHead ${JSON.stringify(actorHead)}`,
      );
    const categoryReadout = config.categoryReadout ?? false;
    const hasCategory = new Map(dictSubspaces(observationSpace)).has("targetCategory");
    const categorySlots = hasCategory ? (config.categorySlots ?? 8) : 0;
    const categories = [...(config.categories ?? [])];
    const maskPlane = config.maskPlane ?? false;
    const noRepeat = config.noRepeat ?? "off";
    if (!["off", "action", "patch", "cell"].includes(noRepeat))
      throw new InvalidArgumentError(
        `noRepeat must be "off", "action", "patch" or "cell", got ${JSON.stringify(noRepeat)}`,
      );
    if (noRepeat === "cell" && 2 * actionGrid[0] * actionGrid[1] !== numActions) {
      throw new InvalidArgumentError(
        `noRepeat "cell" needs actionGrid [${actionGrid.join(", ")}] to give ${numActions} actions (2 * nW * nH); pass actionGrid`,
      );
    }
    this.noRepeatGroups = noRepeatGroups(noRepeat, numActions, () => patchCells(geometry, grid, clickGrid()));
    this.config = {
      kind: "implicit",
      inputGrid: [grid[0], grid[1]],
      embeddingChannels: channels,
      convs: this.convs.map((c) => ({ ...c })),
      hidden,
      actorHead,
      ...(actorHead === "spatial"
        ? {
            actionGrid: [actionGrid[0], actionGrid[1]] as [number, number],
            spatialFilters,
            categoryReadout,
            // Only when set: configs of agents built before the option existed stay as they were.
            ...(config.patchLogits !== undefined ? { patchLogits } : {}),
          }
        : {}),
      ...(config.patchLayout !== undefined ? { patchLayout: { ...config.patchLayout } } : {}),
      maskPlane,
      noRepeat,
      categorySlots,
      categories, // the same array as the featurizer's vocabulary: checkpoints see it grow
    };
    this.featurizer = new ModulatedEmbeddingFeaturizer(geometry, grid, channels, categorySlots, categories, maskPlane);
    this.numActions = discreteSize(actionSpace);
    const inC = this.featurizer.channels;
    this.inputShape = [grid[0], grid[1], inC];
    const rng = new Rng(seed);
    this.flatSize = this.addConvStack("conv", grid, inC, rng);
    const lastChannels =
      this.convs.length > 0 ? (this.convs[this.convs.length - 1] as ConvLayerConfig).filters : channels;
    addDense(this.params, "fc", this.flatSize + extraFlat(this.flatSize, lastChannels), hidden, Math.SQRT2, rng);
    if (actorHead === "dense") {
      addDense(this.params, "actor", hidden, this.numActions, 0.01, rng);
      this.cellToPatch = null;
      this.patchToCell = null;
    } else {
      addConv(this.params, "actorSpatial.0", extraSpatialChannels + inC, spatialFilters, 3, Math.SQRT2, rng);
      addConv(this.params, "actorSpatial.1", spatialFilters, spatialFilters, 3, Math.SQRT2, rng);
      if (categoryReadout && categorySlots === 0)
        throw new InvalidArgumentError(
          "categoryReadout needs category planes (a targetCategory observation and categorySlots > 0)",
        );
      this.readoutSlots = categoryReadout ? categorySlots : 0;
      addConv(this.params, "actorSpatial.2", spatialFilters, 2 * Math.max(1, this.readoutSlots), 1, 0.01, rng);
      const cells = grid[0] * grid[1],
        patches = actionGrid[0] * actionGrid[1];
      this.cellToPatch = tf.tensor2d(cellToPatchMatrix(geometry, grid, clickGrid(), patchLogits), [cells, patches]);
      this.patchToCell = tf.transpose(this.cellToPatch);
    }
    addDense(this.params, "critic", hidden, 1, 1, rng);
  }

  /** Category planes of the spatial head's per-category readout (0: one shared readout). */
  private readoutSlots = 0;

  /** Fixed (not trained) cell -> patch map of the spatial head, or null for the dense head. */
  private readonly cellToPatch: tf.Tensor2D | null;
  /** Its transpose (the gradient's matMul without a transposed operand). */
  private readonly patchToCell: tf.Tensor2D | null;

  /** Spatial actor head on x [B, gh, gw, C]: per-action logits [B, numActions] (x-major patches, pos/neg pairs). */
  protected spatialLogits(x: Tensor4D): Tensor2D {
    const b = x.shape[0] as number;
    const [gh, gw] = [x.shape[1] as number, x.shape[2] as number];
    let h = tf.relu(conv(this.params, "actorSpatial.0", x, 1, "same"));
    h = tf.relu(conv(this.params, "actorSpatial.1", h, 1, "same"));
    let cellLogits = conv(this.params, "actorSpatial.2", h, 1, "same"); // [B, gh, gw, 2] or [B, gh, gw, 2 * K]
    if (this.readoutSlots > 0) {
      // Per-category readout: label l of a cell takes channel l * K + k, k = the target's plane
      // (the one-hot category planes are the last K input channels, constant over the grid).
      const k = this.readoutSlots;
      const c = x.shape[3] as number;
      const onehot = tf.slice(x, [0, 0, 0, c - k], [b, gh, gw, k]).reshape([b, gh, gw, 1, k]);
      cellLogits = tf.sum(tf.mul(cellLogits.reshape([b, gh, gw, 2, k]), onehot), 4) as tf.Tensor4D;
    }
    const skip = this.cellLogitSkip(x);
    if (skip !== null) cellLogits = tf.add(cellLogits, skip);
    const byLabel = tf.reshape(tf.transpose(tf.reshape(cellLogits, [b, gh * gw, 2]), [0, 2, 1]), [b * 2, gh * gw]);
    const patches = matMulConstant(
      byLabel as tf.Tensor2D,
      this.cellToPatch as tf.Tensor2D,
      this.patchToCell as tf.Tensor2D,
    ); // [B * 2, nW * nH]
    // action = 2 * patch + label
    return tf.reshape(tf.transpose(tf.reshape(patches, [b, 2, -1]), [0, 2, 1]), [b, this.numActions]) as tf.Tensor2D;
  }

  /**
   * Internal (ExplicitAgent): cell logits [B, gh, gw, 2] (positive, negative) added to the spatial
   * head's, computed from its input x [B, gh, gw, C]; null (the default): none.
   */
  protected cellLogitSkip(_x: Tensor4D): Tensor4D | null {
    return null;
  }

  /** Add the conv stack `${prefix}.${i}` and return the flattened output size. */
  protected addConvStack(prefix: string, grid: [number, number], inC: number, rng: Rng): number {
    let [h, w] = grid;
    let c = inC;
    this.convs.forEach((layer, i) => {
      if (!(layer.filters > 0 && layer.kernel > 0 && layer.stride > 0))
        throw new InvalidArgumentError(`bad conv layer ${JSON.stringify(layer)}`);
      addConv(this.params, `${prefix}.${i}`, c, layer.filters, layer.kernel, Math.SQRT2, rng);
      h = convOutputSize(h, layer.kernel, layer.stride, layer.padding ?? "same");
      w = convOutputSize(w, layer.kernel, layer.stride, layer.padding ?? "same");
      c = layer.filters;
      if (h < 1 || w < 1)
        throw new InvalidArgumentError(
          `the conv stack shrinks the [${grid.join(", ")}] input to nothing at layer ${i}`,
        );
    });
    return h * w * c;
  }

  /** Run the conv stack `${prefix}` on x [B, gh, gw, C] (ReLU after each conv). */
  protected convStack(prefix: string, x: Tensor4D): Tensor4D {
    let h = x;
    this.convs.forEach((layer, i) => {
      h = tf.relu(conv(this.params, `${prefix}.${i}`, h, layer.stride, layer.padding ?? "same"));
    });
    return h;
  }

  featurize(obs: unknown, numEnvs: number, out: Float32Array): void | Promise<void> {
    const o = obs as Record<string, unknown>;
    const e = rowMajorData(o["samImageEmbeddings"], "samImageEmbeddings");
    const p = rowMajorData(o["samPredMaskProb"], "samPredMaskProb");
    const categories = o["targetCategory"] as ArrayLike<string> | undefined;
    for (let i = 0; i < numEnvs; i++)
      this.featurizer.write(e, p, i, out, i * this.featurizer.size, categories ? (categories[i] as string) : null);
  }

  /** Actor and critic heads: dense features [B, hidden], and the input x for the spatial head. */
  protected heads(features: Tensor2D, x: Tensor4D): PolicyOutput {
    const logits = this.cellToPatch === null ? dense(this.params, "actor", features) : this.spatialLogits(x);
    return { logits, values: dense(this.params, "critic", features).reshape([-1]) as tf.Tensor1D };
  }

  forward(x: Tensor): PolicyOutput {
    return tf.tidy(() => {
      const b = x.shape[0] as number;
      const input = x.reshape([b, ...this.inputShape]) as tf.Tensor4D;
      const h = this.convStack("conv", input);
      const features = tf.relu(dense(this.params, "fc", h.reshape([b, this.flatSize]) as tf.Tensor2D));
      const { logits, values } = this.heads(features, input);
      return { logits, values };
    }) as PolicyOutput;
  }

  dispose(): void {
    this.params.dispose();
    this.cellToPatch?.dispose();
    this.patchToCell?.dispose();
  }
}
