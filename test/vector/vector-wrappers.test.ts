import t from "tap";
import { InvalidArgumentError, RegistryError } from "../../src/core";
import { makeVec } from "../../src/registry";
import { RunningMeanStd } from "../../src/wrappers";
import {
  AsyncVectorEnv,
  AutoresetMode,
  SyncVectorEnv,
  VectorNormalizeReward,
  VectorRecordEpisodeStatistics,
  VectorTransformReward,
} from "../../src/vector";
import type { VectorEnv } from "../../src/vector";
import { CounterEnv, GOLDEN_SCRIPTS, TOY_ENVS_MODULE } from "./fixtures/toy-envs";
import type { CounterEnvOptions } from "./fixtures/toy-envs";

const MODES = [AutoresetMode.NEXT_STEP, AutoresetMode.SAME_STEP, AutoresetMode.DISABLED];

function sync(mode: AutoresetMode, scripts: CounterEnvOptions[] = GOLDEN_SCRIPTS): SyncVectorEnv {
  return new SyncVectorEnv(
    scripts.map((o) => () => new CounterEnv(o)),
    { autoresetMode: mode },
  );
}

function async(mode: AutoresetMode): AsyncVectorEnv {
  const specs = GOLDEN_SCRIPTS.map((o) => ({ module: TOY_ENVS_MODULE, exportName: "CounterEnv", args: [o] }));
  return new AsyncVectorEnv(specs, { autoresetMode: mode, execArgv: [], concurrency: 1 });
}

/** Step `steps` times (DISABLED: resetting ended envs by mask); the episodes seen per env. */
async function episodes(envs: VectorRecordEpisodeStatistics, steps: number): Promise<[number, number][][]> {
  const seen: [number, number][][] = Array.from({ length: envs.numEnvs }, () => []);
  await envs.reset({ seed: 0 });
  for (let k = 0; k < steps; k++) {
    const [, , terminated, truncated, infos] = await envs.step(new Int32Array(envs.numEnvs));
    const mask = infos._episode as boolean[] | undefined;
    const ep = infos.episode as { r: Float64Array; l: Float64Array } | undefined;
    mask?.forEach((m, i) => m && seen[i]!.push([ep!.r[i]!, ep!.l[i]!]));
    const dones = terminated.map((x, i) => x || truncated[i]!);
    if (envs.metadata.autoresetMode === AutoresetMode.DISABLED && dones.includes(true))
      await envs.reset({ options: { resetMask: dones } });
  }
  return seen;
}

/** The true episodes of a script: length L, return 1 + 2 + ... + L. */
function trueEpisodes(script: CounterEnvOptions, count: number): [number, number][] {
  return Array.from({ length: count }, (_, k) => {
    const [len] = script.episodes[k % script.episodes.length]!;
    return [(len * (len + 1)) / 2, len];
  });
}

t.test("VectorRecordEpisodeStatistics: returns and lengths equal the true ones in every mode", async (t) => {
  for (const [kind, build] of [
    ["sync", sync],
    ["async", async],
  ] as const) {
    for (const mode of MODES) {
      const envs = new VectorRecordEpisodeStatistics(build(mode), { bufferLength: 3 });
      const seen = await episodes(envs, 40);
      for (let i = 0; i < 2; i++) {
        t.ok(seen[i]!.length >= 8, `${kind} ${mode} env ${i}: ${seen[i]!.length} episodes`);
        t.strictSame(seen[i], trueEpisodes(GOLDEN_SCRIPTS[i]!, seen[i]!.length), `${kind} ${mode} env ${i}`);
      }
      t.equal(envs.episodeCount, seen[0]!.length + seen[1]!.length);
      t.equal(envs.returnQueue.length, 3, "queues keep bufferLength entries");
      await envs.close();
    }
  }
});

t.test("VectorRecordEpisodeStatistics: partial reset restarts only the masked envs; key clash", async (t) => {
  const envs = new VectorRecordEpisodeStatistics(
    sync(AutoresetMode.DISABLED, [
      { id: 0, episodes: [[3, "terminated"]] },
      { id: 1, episodes: [[5, "truncated"]] },
    ]),
  );
  await envs.reset();
  await envs.step(Int32Array.of(0, 0));
  await envs.reset({ options: { resetMask: [true, false] } });
  for (let k = 0; k < 3; k++) await envs.step(Int32Array.of(0, 0));
  const [, , , , infos] = await envs.step(Int32Array.of(0, 0)).catch(() => [null, null, null, null, {}] as const);
  t.strictSame(infos, {}, "env 0 ended and was not reset: stepping is refused");
  t.strictSame(envs.returnQueue, [6], "env 0: 3 steps after its reset");
  await envs.reset({ options: { resetMask: [true, false] } });
  const [, , , trunc, infos2] = await envs.step(Int32Array.of(0, 0));
  t.strictSame(trunc, [false, true]);
  t.strictSame(
    Array.from((infos2.episode as { l: Float64Array }).l),
    [0, 5],
    "env 1's episode spans the partial resets of env 0",
  );
  const clash = new VectorRecordEpisodeStatistics(new VectorRecordEpisodeStatistics(sync(AutoresetMode.NEXT_STEP)));
  await clash.reset();
  await clash.step(Int32Array.of(0, 0));
  await t.rejects(clash.step(Int32Array.of(0, 0)), /already has the key "episode"/);
  t.throws(
    () => new VectorRecordEpisodeStatistics(sync(AutoresetMode.NEXT_STEP), { bufferLength: 0 }),
    InvalidArgumentError,
  );
});

t.test("VectorTransformReward applies the function to the batched rewards", async (t) => {
  const envs = new VectorTransformReward(sync(AutoresetMode.NEXT_STEP), (r) => r.map((x) => 10 * x + 1));
  await envs.reset();
  const [, rewards] = await envs.step(Int32Array.of(0, 0));
  t.strictSame(Array.from(rewards), [11, 11]);
  t.equal(envs.numEnvs, 2);
  t.equal(envs.unwrapped.constructor.name, "SyncVectorEnv");
  t.match(envs.toString(), /^<VectorTransformReward, SyncVectorEnv\(numEnvs=2\)>$/);
  const plainArray = new VectorTransformReward(sync(AutoresetMode.NEXT_STEP), (r) => Array.from(r, () => -1));
  await plainArray.reset();
  const [, r2] = await plainArray.step(Int32Array.of(0, 0));
  t.ok(r2 instanceof Float64Array);
});

/** Reference of NormalizeReward for one env: the running variance of the discounted return. */
function referenceNormalized(
  rewards: number[],
  terms: boolean[],
  dones: boolean[],
  skipAfterDone: boolean,
  gamma: number,
): number[] {
  const rms = new RunningMeanStd();
  let g = 0;
  let prevDone = false;
  return rewards.map((r, k) => {
    if (!(skipAfterDone && prevDone)) {
      g = g * gamma * (terms[k] ? 0 : 1) + r;
      rms.update(g);
    }
    prevDone = dones[k]!;
    if (!skipAfterDone && prevDone) g = 0;
    return r / Math.sqrt(rms.var + 1e-8);
  });
}

t.test("VectorNormalizeReward matches a one-env reference, skipping NEXT_STEP reset steps", async (t) => {
  for (const mode of [AutoresetMode.NEXT_STEP, AutoresetMode.SAME_STEP]) {
    const raw = sync(mode, [GOLDEN_SCRIPTS[0]!]);
    const normalized = new VectorNormalizeReward(sync(mode, [GOLDEN_SCRIPTS[0]!]), { gamma: 0.9 });
    await raw.reset();
    await normalized.reset();
    const rs: number[] = [],
      terms: boolean[] = [],
      dones: boolean[] = [],
      got: number[] = [];
    for (let k = 0; k < 20; k++) {
      const [, r, te, tr] = await raw.step(Int32Array.of(0));
      const [, n] = await normalized.step(Int32Array.of(0));
      rs.push(r[0]!);
      terms.push(te[0]!);
      dones.push(te[0]! || tr[0]!);
      got.push(n[0]!);
    }
    const want = referenceNormalized(rs, terms, dones, mode === AutoresetMode.NEXT_STEP, 0.9);
    t.ok(
      got.every((g, k) => Math.abs(g - want[k]!) < 1e-12),
      `${mode}: ${got.slice(0, 5).map((x) => x.toFixed(4))}`,
    );
  }
  t.throws(() => new VectorNormalizeReward(sync(AutoresetMode.NEXT_STEP), { gamma: 1.5 }), /gamma/);
  t.throws(() => new VectorNormalizeReward(sync(AutoresetMode.NEXT_STEP), { epsilon: 0 }), /epsilon/);
});

t.test("makeVec builds sync and async vector envs of a registered env", async (t) => {
  const s = makeVec("CartPole-v1", 3, { maxEpisodeSteps: 5, vectorKwargs: { autoresetMode: AutoresetMode.SAME_STEP } });
  t.ok(s instanceof SyncVectorEnv);
  t.equal(s.spec?.id, "CartPole-v1");
  t.equal(s.metadata.autoresetMode, AutoresetMode.SAME_STEP);
  const a = makeVec("CartPole-v1", 3, {
    vectorizationMode: "async",
    maxEpisodeSteps: 5,
    vectorKwargs: { autoresetMode: AutoresetMode.SAME_STEP, concurrency: 1, execArgv: [] },
  });
  t.ok(a instanceof AsyncVectorEnv);
  t.equal(a.toString(), "AsyncVectorEnv(CartPole-v1, numEnvs=3)");
  for (const envs of [s, a] as VectorEnv[]) {
    await envs.reset({ seed: 3 });
    let truncatedAt = -1;
    for (let k = 1; k <= 5 && truncatedAt < 0; k++) {
      const [, , , truncated, infos] = await envs.step(Int32Array.of(0, 1, 0));
      if (truncated.some(Boolean) && !truncated.every(Boolean)) t.fail("all three should truncate together");
      if (truncated.every(Boolean)) {
        truncatedAt = k;
        t.strictSame(infos._finalObs, [true, true, true]);
      }
    }
    t.equal(truncatedAt, 5, `${envs}: maxEpisodeSteps 5 reached the sub-envs (no pole falls within 5 steps)`);
    await envs.close();
  }
  t.throws(() => makeVec("CartPole-v1", 0), InvalidArgumentError);
  t.throws(() => makeVec("NoSuchEnv-v0", 2), RegistryError);
  t.throws(() => makeVec("CartPole-v1", 2, { vectorizationMode: "threads" as "sync" }), /vectorizationMode/);
});
