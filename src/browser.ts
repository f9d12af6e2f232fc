// alignsam-gym in a browser: the platform-neutral part of the package (the "browser" condition
// of the "." export). No Node built-in is reachable from here (test/browser/bundle.test.ts
// bundles it for the browser and fails on any). Its names are a subset of src/index.ts's (one
// set of type declarations serves both conditions). Left out, as they need Node.js: files and
// datasets on disk (CocoDataset, MaskFolderDataset, image files, the generated default dataset),
// AsyncVectorEnv (worker_threads), the registry's make() (it can build AsyncVectorEnv) and the
// ONNX segmenter (onnxruntime-node). SamSegEnv here needs `options.dataset` (an InMemoryDataset
// of alignsam-gym/testing, whose entry is platform-neutral as it is).
export * from "./core";
export * from "./spaces";
export * from "./wrappers";
export { AutoresetMode, parseAutoresetMode } from "./vector/autoreset-mode";
export type { Infos, VectorMetadata, VectorResetOptions, VectorStepOptions, VectorStepResult } from "./vector/types";
export { addInfo } from "./vector/batch-infos";
export { VectorEnv } from "./vector/vector-env";
export { SyncVectorEnv } from "./vector/sync-vector-env";
export type { SyncVectorEnvOptions } from "./vector/sync-vector-env";
export { VectorWrapper } from "./vector/wrappers/vector-wrapper";
export { VectorRecordEpisodeStatistics } from "./vector/wrappers/record-episode-statistics";
export type { VectorRecordEpisodeStatisticsOptions } from "./vector/wrappers/record-episode-statistics";
export { VectorTransformReward } from "./vector/wrappers/transform-reward";
export { VectorNormalizeReward } from "./vector/wrappers/normalize-reward";
export type { VectorNormalizeRewardOptions } from "./vector/wrappers/normalize-reward";
export * from "./envs/cartpole";
export { SamSegEnv } from "./envs/sam-seg/sam-seg-env";
export type { SamSegObservation, SamSegObservationSpaces } from "./envs/sam-seg/observation";
export { ActionGrid } from "./envs/sam-seg/action-grid";
export type { DecodedAction, PatchLayout } from "./envs/sam-seg/action-grid";
export { snapPositiveClick } from "./envs/sam-seg/snapping";
export { REFERENCE_COCO_CATEGORIES, SAM_SEG_RENDER_MODES } from "./envs/sam-seg/options";
export type { SamSegEnvOptions, ResolvedSamSegOptions } from "./envs/sam-seg/options";
export { renderSamSegFrame, POSITIVE_CLICK_COLOR, NEGATIVE_CLICK_COLOR, CLICK_RADIUS } from "./envs/sam-seg/render";
export type { SamSegFrameInput } from "./envs/sam-seg/render";
export * from "./rewards";
export * from "./segmenters/promptable-segmenter";
export { SAM_FRAME_SIZE, SAM_LOW_RES_SIZE, samFrame, toFramePoint, lowResToImage } from "./segmenters/sam-frame";
export type { SamFrame } from "./segmenters/sam-frame";
export { GeodesicSegmenter } from "./segmenters/geodesic/geodesic-segmenter";
export type { GeodesicSegmenterOptions } from "./segmenters/geodesic/geodesic-segmenter";
export type { ChromaResolution } from "./segmenters/geodesic/embedding-layout";
export { evaluateSegmenter } from "./segmenters/evaluate-segmenter";
export type {
  EvaluationSample,
  EvaluateSegmenterOptions,
  SampleEvaluation,
  SegmenterEvaluation,
} from "./segmenters/evaluate-segmenter";
export { EmbeddingCache } from "./segmenters/cache/embedding-cache";
export type { EmbeddingCacheOptions, EmbeddingCacheStats } from "./segmenters/cache/embedding-cache";
export { CachedSegmenter } from "./segmenters/cache/cached-segmenter";
export { imageContentHash } from "./segmenters/cache/content-hash";
export * from "./data/dataset";
export * from "./data/draw";
export * from "./data/resize";
export * from "./data/rle";
export * from "./data/polygon";
export * from "./data/jpeg-encoder";
export * from "./data/synthetic/shapes";
export * from "./data/synthetic/scene";
export * from "./metrics";
