import type { RngState } from "../../core/rng";
import type { AdamState } from "../nn/adam";

/** Everything needed to continue training exactly where it stopped (see checkpoint.ts). */
export interface PpoTrainerState {
  /** Iterations completed. */
  iteration: number;
  globalStep: number;
  actionRng: RngState;
  shuffleRng: RngState;
  optimizer: AdamState;
  /** Per env: whether its next row is a NEXT_STEP reset row (its last step ended an episode). */
  nextResetRow: boolean[];
  /** Per env: return and length of the episode in progress. */
  episodeReturn: number[];
  episodeLength: number[];
  /**
   * Per env: the actions of the current episode the agent's no-repeat mask remembers (absent when
   * the agent masks nothing; see EpisodeActionMask).
   */
  takenActions?: number[][];
}
