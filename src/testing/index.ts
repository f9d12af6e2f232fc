// alignsam-gym/testing: test doubles and helpers to unit-test rewards and envs without SAM.
export * from "./mask-art";
export * from "./reward-harness";
export * from "./test-segmenters";
export * from "./in-memory-dataset";
