export * from "./errors";
export * from "./rng";
export * from "./types";
export * from "./space";
export * from "./env";
export * from "./wrapper";
export * from "./logger";
export * from "./call-guard";
