// A minimal NEXT_STEP-autoreset vector env for the PPO tests (a test double: the library's own
// SyncVectorEnv is tested in test/vector). Box observations are batched into [N, ...shape].
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import type { Env } from "../../../src/core/env";
import type { Space } from "../../../src/core/space";
import type { PpoVectorEnv } from "../../../src/ppo/ppo";
import { CartPoleEnv } from "../../../src/envs/cartpole/cartpole";
import { TimeLimit } from "../../../src/wrappers/time-limit";

export class NextStepVectorEnv implements PpoVectorEnv {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space;
  readonly singleActionSpace: Space;
  readonly envs: Env<NdArray<Float32Array>, number>[];
  private readonly ended: boolean[];
  private readonly size: number;

  constructor(envs: Env<NdArray<Float32Array>, number>[]) {
    this.envs = envs;
    this.numEnvs = envs.length;
    this.singleObservationSpace = envs[0]!.observationSpace;
    this.singleActionSpace = envs[0]!.actionSpace;
    this.ended = envs.map(() => false);
    this.size = (this.singleObservationSpace.shape as number[]).reduce((a, b) => a * b, 1);
  }

  private batch(obs: NdArray<Float32Array>[]): NdArray<Float32Array> {
    const data = new Float32Array(this.numEnvs * this.size);
    obs.forEach((o, i) => data.set(o.data.subarray(0, this.size), i * this.size));
    return ndarray(data, [this.numEnvs, ...(this.singleObservationSpace.shape as number[])]);
  }

  async reset(opts: { seed?: number | number[] } = {}): Promise<[unknown, Record<string, unknown>]> {
    const obs: NdArray<Float32Array>[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      const seed = typeof opts.seed === "number" ? opts.seed + i : opts.seed?.[i];
      obs.push((await this.envs[i]!.reset(seed === undefined ? {} : { seed }))[0]);
      this.ended[i] = false;
    }
    return [this.batch(obs), {}];
  }

  async step(actions: Int32Array): Promise<[unknown, Float64Array, boolean[], boolean[], Record<string, unknown>]> {
    const obs: NdArray<Float32Array>[] = [];
    const rewards = new Float64Array(this.numEnvs);
    const terminated: boolean[] = [];
    const truncated: boolean[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.ended[i]) {
        obs.push((await this.envs[i]!.reset())[0]);
        terminated.push(false);
        truncated.push(false);
        this.ended[i] = false;
        continue;
      }
      const [o, r, term, trunc] = await this.envs[i]!.step(actions[i]!);
      obs.push(o);
      rewards[i] = r;
      terminated.push(term);
      truncated.push(trunc);
      this.ended[i] = term || trunc;
    }
    return [this.batch(obs), rewards, terminated, truncated, {}];
  }

  async close(): Promise<void> {
    for (const e of this.envs) await e.close();
  }
}

export function cartPoleVec(n: number, maxEpisodeSteps = 500): NextStepVectorEnv {
  return new NextStepVectorEnv(Array.from({ length: n }, () => new TimeLimit(new CartPoleEnv(), maxEpisodeSteps) as unknown as Env<NdArray<Float32Array>, number>));
}
