// Policy names of `alignsam-gym eval` (light: the eval command parses flags without loading tfjs).

/**
 * The policies `eval` compares: the agent's argmax ("greedy") and samples ("sampled"), uniform
 * random clicks, the standard click simulator ("oracle"), and "prior-peak" (positive clicks on
 * the agent's semantic prior map, highest cell first: what the prior alone gives, no learning).
 */
export type PolicyName = "greedy" | "sampled" | "random" | "oracle" | "prior-peak";

/** Every policy name. */
export const POLICY_NAMES: readonly PolicyName[] = ["greedy", "sampled", "random", "oracle", "prior-peak"];
