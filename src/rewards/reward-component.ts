import type { RewardContext, RewardEpisodeState } from "./reward-context";

/**
 * One term of a reward: a pure function of this step's context and the episode's reward state.
 * `name` keys the term's value in `info.rewardTerms`.
 *
 * @example
 * ```ts
 * const clickCount: RewardComponent = { name: "clickCount", compute: (ctx) => -0.1 * ctx.step };
 * ```
 */
export interface RewardComponent {
  /** Key of the term in info.rewardTerms (unique within a composed reward). */
  readonly name: string;
  /** The term's value for this step; must be finite. Must not mutate ctx or state. */
  compute(ctx: RewardContext, state: RewardEpisodeState): number;
}

/** A user reward: any function of the context (and state) returning a finite number. */
export type RewardFunction = (ctx: RewardContext, state: RewardEpisodeState) => number;
