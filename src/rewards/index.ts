// Pluggable reward strategies of SamSegEnv: components, composition and presets.
export * from "./reward-context";
export * from "./reward-component";
export * from "./soft-dice";
export { overlapSums } from "./overlap-sums";
export type { OverlapSums } from "./overlap-sums";
export * from "./click-correctness";
export * from "./repeat-coefficient";
export * from "./negative-refinement-bonus";
export * from "./dice-gain";
export * from "./dice-threshold-bonus";
export * from "./paper-correctness";
export * from "./compose-reward";
export * from "./presets";
