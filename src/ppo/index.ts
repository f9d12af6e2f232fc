// alignsam-gym/ppo: PPO in TensorFlow.js (the only folder that loads tfjs).
export * from "./backend";
export { conv2dFilterGradient, registerWasmConv2DBackpropFilter } from "./wasm-conv-grad";
