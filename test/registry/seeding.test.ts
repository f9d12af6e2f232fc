import t from "tap";
import { make } from "../../src/registry";
import type { NdArray } from "ndarray";

const values = (o: unknown): number[] => Array.from((o as NdArray<Float32Array>).data);

t.test("make('CartPole-v1') seeding follows Gymnasium", async (t) => {
  const env = make("CartPole-v1");
  const [a] = await env.reset({ seed: 123 });
  const stateA = env.unwrapped.rng.getState();
  const [b] = await env.reset({ seed: 123 });
  const stateB = env.unwrapped.rng.getState();
  t.same(values(b), values(a), "seed 123 twice: same obs");
  t.same(stateB, stateA, "seed 123 twice: same rng state");
  t.equal(env.unwrapped.rngSeed, 123);

  const [c] = await env.reset({ seed: 456 });
  t.notSame(values(c), values(a), "seed 456: different obs");
  t.notSame(env.unwrapped.rng.getState(), stateA, "seed 456: different rng state");

  await env.reset({ seed: 9 });
  const [n1] = await env.reset();
  const [n2] = await env.reset();
  t.notSame(values(n2), values(n1), "reset() continues the stream");
  await env.reset({ seed: 9 });
  const [m1] = await env.reset();
  const [m2] = await env.reset();
  t.same([values(m1), values(m2)], [values(n1), values(n2)], "reset({seed}); reset() is reproducible");

  const other = make("CartPole-v1");
  await other.reset({ seed: 9 });
  const traj = async (e: typeof env): Promise<number[][]> => {
    const out: number[][] = [];
    for (let i = 0; i < 20; i++) {
      const [o, , term] = await e.step(i % 3 === 0 ? 1 : 0);
      out.push(values(o));
      if (term) break;
    }
    return out;
  };
  await env.reset({ seed: 9 });
  t.same(await traj(other), await traj(env), "two envs, same seed and actions: same trajectory");
  await t.rejects(env.reset({ seed: -1 }), { name: "SeedError" });
  await t.rejects(env.reset({ seed: 1.5 }), { name: "SeedError" });
});
