export * from "./dataset";
export * from "./draw";
export * from "./image-io";
export * from "./resize";
export * from "./rle";
export * from "./polygon";
