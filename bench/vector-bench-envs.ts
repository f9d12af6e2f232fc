// Envs for bench/vector.bench.ts, loaded by path inside AsyncVectorEnv workers too.
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { Env } from "../src/core";
import type { Info, ResetOptions, StepResult } from "../src/core";
import { Box, Dict, Discrete } from "../src/spaces";

/** Absolute path of this module, for AsyncVectorEnv env specs. */
export const BENCH_ENVS_MODULE = __filename;

/** Deterministic CPU work: `iterations` rounds of an integer hash; returns the hash. */
export function burn(iterations: number, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < iterations; i++) h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) + i;
  return h;
}

/** A CPU-bound env: every step runs `iterations` rounds of burn() (calibrated to ~2 ms). */
export class BusyEnv extends Env<NdArray<Float32Array>, number> {
  readonly observationSpace = new Box({ low: -Infinity, high: Infinity, shape: [4], dtype: "float32" });
  readonly actionSpace = new Discrete(2);
  constructor(private readonly iterations: number) {
    super();
  }
  async reset(opts?: ResetOptions): Promise<[NdArray<Float32Array>, Info]> {
    this.seedRng(opts?.seed);
    return [ndarray(new Float32Array(4), [4]), {}];
  }
  async step(action: number): Promise<StepResult<NdArray<Float32Array>>> {
    const h = burn(this.iterations, action);
    return [ndarray(Float32Array.of(h & 255, 0, 0, 0), [4]), 1, false, false, {}];
  }
}

/**
 * An env with SamSeg-sized observations: {embedding: [256, 64, 64] float32, map: [256, 256]
 * float32}. Its own work per step is writing those two arrays (one value changes per step).
 */
export class BigObsEnv extends Env<Record<string, NdArray<Float32Array>>, number> {
  readonly observationSpace = new Dict({
    embedding: new Box({ low: -Infinity, high: Infinity, shape: [256, 64, 64], dtype: "float32" }),
    map: new Box({ low: 0, high: 1, shape: [256, 256], dtype: "float32" }),
  });
  readonly actionSpace = new Discrete(2);
  private readonly embedding = new Float32Array(256 * 64 * 64);
  private readonly map = new Float32Array(256 * 256);
  private t = 0;
  async reset(opts?: ResetOptions): Promise<[Record<string, NdArray<Float32Array>>, Info]> {
    this.seedRng(opts?.seed);
    this.t = 0;
    return [this.obs(), {}];
  }
  async step(_action: number): Promise<StepResult<Record<string, NdArray<Float32Array>>>> {
    this.t += 1;
    return [this.obs(), 0, false, false, {}];
  }
  private obs(): Record<string, NdArray<Float32Array>> {
    this.embedding.fill(this.t % 7);
    this.map.fill((this.t % 2) * 0.5);
    return { embedding: ndarray(this.embedding, [256, 64, 64]), map: ndarray(this.map, [256, 256]) };
  }
}
