// Spaces (Gymnasium's gymnasium.spaces): the sets of valid actions and observations.
export { Space } from "../core/space";
export type { SpaceDescription } from "../core/space";
export * from "./dtypes";
export { Box, formatNumber } from "./box";
export type { BoxOptions, ArrayArg, NestedNumbers } from "./box";
export { Discrete } from "./discrete";
export type { DiscreteOptions } from "./discrete";
export { Tuple } from "./tuple";
export type { TupleValue } from "./tuple";
export { Dict } from "./dict";
export type { DictValue, DictEntries } from "./dict";
export type { SpaceSeed, SpaceValue } from "./seeding";
export type { SampleOptions } from "./sampling";
export { spaceFromJSON, registerSpaceType } from "./from-json";
export type { SpaceReviver } from "./from-json";
