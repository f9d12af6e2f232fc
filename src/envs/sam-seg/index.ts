export { SamSegEnv } from "./sam-seg-env";
export type { SamSegObservation, SamSegObservationSpaces } from "./observation";
export { ActionGrid } from "./action-grid";
export type { DecodedAction, PatchLayout } from "./action-grid";
export { snapPositiveClick } from "./snapping";
export { REFERENCE_COCO_CATEGORIES, SAM_SEG_RENDER_MODES } from "./options";
export type { SamSegEnvOptions, ResolvedSamSegOptions } from "./options";
export { renderSamSegFrame, POSITIVE_CLICK_COLOR, NEGATIVE_CLICK_COLOR, CLICK_RADIUS } from "./render";
export type { SamSegFrameInput } from "./render";
