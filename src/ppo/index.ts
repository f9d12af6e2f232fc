// alignsam-gym/ppo: PPO in TensorFlow.js (the only folder that loads tfjs).
export * from "./nn/backend";
export { conv2dFilterGradient, registerWasmConv2DBackpropFilter } from "./nn/wasm-conv-grad";
export * from "./agents/agent";
export { MlpAgent } from "./agents/mlp-agent";
export { ParameterSet } from "./nn/parameters";
export type { ParameterArray } from "./nn/parameters";
export { orthogonalMatrix } from "./nn/orthogonal";
export { Adam } from "./nn/adam";
export type { AdamState } from "./nn/adam";
export { sampleCategorical } from "./agents/categorical";
export { EpisodeActionMask } from "./agents/episode-action-mask";
export { computeGae } from "./gae";
export type { GaeInput, GaeOutput } from "./gae";
export * from "./hyperparameters";
export { PpoTrainer } from "./ppo";
export type { PpoVectorEnv, EpisodeRecord, IterationLog, PpoTrainerOptions, TimeSplit } from "./ppo";
export type { PpoTrainerState } from "./persist/trainer-state";
export { PpoUpdate } from "./ppo-update";
export type { UpdateStats } from "./ppo-update";
export { RolloutBuffer, Minibatch } from "./rollout-buffer";
export { normalizeMasked, explainedVariance } from "./masked-statistics";
export {
  ImplicitAgent,
  ModulatedEmbeddingFeaturizer,
  CPU_CONV_STACK,
  REFERENCE_CONV_STACK,
} from "./agents/implicit-agent";
export { embeddingGeometry } from "./agents/embedding-geometry";
export { cellToPatchMatrix, clickGridOf, patchCells, noRepeatGroups } from "./agents/click-grid";
export type { NoRepeatRule, PatchLogits } from "./agents/click-grid";
export {
  maskTemperature,
  temperMaskProbability,
  temperMaskInPlace,
  MASK_TEMPERATURE_EPSILON,
} from "./agents/mask-temperature";
export type { EmbeddingGeometry } from "./agents/embedding-geometry";
export { ExplicitAgent } from "./agents/explicit-agent";
export type { SemanticPriorProvider, PriorMaps } from "../priors/semantic-prior";
export { createAgent, defaultAgentConfig } from "./agents/create-agent";
export { agentPolicy } from "./agents/agent-policy";
export type { EpisodePolicy } from "./agents/agent-policy";
export { EpisodeRecorder } from "./persist/episode-replay";
export type { EpisodeLog } from "./persist/episode-replay";
export { saveCheckpoint, loadCheckpoint, parseCheckpoint } from "./persist/checkpoint";
export type { Checkpoint } from "./persist/checkpoint";
export { captureCheckpoint, resumeFromCheckpoint } from "./persist/resume";
export type { CheckpointContext } from "./persist/resume";
export { SyntheticShapePrior, builtinPrior, BUILTIN_PRIORS } from "./priors/shape-prior";
export type { BuiltinPriorName } from "./priors/shape-prior";
export { ShapePriorNet } from "./priors/shape-prior-net";
export {
  SHAPE_PRIOR_CLASSES,
  SHAPE_PRIOR_INPUT,
  SHAPE_PRIOR_OUTPUT,
  shapePriorInput,
  rgbBytes,
  boxDownsample,
} from "../priors/shape-prior-input";
export { float16ToFloat32, float32ToFloat16, float16ArrayToFloat32, float32ArrayToFloat16 } from "../core/float16";
export { priorProviderFromConfig } from "./agents/prior-provider-config";
import "./node-priors";
export { loadPolicy } from "./load-policy";
export type { LoadedPolicy, LoadPolicyOptions, ActOptions } from "./load-policy";
export { checkpointFromBytes, checkpointToBytes, CHECKPOINT_MAGIC } from "./persist/checkpoint-bytes";
export { selectBrowserBackend } from "./nn/browser-backend";
export type { BrowserBackendOptions } from "./nn/browser-backend";
export { checkAgentConfig } from "./agents/agent-config-check";
export type * from "./nn/tensor-handles";
