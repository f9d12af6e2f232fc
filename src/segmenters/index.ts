export * from "./promptable-segmenter";
