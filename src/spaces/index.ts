// Spaces (Gymnasium's gymnasium.spaces): the sets of valid actions and observations, plus the
// flatten utilities and the vector-env batching utilities.
export { Space } from "../core/space";
export type { SpaceDescription } from "../core/space";
export * from "./dtypes";
export { Box } from "./box";
export type { BoxOptions, ArrayArg, NestedNumbers } from "./box";
export { Discrete } from "./discrete";
export type { DiscreteOptions } from "./discrete";
export { MultiDiscrete } from "./multi-discrete";
export type { MultiDiscreteOptions } from "./multi-discrete";
export { MultiBinary } from "./multi-binary";
export { Text, ALPHANUMERIC } from "./text";
export type { TextSpaceOptions, TextMask } from "./text";
export { Tuple } from "./tuple";
export type { TupleValue } from "./tuple";
export { Dict } from "./dict";
export type { DictValue, DictEntries } from "./dict";
export type { SpaceSeed, SpaceValue } from "./seeding";
export type { SpaceSampleOptions } from "./sampling";
export { spaceFromJSON, registerSpaceType } from "./from-json";
export type { SpaceReviver } from "./from-json";
export { batchSpace, iterate, concatenate, createEmptyArray } from "./batch";
export type { EmptyArrayFill } from "./batch";
export { flatdim, flatten, unflatten, flattenSpace } from "./flatten";
