// The alignsam-gym command line (bin: lib/cli/main.js). Commands load tfjs lazily.
export { createProgram } from "./main";
// The programs behind the commands, as a library for bench/ (which must not reach into cli files).
export { runTraining } from "./training-session";
export { runEvaluation } from "./evaluation";
export { movingAverage, renderFigurePng } from "./plot";
export type { Series } from "./plot";
export { datasetSamples, grabCutSamples } from "./commands/evaluation-samples";
export { formatEvaluation } from "./commands/evaluate-segmenter";
export { MANIFEST_FORMAT, ManifestWriter, manifestDir, manifestName, readManifests } from "./embed/manifest";
export type { ShardManifest } from "./embed/manifest";
export { embedShard, entryDir } from "./embed/embed-shard";
export { verifyCoverage } from "./embed/verify-cache";
