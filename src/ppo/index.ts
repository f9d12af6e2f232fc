// alignsam-gym/ppo: PPO in TensorFlow.js (the only folder that loads tfjs).
export * from "./backend";
export { conv2dFilterGradient, registerWasmConv2DBackpropFilter } from "./wasm-conv-grad";
export * from "./agent";
export { MlpAgent } from "./mlp-agent";
export { ParameterSet } from "./parameters";
export type { ParameterArray } from "./parameters";
export { orthogonalMatrix } from "./orthogonal";
export { Adam } from "./adam";
export type { AdamState } from "./adam";
export { sampleCategorical } from "./categorical";
export { computeGae } from "./gae";
export type { GaeInput, GaeOutput } from "./gae";
export * from "./hyperparameters";
export { PpoTrainer } from "./ppo";
export type { PpoVectorEnv, EpisodeRecord, IterationLog, PpoTrainerState, PpoTrainerOptions, TimeSplit } from "./ppo";
