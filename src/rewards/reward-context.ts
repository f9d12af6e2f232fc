import type { NdArray } from "ndarray";

/** One click of an episode: a point in image pixels and its label. */
export interface Click {
  /** Column, image pixels (0 = left). */
  x: number;
  /** Row, image pixels (0 = top). */
  y: number;
  /** true = positive (foreground) click, label 1; false = negative click, label 0. */
  positive: boolean;
}

/**
 * Everything a reward may look at after one click (AlignSAM's reward inputs), for one step.
 * Built by SamSegEnv on every step, or by `makeRewardContext` (alignsam-gym/testing) in tests.
 * Treat it as read-only: the env reuses the arrays between steps.
 */
export interface RewardContext {
  /** Ground truth [H, W] uint8: 1 where any target instance is, else 0. */
  readonly gt: NdArray<Uint8Array>;
  /** Predicted foreground probability [H, W] float32 in [0, 1], after this click. */
  readonly pred: NdArray<Float32Array>;
  /** The prediction before this click [H, W] float32 (0 everywhere before the first click). */
  readonly prevPred: NdArray<Float32Array>;
  /** Every click of the episode so far, oldest first; the last one is this step's click (after snapping). */
  readonly clicks: readonly Click[];
  /** Effective patch size of the action grid, pixels (15.625 for 32 patches on 375x500). */
  readonly patchSize: number;
  /**
   * Soft Dice of `pred` against `gt` (see {@link softDice}); 0 when the env's useDiceScore is off
   * (the reference then ignores segmentation quality in the reward).
   */
  readonly dice: number;
  /** Clicks made so far including this one (1 on the first step). */
  readonly step: number;
}

/**
 * Per-episode memory of the reward, explicit so that reward components stay pure functions.
 * It is the state BEFORE the current step; {@link advanceRewardState} gives the next one.
 */
export interface RewardEpisodeState {
  /** Best `ctx.dice` of the earlier steps of this episode (0 after reset). */
  readonly bestDice: number;
  /** `ctx.dice` of the previous step (0 after reset). */
  readonly previousDice: number;
}

/** The state at the start of an episode: bestDice = previousDice = 0. */
export function initialRewardState(): RewardEpisodeState {
  return { bestDice: 0, previousDice: 0 };
}

/** The state after the step described by `ctx`: best = max(best, dice), previous = dice. */
export function advanceRewardState(state: RewardEpisodeState, ctx: RewardContext): RewardEpisodeState {
  return { bestDice: Math.max(state.bestDice, ctx.dice), previousDice: ctx.dice };
}

/**
 * This step's click: the last of `ctx.clicks`.
 * @throws RangeError when the context has no click (a reward is computed after a click).
 */
export function newestClick(ctx: RewardContext): Click {
  const c = ctx.clicks[ctx.clicks.length - 1];
  if (c === undefined) throw new RangeError("RewardContext has no click: rewards are computed after a click");
  return c;
}

/**
 * Whether ground truth is foreground at the click, read at (trunc(y), trunc(x)) as the reference
 * does. A click outside `gt` counts as background.
 */
export function clickOnForeground(gt: NdArray<Uint8Array>, click: Click): boolean {
  const col = Math.trunc(click.x);
  const row = Math.trunc(click.y);
  const [h, w] = gt.shape as [number, number];
  if (row < 0 || col < 0 || row >= h || col >= w) return false;
  return gt.get(row, col) > 0;
}
