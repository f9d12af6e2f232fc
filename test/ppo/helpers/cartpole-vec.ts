// CartPole-v1 vector envs for the PPO tests: the library's SyncVectorEnv (NEXT_STEP autoreset).
import type { Env } from "../../../src/core/env";
import { make } from "../../../src/registry";
import { SyncVectorEnv } from "../../../src/vector";
import { EpisodeRecorder } from "../../../src/ppo/persist/episode-replay";
import type { PpoVectorEnv } from "../../../src/ppo/ppo";

export function cartPoleVec(n: number, maxEpisodeSteps = 500): PpoVectorEnv {
  return new SyncVectorEnv(
    Array.from({ length: n }, () => (): Env<unknown, unknown> => make("CartPole-v1", { maxEpisodeSteps })),
  ) as unknown as PpoVectorEnv;
}

/** A CartPole vector env whose sub-envs are wrapped in EpisodeRecorders (for exact resume). */
export function recordedCartPoleVec(
  n: number,
  maxEpisodeSteps: number,
): { envs: PpoVectorEnv; recorders: EpisodeRecorder[] } {
  const recorders: EpisodeRecorder[] = [];
  const envs = new SyncVectorEnv(
    Array.from({ length: n }, () => (): Env<unknown, unknown> => {
      const r = new EpisodeRecorder(make<unknown, number>("CartPole-v1", { maxEpisodeSteps }));
      recorders.push(r);
      return r as unknown as Env<unknown, unknown>;
    }),
  ) as unknown as PpoVectorEnv;
  return { envs, recorders };
}
