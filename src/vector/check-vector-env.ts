import { EnvCheckError } from "../core/errors";
import { batchSpace } from "../spaces";
import { AutoresetMode } from "./autoreset-mode";
import type { Infos } from "./types";
import type { VectorEnv } from "./vector-env";

/** Options of {@link checkVectorEnv}. */
export interface CheckVectorEnvOptions {
  /** Seed of the resets and of the sampled actions (default 0). */
  seed?: number;
  /** Steps of random actions to look for an episode end (default 1000). */
  maxSteps?: number;
}

/** What {@link checkVectorEnv} saw. */
export interface VectorEnvCheckReport {
  /** The declared `metadata.autoresetMode`. */
  declared: AutoresetMode;
  /** The mode the steps after an episode end showed; null when no episode ended within maxSteps (or DISABLED). */
  observed: AutoresetMode | null;
  /** Random steps taken. */
  steps: number;
  /** Per sub-env: its seed after `reset({ seed })` (null when the env does not expose rngSeed). */
  subEnvSeeds: Array<number | null>;
}

function fail(check: string, message: string): never {
  throw new EnvCheckError(`vector ${check}`, message);
}

/** A stable text form of a batched value (typed arrays, NdArrays, plain values), for equality. */
function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    if (v !== null && typeof v === "object" && "data" in v && "shape" in v) {
      const nd = v as { data: ArrayLike<number>; shape: number[]; size: number; get(...i: number[]): number };
      const out: number[] = [];
      const idx = new Array<number>(nd.shape.length).fill(0);
      for (let k = 0; k < nd.size; k++) {
        out.push(nd.get(...idx));
        for (let d = nd.shape.length - 1; d >= 0; d--) {
          if (++idx[d]! < nd.shape[d]!) break;
          idx[d] = 0;
        }
      }
      return { shape: nd.shape, data: out };
    }
    return v;
  });
}

/** Every info key has a `_key` mask of numEnvs booleans, and every value is batched (recursively). */
function checkInfos(infos: Infos, n: number, where: string): void {
  if (typeof infos !== "object" || infos === null || Array.isArray(infos))
    fail("infos", `${where}: infos must be a plain object, got ${String(infos)}`);
  for (const [key, value] of Object.entries(infos)) {
    if (key.startsWith("_")) {
      if (!(key.slice(1) in infos)) fail("info masks", `${where}: mask ${key} has no key ${key.slice(1)}`);
      if (!Array.isArray(value) || value.length !== n || !value.every((b) => typeof b === "boolean")) {
        fail("info masks", `${where}: mask ${key} must be boolean[${n}], got ${fingerprint(value).slice(0, 80)}`);
      }
      continue;
    }
    const mask = infos[`_${key}`];
    if (!Array.isArray(mask)) fail("info masks", `${where}: info key ${JSON.stringify(key)} has no mask _${key}`);
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
      checkInfos(value as Infos, n, `${where}.${key}`);
    } else if (!(Array.isArray(value) || ArrayBuffer.isView(value)) || (value as ArrayLike<unknown>).length !== n) {
      fail("info batching", `${where}: info ${JSON.stringify(key)} must be an array of ${n} values (one per sub-env)`);
    }
  }
}

/**
 * Check a vector env against the Gymnasium 1.x vector API, beyond what the single-env checker
 * sees (Gymnasium and SB3 have no such checker):
 * - the batched spaces are `batchSpace(single, numEnvs)` and every observation lies in them;
 * - `reset({ seed })` twice gives the same observations, and every sub-env i is seeded with
 *   seed + i (when the sub-envs expose `rngSeed`);
 * - rewards are Float64Array[numEnvs], the flags boolean[numEnvs], and every info key has its
 *   `_key` mask of numEnvs booleans (nested infos too);
 * - the declared `metadata.autoresetMode` is what happens: after an episode ends (random
 *   actions, up to maxSteps), NEXT_STEP gives reward 0 and no flags on the next step for that
 *   sub-env, SAME_STEP reports `finalObs` with its mask on the ending step.
 * Leaves the vector env reset with `seed` and stepped; does not close it.
 * @throws EnvCheckError naming the check and what was wrong.
 *
 * @example
 * ```ts
 * const report = await checkVectorEnv(makeVec("CartPole-v1", 2));
 * report.observed; // "NextStep"
 * ```
 */
export async function checkVectorEnv(
  envs: VectorEnv,
  options: CheckVectorEnvOptions = {},
): Promise<VectorEnvCheckReport> {
  const seed = options.seed ?? 0;
  const maxSteps = options.maxSteps ?? 1000;
  const n = envs.numEnvs;
  if (!Number.isSafeInteger(n) || n < 1) fail("numEnvs", `numEnvs must be a positive integer, got ${n}`);
  if (!envs.observationSpace.equals(batchSpace(envs.singleObservationSpace, n))) {
    fail(
      "spaces",
      `observationSpace ${envs.observationSpace.toString()} is not the batch of ${envs.singleObservationSpace.toString()} x${n}`,
    );
  }
  if (!envs.actionSpace.equals(batchSpace(envs.singleActionSpace, n))) {
    fail(
      "spaces",
      `actionSpace ${envs.actionSpace.toString()} is not the batch of ${envs.singleActionSpace.toString()} x${n}`,
    );
  }
  const declared = envs.metadata.autoresetMode;
  if (!Object.values(AutoresetMode).includes(declared))
    fail("autoreset mode", `metadata.autoresetMode must be an AutoresetMode, got ${String(declared)}`);

  const [obs1, infos1] = await envs.reset({ seed });
  if (!envs.observationSpace.contains(obs1)) fail("reset", "the reset observation is not in observationSpace");
  checkInfos(infos1, n, "reset infos");
  let subEnvSeeds: Array<number | null> = new Array<number | null>(n).fill(null);
  try {
    subEnvSeeds = ((await envs.getAttr("rngSeed")) as unknown[]).map((s) => (typeof s === "number" ? s : null));
  } catch {
    // sub-envs without rngSeed: only the determinism check below applies
  }
  subEnvSeeds.forEach((s, i) => {
    if (s !== null && s !== seed + i)
      fail("seeding", `reset({ seed: ${seed} }) seeded sub-env ${i} with ${s}, expected ${seed + i} (seed + index)`);
  });
  const [obs2] = await envs.reset({ seed });
  if (fingerprint(obs1) !== fingerprint(obs2))
    fail("seeding", `two reset({ seed: ${seed} }) calls gave different observations`);

  envs.actionSpace.seed(seed);
  let observed: AutoresetMode | null = null;
  let ended = new Array<boolean>(n).fill(false);
  let steps = 0;
  for (; steps < maxSteps && observed === null; steps++) {
    const [obs, rewards, terminated, truncated, infos] = await envs.step(envs.actionSpace.sample());
    const where = `step ${steps + 1}`;
    if (!envs.observationSpace.contains(obs)) fail("step", `${where}: the observation is not in observationSpace`);
    if (!(rewards instanceof Float64Array) || rewards.length !== n)
      fail("step", `${where}: rewards must be a Float64Array of ${n}`);
    for (const [name, flags] of [
      ["terminated", terminated],
      ["truncated", truncated],
    ] as const) {
      if (!Array.isArray(flags) || flags.length !== n || !flags.every((b) => typeof b === "boolean"))
        fail("step", `${where}: ${name} must be boolean[${n}]`);
    }
    checkInfos(infos, n, `${where} infos`);
    for (let i = 0; i < n && observed === null; i++) {
      if (ended[i]) {
        const looksReset = rewards[i] === 0 && !terminated[i] && !truncated[i];
        if (declared === AutoresetMode.NEXT_STEP && !looksReset) {
          fail(
            "autoreset mode",
            `declared NextStep, but the step after sub-env ${i}'s episode ended gave reward ${rewards[i]}, terminated ${terminated[i]}, truncated ${truncated[i]} (expected 0, false, false)`,
          );
        }
        if (declared === AutoresetMode.NEXT_STEP) observed = AutoresetMode.NEXT_STEP;
      }
      if (terminated[i] || truncated[i]) {
        const finalMask = infos["_finalObs"] as boolean[] | undefined;
        const hasFinal = Array.isArray(finalMask) && finalMask[i] === true;
        if (declared === AutoresetMode.SAME_STEP && !hasFinal) {
          fail(
            "autoreset mode",
            `declared SameStep, but sub-env ${i}'s ending step has no infos.finalObs (mask _finalObs[${i}])`,
          );
        }
        if (declared !== AutoresetMode.SAME_STEP && hasFinal) {
          fail(
            "autoreset mode",
            `declared ${declared}, but sub-env ${i}'s ending step reports infos.finalObs as SameStep does`,
          );
        }
        if (declared === AutoresetMode.SAME_STEP) observed = AutoresetMode.SAME_STEP;
        if (declared === AutoresetMode.DISABLED) return { declared, observed: null, steps: steps + 1, subEnvSeeds };
      }
    }
    ended = terminated.map((t, i) => t || (truncated[i] as boolean));
  }
  return { declared, observed, steps, subEnvSeeds };
}
