import type { NdArray } from "ndarray";
import type { Click, RewardEpisodeState } from "../../rewards/reward-context";

/** The state of the current episode. Replaced as a whole on reset, so a failed reset changes nothing. */
export interface Episode {
  category: string;
  source: string | undefined;
  image: NdArray<Uint8Array>;
  instances: NdArray<Uint8Array>;
  gt: NdArray<Uint8Array>;
  embedding: NdArray<Float32Array>;
  clicks: Click[];
  numSteps: number;
  lastReward: number;
  rewardState: RewardEpisodeState;
  bestDice: number;
  /** The chosen low-res logits of the last step (fed back with feedMaskInput), or null. */
  lowRes: NdArray<Float32Array> | null;
  /** Which of the two full-resolution probability buffers holds the current map. */
  predIndex: 0 | 1;
  maskProb: NdArray<Float32Array>;
}
