import t from "tap";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { Env } from "../../src/core";
import type { Info, ResetOptions, StepResult } from "../../src/core";
import { Box, Dict, Discrete } from "../../src/spaces";
import { CartPoleEnv } from "../../src/envs/cartpole";
import { checkEnv, dataEquivalence, deepCopyData, make, register, registry } from "../../src/registry";

type ToyObs = { gripper: number; position: NdArray<Float32Array> };

/** A well-behaved env with Dict observations. */
class DictToy extends Env<ToyObs, number> {
  observationSpace = new Dict({
    position: new Box({ low: -1, high: 1, shape: [2], dtype: "float32" }),
    gripper: new Discrete(2),
  });
  actionSpace = new Discrete(3);
  protected pos = new Float32Array(2);
  closes = 0;
  async reset(opts?: ResetOptions): Promise<[ToyObs, Info]> {
    this.seedRng(opts?.seed);
    this.pos = Float32Array.of(this.rng.uniform(-0.5, 0.5), this.rng.uniform(-0.5, 0.5));
    return [this.observe(), { start: true }];
  }
  async step(action: number): Promise<StepResult<ToyObs>> {
    this.pos[0] = Math.max(-1, Math.min(1, (this.pos[0] as number) + (action - 1) * 0.1 + this.rng.normal(0, 0.01)));
    return [this.observe(), -Math.abs(this.pos[0] as number), false, false, { noise: 0.01 }];
  }
  protected observe(): ToyObs {
    return { gripper: (this.pos[0] as number) > 0 ? 1 : 0, position: ndarray(this.pos.slice(), [2]) };
  }
  override async close(): Promise<void> {
    this.closes++;
  }
}

class IgnoresSeed extends DictToy {
  override async reset(): Promise<[ToyObs, Info]> {
    this.pos = Float32Array.of(this.rng.uniform(-0.5, 0.5), this.rng.uniform(-0.5, 0.5));
    return [this.observe(), {}];
  }
}

class OutsideSpace extends DictToy {
  override async reset(opts?: ResetOptions): Promise<[ToyObs, Info]> {
    const [obs, info] = await super.reset(opts);
    obs.position.set(0, 7);
    return [obs, info];
  }
}

class FourTuple extends DictToy {
  override async step(action: number): Promise<StepResult<ToyObs>> {
    const [obs, reward, terminated, , info] = await super.step(action);
    return [obs, reward, terminated, info] as unknown as StepResult<ToyObs>;
  }
}

class ReusedBuffer extends DictToy {
  private readonly out = ndarray(new Float32Array(2), [2]);
  protected override observe(): ToyObs {
    this.out.set(0, this.pos[0] as number);
    this.out.set(1, this.pos[1] as number);
    return { gripper: (this.pos[0] as number) > 0 ? 1 : 0, position: this.out };
  }
}

class CloseThrowsTwice extends DictToy {
  override async close(): Promise<void> {
    this.closes++;
    if (this.closes > 1) throw new Error("close() called on a closed env");
  }
}

class NonFiniteReward extends DictToy {
  override async step(action: number): Promise<StepResult<ToyObs>> {
    const r = await super.step(action);
    r[1] = NaN;
    return r;
  }
}

class NumberFlags extends DictToy {
  override async step(action: number): Promise<StepResult<ToyObs>> {
    const r = await super.step(action);
    return [r[0], r[1], 0, 0, r[4]] as unknown as StepResult<ToyObs>;
  }
}

const quiet = { warn: (): void => {} };

t.test("checkEnv passes CartPole (raw and made) and a Dict-observation env", async (t) => {
  const warnings: string[] = [];
  await checkEnv(new CartPoleEnv(), { warn: (m) => warnings.push(m) });
  t.ok(
    warnings.some((m) => /maximum value is infinity/.test(m)),
    "infinite Box bounds warn, as Gymnasium",
  );
  t.ok(
    warnings.some((m) => /no spec/.test(m)),
    "render modes cannot be checked without a spec",
  );
  const made: string[] = [];
  await checkEnv(make("CartPole-v1", { renderMode: "rgb_array" }), { warn: (m) => made.push(m) });
  t.ok(
    made.some((m) => /is wrapped/.test(m)),
    "a wrapped env warns",
  );
  const toy = new DictToy();
  await checkEnv(toy, quiet);
  t.equal(toy.closes, 2, "without a spec the env itself is closed twice");
  await checkEnv(new CloseThrowsTwice(), { ...quiet, skipCloseCheck: true });
  t.pass("skipCloseCheck skips the close check");
});

const faults: Array<[string, () => Env<unknown, unknown>, string]> = [
  ["an env that ignores the seed", () => new IgnoresSeed() as Env<unknown, unknown>, "reset-seed-determinism"],
  ["an env whose obs is outside its space", () => new OutsideSpace() as Env<unknown, unknown>, "reset-return"],
  ["an env whose step returns a 4-tuple", () => new FourTuple() as Env<unknown, unknown>, "step-return"],
  [
    "an env that reuses and mutates its obs buffer",
    () => new ReusedBuffer() as Env<unknown, unknown>,
    "observation-reuse",
  ],
  ["an env whose close() throws the second time", () => new CloseThrowsTwice() as Env<unknown, unknown>, "close"],
  ["an env with a NaN reward", () => new NonFiniteReward() as Env<unknown, unknown>, "step-return"],
  ["an env with numeric done flags", () => new NumberFlags() as Env<unknown, unknown>, "step-return"],
];

for (const [what, build, check] of faults) {
  t.test(`checkEnv fails ${what} (check "${check}")`, async (t) => {
    await t.rejects(checkEnv(build(), quiet), {
      name: "EnvCheckError",
      check,
      message: new RegExp(`^\\[checkEnv: ${check}\\]`),
    });
  });
}

t.test("with a spec, checkEnv makes fresh envs for the render-mode and close checks", async (t) => {
  register({ id: "test/DictToy-v0", entryPoint: DictToy, maxEpisodeSteps: 20 });
  register({ id: "test/CloseTwice-v0", entryPoint: CloseThrowsTwice });
  try {
    const env = make("test/DictToy-v0");
    await checkEnv(env, quiet);
    t.equal((env.unwrapped as DictToy).closes, 0, "the checked env itself is not closed");
    await t.rejects(checkEnv(make("test/CloseTwice-v0"), quiet), { name: "EnvCheckError", check: "close" });
  } finally {
    registry.delete("test/DictToy-v0");
    registry.delete("test/CloseTwice-v0");
  }
});

t.test("checkEnv rejects non-envs and bad spaces", async (t) => {
  await t.rejects(checkEnv({} as Env<unknown, unknown>, quiet), { name: "EnvCheckError", check: "env-type" });
  class EmptyDict extends DictToy {
    override observationSpace = new Dict({}) as unknown as DictToy["observationSpace"];
  }
  await t.rejects(checkEnv(new EmptyDict(), quiet), { name: "EnvCheckError", check: "observation-space" });
});

t.test("dataEquivalence and deepCopyData", async (t) => {
  const a = ndarray(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
  const view = a.transpose(1, 0); // strided [3, 2]
  const copy = deepCopyData(view);
  t.same(copy.shape, [3, 2]);
  t.same(Array.from(copy.data), [1, 4, 2, 5, 3, 6], "a strided view is copied in row-major order");
  t.ok(dataEquivalence(view, copy, { exact: true }));
  a.set(0, 0, 9);
  t.notOk(dataEquivalence(view, copy, { exact: true }), "the copy does not alias the original");
  t.ok(
    dataEquivalence(ndarray(Float32Array.of(1), [1]), ndarray(Float32Array.of(1 + 1e-7), [1])),
    "allclose by default",
  );
  t.notOk(dataEquivalence(ndarray(Float32Array.of(1), [1]), ndarray(Float32Array.of(1 + 1e-7), [1]), { exact: true }));
  t.notOk(dataEquivalence(ndarray(Float32Array.of(1), [1]), ndarray(Float64Array.of(1), [1])), "dtype matters");
  const foreign = { data: Float32Array.of(1, 2), shape: [2], stride: [1], offset: 0 }; // another ndarray copy's view
  t.ok(dataEquivalence(foreign, ndarray(Float32Array.of(1, 2), [2]), { exact: true }), "NdArrays compare structurally");
  t.ok(dataEquivalence({ x: [1, { y: 2 }] }, { x: [1, { y: 2 }] }));
  t.notOk(dataEquivalence({ x: 1 }, { x: 1, y: 2 }));
  t.notOk(dataEquivalence([1, 2], [1, 2, 3]));
  t.notOk(dataEquivalence(1, "1"));
  t.notOk(dataEquivalence(NaN, NaN), "NaN is not equal to itself, as in Python");
  const nested = { obs: ndarray(Uint8Array.of(1, 2), [2]), list: [Int32Array.of(5)] };
  const nestedCopy = deepCopyData(nested);
  nested.list[0]![0] = 6;
  t.equal(nestedCopy.list[0]![0], 5);
});
