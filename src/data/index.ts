export * from "./dataset";
export * from "./draw";
