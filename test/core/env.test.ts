import t from "tap";
import {
  Env,
  Wrapper,
  ObservationWrapper,
  ActionWrapper,
  RewardWrapper,
  Space,
  SeedError,
  InvalidArgumentError,
  type Info,
  type ResetOptions,
  type StepResult,
  type SpaceDescription,
} from "../../src/core";

/** A minimal integer space so the core can be tested without src/spaces. */
class IntRange extends Space<number> {
  constructor(readonly n: number) {
    super([], "int64");
  }
  sample(): number {
    return this.rng.integers(this.n);
  }
  contains(x: unknown): boolean {
    return Number.isInteger(x) && (x as number) >= 0 && (x as number) < this.n;
  }
  toJSON(x: number): unknown {
    return x;
  }
  fromJSON(j: unknown): number {
    return j as number;
  }
  equals(o: Space<unknown>): boolean {
    return o instanceof IntRange && o.n === this.n;
  }
  describe(): SpaceDescription {
    return { type: "IntRange", n: this.n };
  }
  toString(): string {
    return `IntRange(${this.n})`;
  }
}

class Dice extends Env<number, number> {
  observationSpace = new IntRange(6);
  actionSpace = new IntRange(2);
  async reset(opts?: ResetOptions): Promise<[number, Info]> {
    this.seedRng(opts?.seed);
    return [this.rng.integers(6), { phase: "reset" }];
  }
  async step(a: number): Promise<StepResult<number>> {
    return [this.rng.integers(6), a, false, false, {}];
  }
}

t.test("reset({seed}) reseeds, reset() continues the stream, bad seeds throw", async (t) => {
  const env = new Dice();
  const first = [];
  await env.reset({ seed: 123 });
  for (let i = 0; i < 5; i++) first.push((await env.step(0))[0]);
  t.equal(env.rngSeed, 123);
  await env.reset({ seed: 123 });
  const again = [];
  for (let i = 0; i < 5; i++) again.push((await env.step(0))[0]);
  t.same(again, first);
  const state = env.rng.getState();
  const [o1] = await env.reset();
  env.rng.setState(state);
  const [o2] = await env.reset();
  t.equal(o1, o2, "reset() without a seed continues the current stream");
  await t.rejects(env.reset({ seed: -1 }), SeedError);
  await t.rejects(env.reset({ seed: 1.5 }), SeedError);
});

t.test("wrappers forward calls, share the rng and expose unwrapped", async (t) => {
  const inner = new Dice();
  class Plus10 extends ObservationWrapper<number, number, number> {
    observation(o: number): number {
      return o + 10;
    }
  }
  class Flip extends ActionWrapper<number, number, number> {
    action(a: number): number {
      return 1 - a;
    }
  }
  class Double extends RewardWrapper<number, number> {
    reward(r: number): number {
      return 2 * r;
    }
  }
  const env = new Double(new Flip(new Plus10(inner)));
  const [obs, info] = await env.reset({ seed: 1 });
  t.ok(obs >= 10 && obs < 16);
  t.same(info, { phase: "reset" });
  t.equal(env.rngSeed, 1);
  t.equal(env.rng, inner.rng);
  const [o, r] = await env.step(0);
  t.ok(o >= 10);
  t.equal(r, 2, "action flipped 0 -> 1, reward doubled");
  t.equal(env.unwrapped, inner);
  t.equal(env.observationSpace, inner.observationSpace);
  t.match(env.toString(), /Double.*Flip.*Plus10.*Dice/);
  t.equal(env.getWrapperAttr("actionSpace"), inner.actionSpace);
  t.throws(() => env.getWrapperAttr("nope"), InvalidArgumentError);
  t.ok(env instanceof Wrapper);
  t.equal(await env.render(), null);
  await env.close();
  await env.close();
});
