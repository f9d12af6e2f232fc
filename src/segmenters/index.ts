export * from "./promptable-segmenter";
export { SAM_FRAME_SIZE, SAM_LOW_RES_SIZE, samFrame, toFramePoint, lowResToImage } from "./sam-frame";
export type { SamFrame } from "./sam-frame";
export { GeodesicSegmenter } from "./geodesic/geodesic-segmenter";
export type { GeodesicSegmenterOptions } from "./geodesic/geodesic-segmenter";
export type { ChromaResolution } from "./geodesic/embedding-layout";
export { evaluateSegmenter } from "./evaluate-segmenter";
export type {
  EvaluationSample,
  EvaluateSegmenterOptions,
  SampleEvaluation,
  SegmenterEvaluation,
} from "./evaluate-segmenter";
export { EmbeddingCache } from "./cache/embedding-cache";
export type { EmbeddingCacheOptions, EmbeddingCacheStats } from "./cache/embedding-cache";
export type { EmbeddingStorageDtype } from "./cache/embedding-file";
export { CachedSegmenter } from "./cache/cached-segmenter";
export { imageContentHash } from "./cache/content-hash";
export { OnnxSamSegmenter, preprocess as samPreprocess } from "./onnx/onnx-sam-segmenter";
export type { OnnxSamSegmenterOptions } from "./onnx/onnx-sam-segmenter";
export { ONNXRUNTIME_GPU_HINT, ONNXRUNTIME_INSTALL_HINT } from "./onnx/install-hint";
export { createSegmenterFromSpec, isSegmenterSpec } from "./segmenter-spec";
export type { SegmenterSpec } from "./segmenter-spec";
