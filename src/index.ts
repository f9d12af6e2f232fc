// alignsam-gym: the public entry point. Each folder exports its own public names from its
// index.ts. Keep this import light: no tfjs (alignsam-gym/ppo) and no onnxruntime here.
export * from "./core";
export * from "./spaces";
export * from "./wrappers";
export * from "./vector";
export * from "./registry";
export * from "./envs";
export * from "./rewards";
export * from "./segmenters";
export * from "./priors";
export * from "./data";
export * from "./metrics";
export * from "./priors";
