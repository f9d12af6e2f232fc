import * as tf from "@tensorflow/tfjs";
import type { Tensor, Tensor4D } from "../nn/tensor-types";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import type { Space } from "../../core/space";
import { Rng } from "../../core/rng";
import { InvalidArgumentError } from "../../core/errors";
import type { ExplicitAgentConfig, PolicyOutput } from "./agent";
import { ImplicitAgent } from "./implicit-agent";
import { addDense, dense } from "../nn/layers";
import { Float32Resizer } from "../../data/resize";
import { maskTemperature } from "./mask-temperature";
import { dictSubspaces, discreteSize, rowMajorData } from "./observation-features";
import { priorProviderFromConfig } from "./prior-provider-config";
import { CORRECTION_PLANES_MODES, CorrectionPlanesScratch, writeCorrectionPlanes } from "./correction-planes";
import type { CorrectionPlanesMode } from "./correction-planes";
import type { SemanticPriorProvider } from "../../priors/semantic-prior";

/**
 * The AlignSAM explicit agent: the implicit agent's stream (x = E * (1 + p) through a conv
 * stack) plus a semantic-prior stream (the provider's maps through a conv stack of the same
 * shape), fused by scaled dot-product attention computed PER SAMPLE: the prior tokens query the
 * image tokens of the same observation (a batched [T, T] attention for each sample, never across
 * the batch); the spatial actor head reads the prior maps next to the image planes, so a prior
 * peak can become a click directly. Without a provider (`priorChannels` 0) it is exactly the
 * implicit agent. `priorProvider: "synthetic-shapes"` in the config names the bundled
 * {@link SyntheticShapePrior}, `{ kind: "clip-surgery", imageEncoder, textEncoder }` the
 * CLIP-Surgery prior from ONNX files (createAgent builds them; checkpoints keep the config).
 * `maskTemperature: true` enables the reference's temperature trick on the mask probability
 * before it modulates the embedding: p <- sigmoid(logit(p) / exp(maxSteps - numSteps)), with
 * numSteps read from the observation and maxSteps from its numSteps space (see mask-temperature.ts).
 * `correctionPlanes` ("difference" or "distance", see correction-planes.ts) adds, per prior map
 * q, two planes of where q and the current mask m disagree (m average-pooled to the grid; an
 * empty mask before the first click, when the observation has numSteps): where a positive and
 * where a negative click would correct the mask. They join the prior stream and the spatial head;
 * `correctionGain` adds them, scaled by two trainable gains, to the click logits.
 *
 * @example
 * ```ts
 * const agent = new ExplicitAgent(env.singleObservationSpace, env.singleActionSpace,
 *   { priorChannels: 1 }, 1, myClipProvider);
 * ```
 */
export class ExplicitAgent extends ImplicitAgent {
  override readonly inputShape: readonly number[];
  private readonly provider: SemanticPriorProvider | null;
  /** The bundled provider this agent built from `config.priorProvider` (disposed with it). */
  private readonly ownedProvider: { dispose(): void } | null;
  private readonly priorChannels: number;
  /** Planes of the prior stream: the prior maps, then (correctionPlanes) 2 disagreement planes per map. */
  private readonly streamChannels: number;
  private readonly attentionDim: number;
  private readonly imageChannels: number;
  private readonly tokens: number;
  private readonly tokenChannels: number;
  private readonly maps: Float32Array;
  /** One sample's image planes before interleaving with the prior stream (gh * gw * imageChannels). */
  private readonly imageOnly: Float32Array;
  /** Initial gain of the correction planes' skip into the click logits (null: no skip). */
  private readonly correctionGain: number | null;
  /** The mask pooled to the grid (correctionPlanes), gh * gw. */
  private readonly mask: Float32Array | null;
  private readonly correctionMode: CorrectionPlanesMode;
  /** The disagreement planes of one prior map (gh * gw each) and their scratch buffers. */
  private readonly pos: Float32Array;
  private readonly neg: Float32Array;
  private readonly scratch: CorrectionPlanesScratch;
  /** Resizer of the provider's maps to the agent grid (rebuilt when the provider's map size changes). */
  private priorResizer: Float32Resizer | null = null;
  /** [rows, cols] of the grid the image covers in SAM's frame (longest side = the grid). */
  private readonly frameSize: [number, number];
  /** The prior map resized to frameSize. */
  private readonly framed: Float32Array;
  /** maxSteps for the temperature trick, or null when it is off. */
  private readonly temperatureMaxSteps: number | null;

  /**
   * @param provider the prior maps' source; when null, `config.priorProvider` names a bundled one.
   * @throws InvalidArgumentError when priorChannels > 0 without a provider (or with one of a
   * different channel count), or on an unknown `priorProvider` name.
   */
  constructor(
    observationSpace: Space,
    actionSpace: Space,
    config: Omit<ExplicitAgentConfig, "kind">,
    seed: number,
    provider: SemanticPriorProvider | null = null,
  ) {
    const owned =
      provider === null && config.priorProvider !== undefined ? priorProviderFromConfig(config.priorProvider) : null;
    provider = provider ?? owned;
    const k = config.priorChannels ?? provider?.channels ?? 0;
    const d = config.attentionDim ?? 64;
    if (k > 0 && (provider === null || provider.channels !== k)) {
      throw new InvalidArgumentError(
        `ExplicitAgent: priorChannels ${k} needs a SemanticPriorProvider with ${k} channels`,
      );
    }
    const correction: CorrectionPlanesMode = config.correctionPlanes ?? "off";
    if (!CORRECTION_PLANES_MODES.includes(correction))
      throw new InvalidArgumentError(
        `ExplicitAgent: correctionPlanes must be one of ${CORRECTION_PLANES_MODES.map((m) => JSON.stringify(m)).join(", ")}, got ${JSON.stringify(correction)}`,
      );
    if (correction !== "off" && k === 0)
      throw new InvalidArgumentError("ExplicitAgent: correctionPlanes needs a semantic prior (priorChannels > 0)");
    const gain = config.correctionGain ?? null;
    if (gain !== null && !(correction !== "off" && Number.isFinite(gain)))
      throw new InvalidArgumentError(
        `ExplicitAgent: correctionGain must be a finite number and needs correctionPlanes, got ${String(gain)}`,
      );
    const stream = correction !== "off" ? 3 * k : k;
    super(observationSpace, actionSpace, config, seed, (flat, channels) => (k > 0 ? (flat / channels) * d : 0), stream);
    this.provider = k > 0 ? provider : null;
    this.ownedProvider = owned;
    this.priorChannels = k;
    this.streamChannels = stream;
    this.correctionGain = gain;
    if (gain !== null && this.config.actorHead !== "spatial")
      throw new InvalidArgumentError("ExplicitAgent: correctionGain needs the spatial actor head");
    this.attentionDim = d;
    const [gh, gw] = this.featurizer.grid;
    this.imageChannels = this.featurizer.channels;
    this.inputShape = [gh, gw, this.imageChannels + stream];
    const tempered = config.maskTemperature ?? false;
    this.config = {
      ...this.config,
      kind: "explicit",
      priorChannels: k,
      attentionDim: d,
      maskTemperature: tempered,
      correctionPlanes: correction,
      ...(gain !== null ? { correctionGain: gain } : {}),
      ...(config.priorProvider !== undefined ? { priorProvider: config.priorProvider } : {}),
    };
    const numStepsSpace = new Map(dictSubspaces(observationSpace)).get("numSteps");
    if (tempered && numStepsSpace === undefined) {
      throw new InvalidArgumentError(
        "ExplicitAgent: maskTemperature needs a numSteps Discrete(maxSteps + 1) key in the observation space",
      );
    }
    this.temperatureMaxSteps = tempered ? discreteSize(numStepsSpace as Space) - 1 : null;
    const last = this.convs[this.convs.length - 1];
    this.tokenChannels = last ? last.filters : this.imageChannels;
    this.tokens = this.flatSize / this.tokenChannels;
    this.maps = new Float32Array(gh * gw);
    this.imageOnly = new Float32Array(gh * gw * this.imageChannels);
    const { imageHeight: ih, imageWidth: iw } = this.featurizer.geometry;
    const long = Math.max(ih, iw);
    this.frameSize = [
      Math.min(gh, Math.max(1, Math.round((ih * gh) / long))),
      Math.min(gw, Math.max(1, Math.round((iw * gw) / long))),
    ];
    this.framed = new Float32Array(this.frameSize[0] * this.frameSize[1]);
    this.correctionMode = correction;
    this.mask = correction !== "off" ? new Float32Array(gh * gw) : null;
    this.pos = new Float32Array(gh * gw);
    this.neg = new Float32Array(gh * gw);
    this.scratch = new CorrectionPlanesScratch(gh, gw);
    if (k > 0) {
      const rng = new Rng(seed).spawn(1)[0] as Rng;
      this.addConvStack("prior", [gh, gw], stream, rng);
      for (const name of ["query", "key", "value"])
        addDense(this.params, `attention.${name}`, this.tokenChannels, d, 1, rng);
      if (gain !== null) this.params.add("correctionGain", [2], Float32Array.of(gain, gain));
    }
  }

  /** The source of the prior maps (null without one). */
  get priorProvider(): SemanticPriorProvider | null {
    return this.provider;
  }

  override async featurize(obs: unknown, numEnvs: number, out: Float32Array): Promise<void> {
    const o = obs as Record<string, unknown>;
    const e = rowMajorData(o["samImageEmbeddings"], "samImageEmbeddings");
    const p = rowMajorData(o["samPredMaskProb"], "samPredMaskProb");
    const [gh, gw] = this.featurizer.grid;
    const c = this.imageChannels;
    const k = this.priorChannels;
    const s = this.streamChannels;
    const per = gh * gw * (c + s);
    const imageOnly = this.imageOnly;
    const categories = o["targetCategory"] as ArrayLike<string> | undefined;
    // numSteps: read once, for the temperature trick and for the correction planes' first click.
    const stepsRead = this.temperatureMaxSteps !== null || (this.mask !== null && o["numSteps"] !== undefined);
    const clicksSoFar = stepsRead ? rowMajorData(o["numSteps"], "numSteps") : null;
    const numSteps = this.temperatureMaxSteps !== null ? clicksSoFar : null;
    for (let i = 0; i < numEnvs; i++) {
      const temperature =
        numSteps !== null ? maskTemperature(numSteps[i] as number, this.temperatureMaxSteps as number) : null;
      this.featurizer.write(e, p, i, imageOnly, 0, categories ? (categories[i] as string) : null, temperature);
      for (let cell = 0; cell < gh * gw; cell++) {
        for (let j = 0; j < c; j++) out[i * per + cell * (c + s) + j] = imageOnly[cell * c + j] as number;
      }
      if (this.mask !== null) {
        // Before the first click there is no mask yet (the env's samPredMaskProb is the 0.5
        // placeholder): the disagreement planes then see an empty mask.
        if (clicksSoFar !== null && clicksSoFar[i] === 0) this.mask.fill(0);
        else this.featurizer.pooledMask(this.mask);
      }
      if (this.provider === null) continue;
      const images = o["image"] as NdArray<Uint8Array>;
      const [, H, W] = images.shape as [number, number, number, number];
      const image = ndarray(rowMajorData(images, "image") as Uint8Array, images.shape).pick(
        i,
        null,
        null,
        null,
      ) as NdArray<Uint8Array>;
      const category = (categories?.[i] ?? "") as string;
      const prior = await this.provider.prior(image, category);
      if (prior.data.length !== k * prior.height * prior.width) {
        throw new InvalidArgumentError(
          `semantic prior for ${JSON.stringify(category)} has ${prior.data.length} values, expected ${k} x ${prior.height} x ${prior.width} (image ${H}x${W})`,
        );
      }
      const [fh, fw] = this.frameSize;
      const r = this.priorResizer;
      const resizer =
        r !== null && r.srcSize[0] === prior.height && r.srcSize[1] === prior.width
          ? r
          : new Float32Resizer([prior.height, prior.width], [fh, fw]);
      this.priorResizer = resizer;
      for (let ch = 0; ch < k; ch++) {
        // Into SAM's frame, as the image planes and the click grid: the image's longest side
        // fills the grid, the rest is zero padding.
        resizer.run(prior.data, ch * prior.height * prior.width, this.framed, 0);
        this.maps.fill(0);
        for (let y = 0; y < fh; y++) this.maps.set(this.framed.subarray(y * fw, (y + 1) * fw), y * gw);
        if (this.mask !== null && this.correctionMode !== "off")
          writeCorrectionPlanes(this.correctionMode, this.maps, this.mask, this.pos, this.neg, this.scratch);
        for (let cell = 0; cell < gh * gw; cell++) {
          const o = i * per + cell * (c + s) + c;
          out[o + ch] = this.maps[cell] as number;
          if (this.mask === null) continue;
          out[o + k + 2 * ch] = this.pos[cell] as number;
          out[o + k + 2 * ch + 1] = this.neg[cell] as number;
        }
      }
    }
  }

  /**
   * correctionGain: g+ * sum_c max(q_c - m, 0) on the positive and g- * sum_c max(m - q_c, 0) on
   * the negative cell logits (x is the spatial head's input: the prior stream's planes first).
   */
  protected override cellLogitSkip(x: Tensor4D): Tensor4D | null {
    if (this.correctionGain === null) return null;
    const [b, gh, gw] = [x.shape[0] as number, x.shape[1] as number, x.shape[2] as number];
    const k = this.priorChannels;
    const planes = tf.slice(x, [0, 0, 0, k], [b, gh, gw, 2 * k]).reshape([b, gh, gw, k, 2]);
    return tf.mul(tf.sum(planes, 3), this.params.get("correctionGain")) as tf.Tensor4D;
  }

  override forward(x: Tensor): PolicyOutput {
    if (this.priorChannels === 0) return super.forward(x);
    return tf.tidy(() => {
      const b = x.shape[0] as number;
      const [gh, gw] = this.featurizer.grid;
      const input = x.reshape([b, gh, gw, this.imageChannels + this.streamChannels]) as tf.Tensor4D;
      const image = tf.slice(input, [0, 0, 0, 0], [b, gh, gw, this.imageChannels]) as tf.Tensor4D;
      const prior = tf.slice(input, [0, 0, 0, this.imageChannels], [b, gh, gw, this.streamChannels]) as tf.Tensor4D;
      const imageTokens = this.convStack("conv", image).reshape([b * this.tokens, this.tokenChannels]) as tf.Tensor2D;
      const priorTokens = this.convStack("prior", prior).reshape([b * this.tokens, this.tokenChannels]) as tf.Tensor2D;
      const d = this.attentionDim;
      const q = dense(this.params, "attention.query", priorTokens).reshape([b, this.tokens, d]) as tf.Tensor3D;
      const kT = dense(this.params, "attention.key", imageTokens).reshape([b, this.tokens, d]) as tf.Tensor3D;
      const v = dense(this.params, "attention.value", imageTokens).reshape([b, this.tokens, d]) as tf.Tensor3D;
      // [B, T, T]: each sample's prior tokens attend to that sample's image tokens only.
      const weights = tf.softmax(tf.div(tf.matMul(q, kT, false, true), Math.sqrt(d)));
      const attended = tf.matMul(weights, v).reshape([b, this.tokens * d]);
      const fused = tf.concat([imageTokens.reshape([b, this.flatSize]), attended], 1) as tf.Tensor2D;
      // The spatial head reads the prior planes too, before the image planes (whose last planes
      // are the category one-hots a category readout selects with).
      const { logits, values } = this.heads(
        tf.relu(dense(this.params, "fc", fused)),
        tf.concat([prior, image], 3) as tf.Tensor4D,
      );
      return { logits, values };
    }) as PolicyOutput;
  }

  override dispose(): void {
    super.dispose();
    this.ownedProvider?.dispose();
  }
}
