// alignsam-gym/ppo in a browser: the agents' inference (tfjs, wasm backend with binaries served
// by the page), checkpoints from bytes and the bundled semantic prior. Training (PpoTrainer,
// which times with node:perf_hooks) and file checkpoints stay in the Node.js entry.
export { selectBrowserBackend } from "./browser-backend";
export type { BrowserBackendOptions } from "./browser-backend";
export { registerWasmConv2DBackpropFilter } from "./wasm-conv-grad";
export * from "./agent";
export { MlpAgent } from "./mlp-agent";
export { ParameterSet } from "./parameters";
export type { ParameterArray } from "./parameters";
export { sampleCategorical } from "./categorical";
export { EpisodeActionMask } from "./episode-action-mask";
export { ImplicitAgent, ModulatedEmbeddingFeaturizer, embeddingGeometry } from "./implicit-agent";
export type { EmbeddingGeometry } from "./implicit-agent";
export { ExplicitAgent } from "./explicit-agent";
export type { SemanticPriorProvider } from "./explicit-agent";
export { createAgent, defaultAgentConfig } from "./create-agent";
export { checkpointFromBytes, checkpointToBytes, CHECKPOINT_MAGIC } from "./checkpoint-bytes";
export type { Checkpoint } from "./checkpoint";
export { SyntheticShapePrior, builtinPrior, BUILTIN_PRIORS } from "./shape-prior";
export type { BuiltinPriorName } from "./shape-prior";
export { ShapePriorNet, SHAPE_PRIOR_CLASSES, SHAPE_PRIOR_INPUT, SHAPE_PRIOR_OUTPUT } from "./shape-prior-net";
