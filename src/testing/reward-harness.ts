import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import type { Click, RewardContext, RewardEpisodeState } from "../rewards/reward-context";
import { advanceRewardState, initialRewardState } from "../rewards/reward-context";
import type { RewardResult } from "../rewards/compose-reward";
import type { RewardPresetOptions, RewardSpec } from "../rewards/presets";
import { resolveReward } from "../rewards/presets";
import { softDice } from "../rewards/soft-dice";
import { InvalidArgumentError } from "../core/errors";
import type { MaskArt } from "./mask-art";
import { maskFromArt, probabilityFromArt } from "./mask-art";

/** Default effective patch size: 32 patches on a 500-pixel-wide image. */
const DEFAULT_PATCH_SIZE = 15.625;

/** A click for the harness: a {@link Click}, or the tuple [x, y, '+' | '-']. */
export type ClickInput = Click | readonly [number, number, "+" | "-"];

/** Inputs of {@link makeRewardContext}. */
export interface RewardContextInput {
  /** Ground truth: string art ("..##..") or a [H, W] array (> 0 = foreground). */
  gt: MaskArt | NdArray<Uint8Array>;
  /** Predicted probability after the click: probability art or a [H, W] float32 array; default all 0. */
  pred?: MaskArt | NdArray<Float32Array>;
  /** The prediction before the click, like pred; default all 0 (as before the first click). */
  prevPred?: MaskArt | NdArray<Float32Array>;
  /** All clicks of the episode so far, oldest first; the newest is the one being rewarded. */
  clicks: readonly ClickInput[];
  /** Effective patch size, pixels (default 15.625, the reference's). */
  patchSize?: number;
  /** Override the Dice (default: soft Dice of pred against gt, as SamSegEnv computes it). */
  dice?: number;
  /** Step number (default: the number of clicks). */
  step?: number;
}

/**
 * Build a {@link RewardContext} from small hand-written masks and clicks: no segmenter, no env.
 *
 * @throws InvalidArgumentError when gt and pred differ in shape or a click is malformed.
 * @example
 * ```ts
 * const ctx = makeRewardContext({
 *   gt:   ["......", "..##..", "..##.."],
 *   pred: ["......", "..##..", "..#..."],
 *   clicks: [{ x: 2, y: 1, positive: true }],
 * });
 * rewardPreset("alignsam").compute(ctx, makeRewardState()); // { reward: 1, terms: {...} }
 * ```
 */
export function makeRewardContext(input: RewardContextInput): RewardContext {
  const gt = isArt(input.gt) ? maskFromArt(input.gt) : input.gt;
  if (gt.dimension !== 2) throw new InvalidArgumentError(`gt must be [H, W], got shape [${gt.shape}]`);
  const [h, w] = gt.shape as [number, number];
  const pred = probabilityInput(input.pred, h, w, "pred");
  const prevPred = probabilityInput(input.prevPred, h, w, "prevPred");
  const clicks = input.clicks.map(toClick);
  const patchSize = input.patchSize ?? DEFAULT_PATCH_SIZE;
  if (!(patchSize > 0) || !Number.isFinite(patchSize))
    throw new InvalidArgumentError(`patchSize must be a positive number, got ${patchSize}`);
  return {
    gt,
    pred,
    prevPred,
    clicks,
    patchSize,
    dice: input.dice ?? softDice(gt, pred),
    step: input.step ?? clicks.length,
  };
}

/** A reward state (defaults: bestDice = previousDice = 0, as after reset). */
export function makeRewardState(state: Partial<RewardEpisodeState> = {}): RewardEpisodeState {
  return { ...initialRewardState(), ...state };
}

/** One step of {@link runRewardEpisode}: the new click and the prediction after it. */
export interface RewardStepInput {
  click: ClickInput;
  pred?: MaskArt | NdArray<Float32Array>;
  dice?: number;
}

/**
 * Evaluate a reward over a scripted episode, carrying the per-episode state as SamSegEnv does
 * (state starts at bestDice = previousDice = 0 and advances after each step; each step's
 * prevPred is the previous step's pred).
 *
 * @returns one {@link RewardResult} per step.
 * @example
 * ```ts
 * const results = runRewardEpisode("dice-gain", {
 *   gt: [".##.", ".##."],
 *   steps: [{ click: [1, 0, "+"], pred: [".#..", ".#.."] }, { click: [2, 1, "+"], pred: [".##.", ".##."] }],
 * });
 * results.map((r) => r.reward); // ~[0.667, 0.333]
 * ```
 */
export function runRewardEpisode(
  reward: RewardSpec,
  episode: { gt: MaskArt | NdArray<Uint8Array>; steps: readonly RewardStepInput[]; patchSize?: number },
  opts: RewardPresetOptions = {},
): RewardResult[] {
  const r = resolveReward(reward, opts);
  let state = initialRewardState();
  const clicks: ClickInput[] = [];
  let prevPred: MaskArt | NdArray<Float32Array> | undefined;
  return episode.steps.map((s) => {
    clicks.push(s.click);
    const ctx = makeRewardContext({
      gt: episode.gt,
      clicks,
      ...(s.pred !== undefined ? { pred: s.pred } : {}),
      ...(prevPred !== undefined ? { prevPred } : {}),
      ...(s.dice !== undefined ? { dice: s.dice } : {}),
      ...(episode.patchSize !== undefined ? { patchSize: episode.patchSize } : {}),
    });
    const result = r.compute(ctx, state);
    state = advanceRewardState(state, ctx);
    prevPred = ctx.pred;
    return result;
  });
}

function probabilityInput(
  v: MaskArt | NdArray<Float32Array> | undefined,
  h: number,
  w: number,
  name: string,
): NdArray<Float32Array> {
  const p = v === undefined ? ndarray(new Float32Array(h * w), [h, w]) : isArt(v) ? probabilityFromArt(v) : v;
  if (p.dimension !== 2 || p.shape[0] !== h || p.shape[1] !== w) {
    throw new InvalidArgumentError(`${name} must have the shape of gt [${h}, ${w}], got [${p.shape}]`);
  }
  return p;
}

function isArt(v: unknown): v is MaskArt {
  return typeof v === "string" || Array.isArray(v);
}

function toClick(c: ClickInput, i: number): Click {
  if (Array.isArray(c)) {
    const [x, y, sign] = c as readonly [number, number, string];
    if (sign !== "+" && sign !== "-")
      throw new InvalidArgumentError(`click ${i}: label must be '+' or '-', got ${JSON.stringify(sign)}`);
    return checkClick({ x, y, positive: sign === "+" }, i);
  }
  return checkClick({ ...(c as Click) }, i);
}

function checkClick(c: Click, i: number): Click {
  if (!Number.isFinite(c.x) || !Number.isFinite(c.y) || typeof c.positive !== "boolean") {
    throw new InvalidArgumentError(
      `click ${i} must have finite x, y and a boolean 'positive', got ${JSON.stringify(c)}`,
    );
  }
  return c;
}
