// Golden step-by-step tables of the scripted CounterEnvs (fixtures/toy-envs.ts, GOLDEN_SCRIPTS)
// under each autoreset mode, worked out by hand from Gymnasium 1.x semantics. Both SyncVectorEnv
// and AsyncVectorEnv must reproduce them exactly.
import { ResetNeededError } from "../../src/core";
import type { VectorEnv } from "../../src/vector";

/** A JSON-comparable record of one reset or step. */
export interface Row {
  op: string;
  obs: unknown;
  rewards?: number[];
  terminated?: boolean[];
  truncated?: boolean[];
  infos: unknown;
  error?: string;
}

/** NdArrays -> nested arrays, typed arrays -> arrays, recursively (for strict comparisons). */
export function plain(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  const nd = v as { shape?: number[]; stride?: number[]; offset?: number; data?: ArrayLike<number> };
  if (Array.isArray(nd.shape) && Array.isArray(nd.stride) && nd.data !== undefined) {
    const rec = (dim: number, off: number): unknown =>
      dim === nd.shape!.length ? nd.data![off] : Array.from({ length: nd.shape![dim]! }, (_, i) => rec(dim + 1, off + i * nd.stride![dim]!));
    return rec(0, nd.offset ?? 0);
  }
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}

/** One scripted call: a reset (with seed / resetMask) or a step with the given actions. */
export type Call = { reset: { seed?: number; resetMask?: boolean[] } } | { step: number[] };

/** Run `calls` on `envs` and record every result (errors are recorded by class name). */
export async function runCalls(envs: VectorEnv, calls: Call[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const c of calls) {
    try {
      if ("reset" in c) {
        const options = c.reset.resetMask ? { resetMask: c.reset.resetMask } : undefined;
        const [obs, infos] = await envs.reset({ seed: c.reset.seed, options });
        rows.push({ op: "reset", obs: plain(obs), infos: plain(infos) });
      } else {
        const [obs, rewards, terminated, truncated, infos] = await envs.step(Int32Array.from(c.step) as never);
        rows.push({ op: "step", obs: plain(obs), rewards: Array.from(rewards), terminated, truncated, infos: plain(infos) });
      }
    } catch (e) {
      rows.push({ op: "reset" in c ? "reset" : "step", obs: null, infos: null, error: (e as Error).name });
      if (!(e instanceof ResetNeededError)) throw e;
    }
  }
  return rows;
}

const T = true;
const F = false;
const t2 = (a: number, b: number) => ({ t: [a, b], _t: [T, T] });

/** reset(seed 0) then 8 steps with actions [k % 2, 1 - k % 2]. */
export const STEP_CALLS: Call[] = [{ reset: { seed: 0 } }, ...Array.from({ length: 8 }, (_, k) => ({ step: [k % 2, 1 - (k % 2)] }))];

/** NEXT_STEP: the step after an end resets (reward 0, flags false, reset obs and info {t: 0}). */
export const NEXT_STEP_TABLE: Row[] = [
  { op: "reset", obs: [[0, 0, 0], [1, 0, 0]], infos: t2(0, 0) },
  { op: "step", obs: [[0, 0, 1], [1, 0, 1]], rewards: [1, 1], terminated: [F, F], truncated: [F, F], infos: t2(1, 1) },
  { op: "step", obs: [[0, 0, 2], [1, 0, 2]], rewards: [2, 2], terminated: [F, F], truncated: [F, T], infos: t2(2, 2) },
  { op: "step", obs: [[0, 0, 3], [1, 1, 0]], rewards: [3, 0], terminated: [T, F], truncated: [F, F], infos: t2(3, 0) },
  { op: "step", obs: [[0, 1, 0], [1, 1, 1]], rewards: [0, 1], terminated: [F, F], truncated: [F, F], infos: t2(0, 1) },
  { op: "step", obs: [[0, 1, 1], [1, 1, 2]], rewards: [1, 2], terminated: [F, F], truncated: [F, F], infos: t2(1, 2) },
  { op: "step", obs: [[0, 1, 2], [1, 1, 3]], rewards: [2, 3], terminated: [F, F], truncated: [T, F], infos: t2(2, 3) },
  { op: "step", obs: [[0, 2, 0], [1, 1, 4]], rewards: [0, 4], terminated: [F, T], truncated: [F, F], infos: t2(0, 4) },
  { op: "step", obs: [[0, 2, 1], [1, 2, 0]], rewards: [1, 0], terminated: [F, F], truncated: [F, F], infos: t2(1, 0) },
];

/** Infos of a SAME_STEP step where env `i` ended with final obs `fo` and final t `ft`. */
function sameStepInfos(t: [number, number], finals: (null | { obs: number[]; t: number })[]) {
  return {
    t: t,
    _t: [T, T],
    finalObs: finals.map((f) => (f === null ? null : f.obs)),
    _finalObs: finals.map((f) => f !== null),
    finalInfo: { t: finals.map((f) => (f === null ? 0 : f.t)), _t: finals.map((f) => f !== null) },
    _finalInfo: finals.map((f) => f !== null),
  };
}

/** SAME_STEP: the ending step returns the reset obs, reset info, and finalObs / finalInfo. */
export const SAME_STEP_TABLE: Row[] = [
  { op: "reset", obs: [[0, 0, 0], [1, 0, 0]], infos: t2(0, 0) },
  { op: "step", obs: [[0, 0, 1], [1, 0, 1]], rewards: [1, 1], terminated: [F, F], truncated: [F, F], infos: t2(1, 1) },
  { op: "step", obs: [[0, 0, 2], [1, 1, 0]], rewards: [2, 2], terminated: [F, F], truncated: [F, T], infos: sameStepInfos([2, 0], [null, { obs: [1, 0, 2], t: 2 }]) },
  { op: "step", obs: [[0, 1, 0], [1, 1, 1]], rewards: [3, 1], terminated: [T, F], truncated: [F, F], infos: sameStepInfos([0, 1], [{ obs: [0, 0, 3], t: 3 }, null]) },
  { op: "step", obs: [[0, 1, 1], [1, 1, 2]], rewards: [1, 2], terminated: [F, F], truncated: [F, F], infos: t2(1, 2) },
  { op: "step", obs: [[0, 2, 0], [1, 1, 3]], rewards: [2, 3], terminated: [F, F], truncated: [T, F], infos: sameStepInfos([0, 3], [{ obs: [0, 1, 2], t: 2 }, null]) },
  { op: "step", obs: [[0, 2, 1], [1, 2, 0]], rewards: [1, 4], terminated: [F, T], truncated: [F, F], infos: sameStepInfos([1, 0], [null, { obs: [1, 1, 4], t: 4 }]) },
  { op: "step", obs: [[0, 2, 2], [1, 2, 1]], rewards: [2, 1], terminated: [F, F], truncated: [F, F], infos: t2(2, 1) },
  {
    op: "step",
    obs: [[0, 3, 0], [1, 3, 0]],
    rewards: [3, 2],
    terminated: [T, F],
    truncated: [F, T],
    infos: sameStepInfos([0, 0], [{ obs: [0, 2, 3], t: 3 }, { obs: [1, 2, 2], t: 2 }]),
  },
];

/** DISABLED: stepping an ended env fails (state unchanged); resetMask resets only the ended env. */
export const DISABLED_CALLS: Call[] = [
  { reset: { seed: 0 } },
  { step: [1, 1] },
  { step: [1, 1] },
  { step: [1, 1] },
  { reset: { resetMask: [false, true] } },
  { step: [0, 0] },
  { step: [0, 0] },
  { reset: { resetMask: [true, false] } },
  { step: [1, 0] },
];

export const DISABLED_TABLE: Row[] = [
  { op: "reset", obs: [[0, 0, 0], [1, 0, 0]], infos: t2(0, 0) },
  { op: "step", obs: [[0, 0, 1], [1, 0, 1]], rewards: [1, 1], terminated: [F, F], truncated: [F, F], infos: t2(1, 1) },
  { op: "step", obs: [[0, 0, 2], [1, 0, 2]], rewards: [2, 2], terminated: [F, F], truncated: [F, T], infos: t2(2, 2) },
  { op: "step", obs: null, infos: null, error: "ResetNeededError" },
  { op: "reset", obs: [[0, 0, 2], [1, 1, 0]], infos: { t: [0, 0], _t: [F, T] } },
  { op: "step", obs: [[0, 0, 3], [1, 1, 1]], rewards: [3, 1], terminated: [T, F], truncated: [F, F], infos: t2(3, 1) },
  { op: "step", obs: null, infos: null, error: "ResetNeededError" },
  { op: "reset", obs: [[0, 1, 0], [1, 1, 1]], infos: { t: [0, 0], _t: [T, F] } },
  { op: "step", obs: [[0, 1, 1], [1, 1, 2]], rewards: [1, 2], terminated: [F, F], truncated: [F, F], infos: t2(1, 2) },
];
