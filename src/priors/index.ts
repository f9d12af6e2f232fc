// Semantic priors: what a category looks like in an image, as maps the explicit agent reads.
// tfjs-free (priors sit beside segmenters, below ppo); networks that need tfjs live in
// src/ppo/priors. The CLIP-Surgery prior (src/priors/clip-*.ts) implements the same interface.
export type { SemanticPriorProvider, PriorMaps } from "./semantic-prior";
export {
  SHAPE_PRIOR_CLASSES,
  SHAPE_PRIOR_INPUT,
  SHAPE_PRIOR_OUTPUT,
  boxDownsample,
  rgbBytes,
  shapePriorInput,
} from "./shape-prior-input";
export { float16ToFloat32, float32ToFloat16 } from "../core/float16";
// Not re-exported here (it would load 430 kB of weights with `import "alignsam-gym"`):
// ./shape-prior-weights, which alignsam-gym/ppo reads.
export { ClipBpeTokenizer, clipTokenize } from "./clip-tokenizer";
export type { ClipTokenizeOptions } from "./clip-tokenizer";
export { CLIP_BPE_FILE, bundledClipBpeMerges, bundledClipBpePath } from "./clip-bpe-merges";
export { clipFeatureSurgery, clipSimilarityMaps } from "./clip-feature-surgery";
export { ClipSurgeryPrior, clipPreprocess } from "./clip-surgery-prior";
export type { ClipSurgeryPriorOptions, ClipPriorMaps } from "./clip-surgery-prior";
export { CLIP_SURGERY_TEMPLATES, CLIP_IMAGE_MEAN, CLIP_IMAGE_STD } from "./clip-templates";
export { LazyClipSurgeryPrior, isClipSurgeryProviderConfig } from "./clip-surgery-provider";
export type { ClipSurgeryProviderConfig } from "./clip-surgery-provider";
