import type { NdArray } from "ndarray";
import type { Space } from "../../core/space";
import type { Box, Discrete, Text } from "../../spaces";

/** The child spaces of SamSegEnv's Dict observation space. */
export interface SamSegObservationSpaces extends Record<string, Space<unknown>> {
  image: Box<"uint8">;
  numSteps: Discrete;
  samImageEmbeddings: Box<"float32">;
  samPredMaskProb: Box<"float32">;
  targetCategory: Text;
}

/** An observation of SamSegEnv (Dict keys in the space's sorted order). */
export interface SamSegObservation {
  /** The resized RGB image [H, W, 3] uint8 (same array for the whole episode; treat as read-only). */
  image: NdArray<Uint8Array>;
  /** Clicks made so far, 0..maxSteps. */
  numSteps: number;
  /** The segmenter's embedding of the image [C, h, w] float32 (shared, read-only). */
  samImageEmbeddings: NdArray<Float32Array>;
  /** sigmoid of the chosen low-res logits [256, 256] float32 (0.5 everywhere after reset); a fresh array each step. */
  samPredMaskProb: NdArray<Float32Array>;
  /** The target category of the episode. */
  targetCategory: string;
}
