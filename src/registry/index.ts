export * from "./registration";
export * from "./make-vec";
export * from "./recipe";
export * from "./check-env";
export * from "./data-equivalence";
export { parseEnvId, closeMatches, editDistance } from "./env-id";
export type { EnvIdParts } from "./env-id";
import "./builtins";
