// alignsam-gym/ppo in a browser: the agents' inference (tfjs, wasm backend with binaries served
// by the page), checkpoints from bytes and the bundled semantic prior. Training (PpoTrainer,
// which times with node:perf_hooks) and file checkpoints stay in the Node.js entry.
export { selectBrowserBackend } from "./nn/browser-backend";
export type { BrowserBackendOptions } from "./nn/browser-backend";
export { registerWasmConv2DBackpropFilter } from "./nn/wasm-conv-grad";
export * from "./agents/agent";
export { MlpAgent } from "./agents/mlp-agent";
export { ParameterSet } from "./nn/parameters";
export type { ParameterArray } from "./nn/parameters";
export { sampleCategorical } from "./agents/categorical";
export { EpisodeActionMask } from "./agents/episode-action-mask";
export { ImplicitAgent, ModulatedEmbeddingFeaturizer } from "./agents/implicit-agent";
export { embeddingGeometry } from "./agents/embedding-geometry";
export type { EmbeddingGeometry } from "./agents/embedding-geometry";
export { ExplicitAgent } from "./agents/explicit-agent";
export type { SemanticPriorProvider, PriorMaps } from "../priors/semantic-prior";
export { createAgent, defaultAgentConfig } from "./agents/create-agent";
export { checkpointFromBytes, checkpointToBytes, CHECKPOINT_MAGIC } from "./persist/checkpoint-bytes";
export type { Checkpoint } from "./persist/checkpoint";
export { SyntheticShapePrior, builtinPrior, BUILTIN_PRIORS } from "./priors/shape-prior";
export type { BuiltinPriorName } from "./priors/shape-prior";
export { ShapePriorNet } from "./priors/shape-prior-net";
export { SHAPE_PRIOR_CLASSES, SHAPE_PRIOR_INPUT, SHAPE_PRIOR_OUTPUT } from "../priors/shape-prior-input";
export type * from "./nn/tensor-handles";
