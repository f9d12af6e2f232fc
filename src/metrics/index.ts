export type { MaskLike } from "./binary-grid";
export { iou, dice } from "./overlap";
export { distanceTransform } from "./distance-transform";
export { nextClick } from "./click-simulator";
export type { SimulatedClick, NextClickOptions } from "./click-simulator";
export { nocAt, nofAt, meanNocAt, meanIouAt } from "./click-metrics";
