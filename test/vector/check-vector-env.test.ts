import t from "tap";
import { CartPoleEnv } from "../../src/envs/cartpole/cartpole";
import { AutoresetMode, SyncVectorEnv, checkVectorEnv } from "../../src/vector";
import type { VectorEnv } from "../../src/vector";

const cartpoles = (mode: AutoresetMode): SyncVectorEnv =>
  new SyncVectorEnv(
    [0, 1, 2].map(() => () => new CartPoleEnv()),
    { autoresetMode: mode },
  );

t.test("checkVectorEnv passes SyncVectorEnv in each autoreset mode and observes the declared one", async (t) => {
  for (const mode of [AutoresetMode.NEXT_STEP, AutoresetMode.SAME_STEP, AutoresetMode.DISABLED]) {
    const envs = cartpoles(mode);
    const report = await checkVectorEnv(envs, { seed: 5 });
    t.equal(report.declared, mode);
    t.equal(report.observed, mode === AutoresetMode.DISABLED ? null : mode, `${mode}: observed`);
    t.same(report.subEnvSeeds, [5, 6, 7], "every sub-env seeded with seed + index");
    t.ok(report.steps > 1 && report.steps < 1000);
    await envs.close();
  }
});

/** The same vector env with one thing changed. */
function tampered(
  envs: VectorEnv,
  over: Partial<Record<"metadata" | "step" | "getAttr" | "reset", unknown>>,
): VectorEnv {
  return new Proxy(envs, {
    get(target, key, receiver) {
      if (typeof key === "string" && key in over) return over[key as keyof typeof over];
      const v = Reflect.get(target, key, receiver) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

t.test("checkVectorEnv names what is wrong", async (t) => {
  const envs = cartpoles(AutoresetMode.NEXT_STEP);
  t.teardown(() => envs.close());
  await t.rejects(
    checkVectorEnv(tampered(envs, { metadata: { ...envs.metadata, autoresetMode: AutoresetMode.SAME_STEP } })),
    /\[checkEnv: vector autoreset mode\] declared SameStep, but sub-env \d's ending step has no infos.finalObs/,
  );
  const same = cartpoles(AutoresetMode.SAME_STEP);
  t.teardown(() => same.close());
  await t.rejects(
    checkVectorEnv(tampered(same, { metadata: { ...same.metadata, autoresetMode: AutoresetMode.NEXT_STEP } })),
    /declared NextStep, but sub-env \d's ending step reports infos.finalObs as SameStep does/,
  );
  await t.rejects(
    checkVectorEnv(tampered(envs, { getAttr: async () => [0, 0, 0] })),
    /seeded sub-env 1 with 0, expected 1 \(seed \+ index\)/,
  );
  let calls = 0;
  const unseeded = tampered(envs, {
    reset: async (opts: { seed?: number }) => envs.reset({ seed: (opts.seed ?? 0) + calls++ * 100 }),
    getAttr: async () => [null, null, null],
  });
  await t.rejects(checkVectorEnv(unseeded), /two reset\(\{ seed: 0 \}\) calls gave different observations/);
  const noMask = tampered(envs, {
    step: async (a: unknown) => {
      const r = await envs.step(a as never);
      r[4] = { ...r[4], extra: Float64Array.of(1, 2, 3) };
      return r;
    },
  });
  await t.rejects(
    checkVectorEnv(noMask),
    /\[checkEnv: vector info masks\] step 1 infos: info key "extra" has no mask _extra/,
  );
});
