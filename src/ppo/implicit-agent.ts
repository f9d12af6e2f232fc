import * as tf from "@tensorflow/tfjs";
import type { Space } from "../core/space";
import { Rng } from "../core/rng";
import { InvalidArgumentError } from "../core/errors";
import type { ActorCritic, ConvLayerConfig, ExplicitAgentConfig, ImplicitAgentConfig, PolicyOutput } from "./agent";
import { addConv, addDense, conv, convOutputSize, dense } from "./layers";
import { ParameterSet } from "./parameters";
import { dictSubspaces, discreteSize, resizeBilinear, rowMajorData, spaceType } from "./observation-features";

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

/** Geometry of the SamSegEnv observation the image agents read. */
export interface EmbeddingGeometry {
  /** Embedding [C, h, w]. */
  channels: number;
  height: number;
  width: number;
  /** samPredMaskProb [mh, mw]. */
  maskHeight: number;
  maskWidth: number;
}

/** Read the embedding and mask shapes from a SamSegEnv-style Dict observation space. */
export function embeddingGeometry(space: Space): EmbeddingGeometry {
  if (spaceType(space) !== "Dict") throw new InvalidArgumentError(`image agents need a Dict observation space, got ${space.toString()}`);
  const sub = new Map(dictSubspaces(space));
  const e = sub.get("samImageEmbeddings")?.shape;
  const p = sub.get("samPredMaskProb")?.shape;
  if (!e || e.length !== 3 || !p || p.length !== 2) {
    throw new InvalidArgumentError(`image agents need samImageEmbeddings [C, h, w] and samPredMaskProb [H, W] Box keys, got ${space.toString()}`);
  }
  return { channels: e[0] as number, height: e[1] as number, width: e[2] as number, maskHeight: p[0] as number, maskWidth: p[1] as number };
}

/**
 * Writes x = E * (1 + p) pooled to the agent grid, as NHWC model inputs: p (the predicted mask
 * probability [mh, mw]) is resized bilinearly to the embedding grid [h, w], multiplied into the
 * embedding E [C, h, w], and the product is average-pooled to [gh, gw] (first k channels).
 */
export class ModulatedEmbeddingFeaturizer {
  readonly geometry: EmbeddingGeometry;
  readonly grid: [number, number];
  readonly channels: number;
  private readonly p: Float32Array;

  constructor(geometry: EmbeddingGeometry, grid: [number, number], channels: number) {
    const [gh, gw] = grid;
    if (!(Number.isInteger(gh) && gh > 0 && geometry.height % gh === 0 && Number.isInteger(gw) && gw > 0 && geometry.width % gw === 0)) {
      throw new InvalidArgumentError(`inputGrid [${grid.join(", ")}] must divide the embedding grid [${geometry.height}, ${geometry.width}]`);
    }
    if (!(Number.isInteger(channels) && channels > 0 && channels <= geometry.channels)) {
      throw new InvalidArgumentError(`embeddingChannels must be in [1, ${geometry.channels}], got ${channels}`);
    }
    this.geometry = geometry;
    this.grid = [gh, gw];
    this.channels = channels;
    this.p = new Float32Array(geometry.height * geometry.width);
  }

  /** Per-sample size gh * gw * channels. */
  get size(): number {
    return this.grid[0] * this.grid[1] * this.channels;
  }

  /** Write the inputs of env `i` of a batched observation at out[outOffset..]. */
  write(embeddings: ArrayLike<number>, masks: ArrayLike<number>, i: number, out: Float32Array, outOffset: number): void {
    const { channels: C, height: h, width: w, maskHeight: mh, maskWidth: mw } = this.geometry;
    const [gh, gw] = this.grid;
    const k = this.channels;
    const fy = h / gh, fx = w / gw, inv = 1 / (fy * fx);
    resizeBilinear(masks, i * mh * mw, mh, mw, this.p, h, w);
    const eBase = i * C * h * w;
    out.fill(0, outOffset, outOffset + this.size);
    for (let c = 0; c < k; c++) {
      const cBase = eBase + c * h * w;
      for (let y = 0; y < h; y++) {
        const gy = Math.floor(y / fy);
        for (let x = 0; x < w; x++) {
          const v = (embeddings[cBase + y * w + x] as number) * (1 + (this.p[y * w + x] as number));
          const o = outOffset + (gy * gw + Math.floor(x / fx)) * k + c;
          out[o] = (out[o] as number) + v * inv;
        }
      }
    }
  }
}

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
  protected readonly featurizer: ModulatedEmbeddingFeaturizer;
  protected readonly convs: ConvLayerConfig[];
  /** Per-sample size of the flattened conv output. */
  protected readonly flatSize: number;

  /**
   * @param seed seeds the orthogonal initialisation.
   * @param extraFlat internal (ExplicitAgent): extra inputs of the dense layer, given the flattened
   * conv output size and the channels of the last conv.
   * @throws InvalidArgumentError on a space without samImageEmbeddings / samPredMaskProb, a grid
   * that does not divide the embedding grid, or a conv stack that shrinks the input to nothing.
   */
  constructor(
    observationSpace: Space,
    actionSpace: Space,
    config: Omit<ImplicitAgentConfig, "kind"> & { kind?: string },
    seed: number,
    extraFlat: (flatSize: number, lastChannels: number) => number = () => 0,
  ) {
    const geometry = embeddingGeometry(observationSpace);
    const grid = config.inputGrid ?? [Math.min(16, geometry.height), Math.min(16, geometry.width)];
    const channels = config.embeddingChannels ?? geometry.channels;
    this.convs = (config.convs ?? CPU_CONV_STACK).map((c) => ({ ...c, padding: c.padding ?? "same" }));
    const hidden = config.hidden ?? 256;
    this.config = { kind: "implicit", inputGrid: [grid[0], grid[1]], embeddingChannels: channels, convs: this.convs.map((c) => ({ ...c })), hidden };
    this.featurizer = new ModulatedEmbeddingFeaturizer(geometry, grid, channels);
    this.numActions = discreteSize(actionSpace);
    this.inputShape = [grid[0], grid[1], channels];
    const rng = new Rng(seed);
    this.flatSize = this.addConvStack("conv", grid, channels, rng);
    const lastChannels = this.convs.length > 0 ? (this.convs[this.convs.length - 1] as ConvLayerConfig).filters : channels;
    addDense(this.params, "fc", this.flatSize + extraFlat(this.flatSize, lastChannels), hidden, Math.SQRT2, rng);
    addDense(this.params, "actor", hidden, this.numActions, 0.01, rng);
    addDense(this.params, "critic", hidden, 1, 1, rng);
  }

  /** Add the conv stack `${prefix}.${i}` and return the flattened output size. */
  protected addConvStack(prefix: string, grid: [number, number], inC: number, rng: Rng): number {
    let [h, w] = grid;
    let c = inC;
    this.convs.forEach((layer, i) => {
      if (!(layer.filters > 0 && layer.kernel > 0 && layer.stride > 0)) throw new InvalidArgumentError(`bad conv layer ${JSON.stringify(layer)}`);
      addConv(this.params, `${prefix}.${i}`, c, layer.filters, layer.kernel, Math.SQRT2, rng);
      h = convOutputSize(h, layer.kernel, layer.stride, layer.padding ?? "same");
      w = convOutputSize(w, layer.kernel, layer.stride, layer.padding ?? "same");
      c = layer.filters;
      if (h < 1 || w < 1) throw new InvalidArgumentError(`the conv stack shrinks the [${grid.join(", ")}] input to nothing at layer ${i}`);
    });
    return h * w * c;
  }

  /** Run the conv stack `${prefix}` on x [B, gh, gw, C] (ReLU after each conv). */
  protected convStack(prefix: string, x: tf.Tensor4D): tf.Tensor4D {
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
    for (let i = 0; i < numEnvs; i++) this.featurizer.write(e, p, i, out, i * this.featurizer.size);
  }

  /** Actor and critic heads on the dense features [B, hidden]. */
  protected heads(features: tf.Tensor2D): PolicyOutput {
    return { logits: dense(this.params, "actor", features), values: dense(this.params, "critic", features).reshape([-1]) as tf.Tensor1D };
  }

  forward(x: tf.Tensor): PolicyOutput {
    return tf.tidy(() => {
      const b = x.shape[0] as number;
      const h = this.convStack("conv", x.reshape([b, ...this.inputShape]) as tf.Tensor4D);
      const features = tf.relu(dense(this.params, "fc", h.reshape([b, this.flatSize]) as tf.Tensor2D));
      const { logits, values } = this.heads(features);
      return { logits, values };
    }) as PolicyOutput;
  }

  dispose(): void {
    this.params.dispose();
  }
}
