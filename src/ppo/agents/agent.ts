import type { Tensor, Tensor1D, Tensor2D } from "../nn/tensor-types";
import type { ParameterSet } from "../nn/parameters";
import type { PatchLayout } from "../../envs/sam-seg/action-grid";
import type { ClipSurgeryProviderConfig } from "../../priors/clip-surgery-config";
import type { CorrectionPlanesMode } from "./correction-planes";

/** The outputs of an actor-critic for a batch of B samples. */
export interface PolicyOutput {
  /** Unnormalised action log-probabilities [B, numActions]. */
  logits: Tensor2D;
  /** State values [B]. */
  values: Tensor1D;
}

/**
 * An actor-critic for Discrete actions, split in two stages so that rollouts can store compact
 * inputs: `featurize` turns a batch of vector-env observations into model inputs in plain JS
 * (no trainable parameters), `forward` runs the trainable network on them.
 *
 * Agents have no train/eval-mode state (no BatchNorm, no dropout): the network computes the
 * same function during rollouts, updates and evaluation.
 */
export interface ActorCritic {
  /** The JSON config this agent was built from (stored in checkpoints to rebuild it). */
  readonly config: AgentConfig;
  /** Number of discrete actions. */
  readonly numActions: number;
  /** Shape of one sample's model input (e.g. [4] or [16, 16, 32]). */
  readonly inputShape: readonly number[];
  /** The trainable parameters. */
  readonly params: ParameterSet;
  /**
   * When set, the agent never takes two actions of the same group in one episode: action `a`
   * belongs to group `noRepeatGroups[a]` ([numActions] ids; see EpisodeActionMask). An
   * agent-side rule built from its own history, applied identically in PPO rollouts, in the PPO
   * loss and in evaluation. Absent or null: no masking.
   */
  readonly noRepeatGroups?: Int32Array | null;
  /**
   * Write the model inputs of a batch of `numEnvs` observations (as a vector env returns them)
   * into `out` [numEnvs, ...inputShape], row-major.
   */
  featurize(obs: unknown, numEnvs: number, out: Float32Array): void | Promise<void>;
  /** Run the network on x [B, ...inputShape]. */
  forward(x: Tensor): PolicyOutput;
  /**
   * Optional plain-JS forward for rollouts (small networks, where per-call tfjs overhead
   * dominates): same function as `forward`, reading weights copied by `syncFastForward`.
   */
  fastForward?(x: Float32Array, batch: number, logits: Float32Array, values: Float32Array): void;
  /** Copy the current weights for `fastForward` (call after each update). */
  syncFastForward?(): void;
  /** Release the variables. */
  dispose(): void;
}

/** Config of the CleanRL MLP agent (separate actor and critic MLPs, tanh). */
export interface MlpAgentConfig {
  kind: "mlp";
  /** Hidden layer sizes of both MLPs (CleanRL: [64, 64]). */
  hidden?: number[];
}

/** One conv layer of an image agent's stack (square kernel, ReLU after it). */
export interface ConvLayerConfig {
  filters: number;
  kernel: number;
  stride: number;
  padding?: "same" | "valid";
}

/** Config shared by the implicit and explicit agents. */
export interface ImageAgentConfigBase {
  /**
   * Grid [gh, gw] the modulated embedding is average-pooled to before the conv stack (it must
   * divide the embedding grid; CPU default [16, 16]; SAM-sized [64, 64]).
   */
  inputGrid?: [number, number];
  /** Use only the first k embedding channels (default: all). */
  embeddingChannels?: number;
  /**
   * Also give the predicted mask probability p (samPredMaskProb) itself, average-pooled to the
   * input grid, as one more input plane (default false): where the current mask already is,
   * separately from the embedding it modulates.
   */
  maskPlane?: boolean;
  /** The conv stack (default: CPU-sized 32 k3 s2, 64 k3 s2, 64 k3 s1, "same" padding). */
  convs?: ConvLayerConfig[];
  /** Width of the dense layer after the conv stack (default 256; reference 512). */
  hidden?: number;
  /**
   * The actor head: "dense" (the reference: a dense layer from the flattened features to every
   * action) or "spatial" (default: two 3x3 convs at the input grid give a positive and a
   * negative click logit per grid cell; each action takes the logit of the cell under its patch
   * centre; translation-equivariant, so it learns "click on the object" from far fewer samples).
   */
  actorHead?: "dense" | "spatial";
  /**
   * The click grid [nW, nH] of the env's actions (action = 2 * (wi * nH + hi) + label), for the
   * spatial head; default: square, from the action count.
   */
  actionGrid?: [number, number];
  /**
   * The env's patch layout (SamSegEnv's `imgPatchSize` or `numPatches`), from which the agent
   * takes the env's click positions (`ActionGrid`); default `numPatches` = nW of a square
   * `actionGrid`. Needed for imgPatchSize envs, whose patches are imgPatchSize pixels apart.
   */
  patchLayout?: PatchLayout;
  /** Filters of the spatial head's two 3x3 convs (default 32). */
  spatialFilters?: number;
  /**
   * Spatial head only: how a click patch takes its logit from the cell logits. "cell" (default):
   * the logit of the cell under the patch centre, so every patch of a cell ties; "bilinear": the
   * cell logits interpolated bilinearly at the patch centre (cell centres are the sample points,
   * clamped at the grid's border), so patches within a cell differ and the argmax lands between
   * cells, nearer the higher neighbour.
   */
  patchLogits?: "cell" | "bilinear";
  /**
   * Spatial head only (default false): one 1x1 readout per category plane instead of one shared
   * readout, selected by the target category's one-hot plane, so each category gets its own
   * linear "is this my object" map of the shared features. Needs category planes.
   */
  categoryReadout?: boolean;
  /**
   * Agent-side no-repeat rule (see `ActorCritic.noRepeatGroups`): "off" (default), "action"
   * (never the same action twice in an episode), "patch" (never the same click patch twice,
   * whatever the label: actions 2k and 2k + 1 share a patch) or "cell" (never two clicks in the
   * same cell of the agent's input grid, the cell the spatial head reads for a patch).
   */
  noRepeat?: "off" | "action" | "patch" | "cell";
  /**
   * Input planes that encode the target category (one-hot, constant over the grid), so the
   * policy knows WHAT to segment: default 8 when the observation has `targetCategory`, else 0.
   */
  categorySlots?: number;
  /**
   * The category vocabulary: categories get planes in order of first appearance (this list
   * grows during training and is saved in checkpoints). More categories than slots share
   * planes (index modulo slots).
   */
  categories?: string[];
}

/** Config of the implicit agent: x = E * (1 + p) through a conv stack. */
export interface ImplicitAgentConfig extends ImageAgentConfigBase {
  kind: "implicit";
}

/** Config of the explicit agent: the implicit stream plus a semantic-prior stream fused by attention. */
export interface ExplicitAgentConfig extends ImageAgentConfigBase {
  kind: "explicit";
  /** Channels of the prior maps the provider returns (0 or absent: no provider, implicit behaviour). */
  priorChannels?: number;
  /**
   * A bundled prior provider by name ("synthetic-shapes": the pretrained shape prior of the
   * synthetic dataset) or the CLIP-Surgery prior from ONNX files (`{ kind: "clip-surgery",
   * imageEncoder, textEncoder }`, paths), which createAgent builds when no provider object is
   * passed; stored in checkpoints so eval and resume rebuild it. Absent: the provider is passed
   * in code.
   */
  priorProvider?: "synthetic-shapes" | ClipSurgeryProviderConfig;
  /** Attention width (default 64). */
  attentionDim?: number;
  /**
   * The reference's temperature trick (default false): before modulating the embedding, the
   * mask probability becomes p <- sigmoid(logit(p) / exp(maxSteps - numSteps)) (flat early in
   * an episode, unchanged at the last click). Needs a `numSteps` Discrete(maxSteps + 1)
   * observation key.
   */
  maskTemperature?: boolean;
  /**
   * Disagreement planes of the prior and the current mask (default "off"; needs a prior): for
   * each prior map q, two planes at the input grid, where a positive click (the prior sees the
   * target, the mask does not) and where a negative click (the mask covers what the prior does
   * not) would correct the mask: "difference" max(q - m, 0) and max(m - q, 0); "distance" the
   * click simulator's distance-to-border maps of those regions with the prior as ground truth
   * (see correction-planes.ts). m is the mask probability average-pooled to the grid, 0 before
   * the first click when the observation has numSteps (the env's 0.5 placeholder is no mask).
   * They follow the prior maps in the prior stream and the spatial head's input; per grid cell:
   * image planes, k prior maps, then 2k planes (pos0, neg0, pos1, neg1, ...).
   */
  correctionPlanes?: CorrectionPlanesMode;
  /**
   * With correctionPlanes and the spatial head: a skip from the disagreement planes straight to
   * the click logits, g+ * sum_c max(q_c - m, 0) on each cell's positive and g- * sum_c max(m -
   * q_c, 0) on its negative logit, g+ and g- trainable and both initialised to this value
   * (absent: no skip). The untrained policy then already prefers correcting clicks (a residual
   * policy on the "click where prior and mask disagree" heuristic); PPO learns the rest.
   */
  correctionGain?: number;
}

/** Any agent config. */
export type AgentConfig = MlpAgentConfig | ImplicitAgentConfig | ExplicitAgentConfig;
