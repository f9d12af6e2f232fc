// Evaluation during training (`train --eval-every N --eval-episodes M`): the current agent's
// greedy policy on held-out episodes, scored the way `eval` scores it. Loaded with
// training-session (imports tfjs through ./evaluation).
import type { Env } from "../core/env";
import { Rng } from "../core/rng";
import * as registry from "../registry";
import type { ActorCritic } from "../ppo";
import { evalEnvKwargs, makeEvalPolicy } from "./evaluation";

/** Seed of the first held-out episode: `eval`'s default (training resets use small seeds from 1). */
export const EVAL_SEED = 1_000_000;

/** Safety cap on one evaluation episode's steps when the env has no limit of its own. */
const STEP_CAP = 100_000;

/** Scores of one evaluation: means over the episodes; IoU/Dice are null for envs without them. */
export interface PeriodicEvalResult {
  episodes: number;
  meanReturn: number;
  meanLength: number;
  finalIou: number | null;
  finalDice: number | null;
}

/**
 * Runs the greedy policy of a (training) agent for `episodes` episodes on a separate env built
 * like `eval` builds it: the training env options with, for SamSegEnv-v0 on generated images, the
 * held-out synthetic set (see evalEnvKwargs). Episode i resets with seed EVAL_SEED + i, so every
 * evaluation of a run scores the same episodes. The env is made on first use and kept.
 *
 * @example
 * ```ts
 * const evaluator = new PeriodicEvaluator("CartPole-v1", {}, agent, 10);
 * const { meanReturn } = await evaluator.run();
 * await evaluator.close();
 * ```
 */
export class PeriodicEvaluator {
  private env: Env<unknown, number> | null = null;
  /** The held-out image set used (null when the env's own options were kept). */
  readonly heldOut: Record<string, unknown> | null;
  private readonly kwargs: Record<string, unknown>;

  constructor(
    readonly envId: string,
    trainKwargs: Record<string, unknown>,
    private readonly agent: ActorCritic,
    readonly episodes: number,
  ) {
    const { kwargs, heldOut } = evalEnvKwargs(envId, trainKwargs, {});
    this.kwargs = kwargs;
    this.heldOut = heldOut;
  }

  /** Evaluate now. */
  async run(): Promise<PeriodicEvalResult> {
    this.env ??= registry.make<unknown, number>(this.envId, { ...this.kwargs });
    const env = this.env;
    const policy = makeEvalPolicy("greedy", this.agent, env, new Rng(EVAL_SEED));
    let sumReturn = 0,
      sumLength = 0,
      sumIou = 0,
      sumDice = 0,
      withIou = 0;
    for (let ep = 0; ep < this.episodes; ep++) {
      let [obs] = await env.reset({ seed: EVAL_SEED + ep });
      policy.reset();
      let ret = 0,
        length = 0,
        iou = NaN,
        dice = NaN;
      for (; length < STEP_CAP;) {
        const [next, reward, terminated, truncated, info] = await env.step(await policy.act(obs));
        obs = next;
        ret += reward;
        length++;
        if (typeof info["iou"] === "number") iou = info["iou"];
        if (typeof info["dice"] === "number") dice = info["dice"];
        if (terminated || truncated) break;
      }
      sumReturn += ret;
      sumLength += length;
      if (Number.isFinite(iou)) {
        withIou++;
        sumIou += iou;
        sumDice += Number.isFinite(dice) ? dice : 0;
      }
    }
    const n = Math.max(1, this.episodes);
    return {
      episodes: this.episodes,
      meanReturn: sumReturn / n,
      meanLength: sumLength / n,
      finalIou: withIou > 0 ? sumIou / withIou : null,
      finalDice: withIou > 0 ? sumDice / withIou : null,
    };
  }

  /** Close the evaluation env. */
  async close(): Promise<void> {
    await this.env?.close();
    this.env = null;
  }
}

/** The score `best.bin` keeps the maximum of: final IoU when the env reports it, else the mean return. */
export function evalScore(r: PeriodicEvalResult): number {
  return r.finalIou ?? r.meanReturn;
}
