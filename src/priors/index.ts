export { ClipBpeTokenizer, clipTokenize } from "./clip-tokenizer";
export type { ClipTokenizeOptions } from "./clip-tokenizer";
export { CLIP_BPE_FILE, bundledClipBpeMerges, bundledClipBpePath } from "./clip-bpe-merges";
export { clipFeatureSurgery, clipSimilarityMaps } from "./clip-feature-surgery";
export { ClipSurgeryPrior, clipPreprocess } from "./clip-surgery-prior";
export type { ClipSurgeryPriorOptions, ClipPriorMaps } from "./clip-surgery-prior";
export { CLIP_SURGERY_TEMPLATES, CLIP_IMAGE_MEAN, CLIP_IMAGE_STD } from "./clip-templates";
export { LazyClipSurgeryPrior, isClipSurgeryProviderConfig } from "./clip-surgery-provider";
export type { ClipSurgeryProviderConfig } from "./clip-surgery-provider";
