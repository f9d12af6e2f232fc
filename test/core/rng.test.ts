import t from "tap";
import { Rng, SeedError, InvalidArgumentError } from "../../src/core";

t.test("same seed gives the same stream; different seeds differ", async (t) => {
  const a = new Rng(123),
    b = new Rng(123),
    c = new Rng(456);
  const xs = Array.from({ length: 5 }, () => a.random());
  t.same(
    Array.from({ length: 5 }, () => b.random()),
    xs,
  );
  t.not(c.random(), xs[0]);
});

t.test("golden stream values are stable across platforms and versions", async (t) => {
  const r = new Rng(0);
  const words = [r.uint32(), r.uint32(), r.uint32()];
  // Frozen on first implementation: changing them changes every seeded result.
  t.same(words, GOLDEN_0);
  // xoshiro128** reference outputs for state [1, 2, 3, 4] (Vigna's reference C code).
  r.setState({ ...r.getState(), state: [1, 2, 3, 4] });
  t.same([r.uint32(), r.uint32(), r.uint32(), r.uint32()], [11520, 0, 5927040, 70819200]);
});
const GOLDEN_0: number[] = [2540542072, 3765234555, 3974337668];

t.test("integers stays in [low, high) and covers the range", async (t) => {
  const r = new Rng(1);
  const seen = new Set<number>();
  let bad = 0;
  for (let i = 0; i < 2000; i++) {
    const v = r.integers(-3, 4);
    if (!(v >= -3 && v < 4 && Number.isInteger(v))) bad++;
    seen.add(v);
  }
  t.equal(bad, 0);
  t.equal(seen.size, 7);
  const big = r.integers(0, 2 ** 40);
  t.ok(big >= 0 && big < 2 ** 40);
  t.throws(() => r.integers(3, 3), InvalidArgumentError);
  t.throws(() => r.integers(0.5, 3), InvalidArgumentError);
});

t.test("normal has mean ~0 and std ~1; exponential mean ~scale", async (t) => {
  const r = new Rng(7);
  let s = 0,
    s2 = 0,
    e = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    s += z;
    s2 += z * z;
    e += r.exponential(2);
  }
  t.ok(Math.abs(s / n) < 0.03, `mean ${s / n}`);
  t.ok(Math.abs(Math.sqrt(s2 / n) - 1) < 0.03, `std ${Math.sqrt(s2 / n)}`);
  t.ok(Math.abs(e / n - 2) < 0.06, `exp mean ${e / n}`);
});

t.test("state save/restore replays exactly, including the cached normal", async (t) => {
  const r = new Rng(9);
  r.normal();
  const st = JSON.parse(JSON.stringify(r.getState()));
  const a = [r.normal(), r.random(), r.integers(100)];
  r.setState(st);
  t.same([r.normal(), r.random(), r.integers(100)], a);
  t.throws(() => r.setState({ ...st, state: [0, 0, 0, 0] }), InvalidArgumentError);
  const c = r.clone();
  t.equal(c.random(), r.random());
});

t.test("spawn gives independent, reproducible children", async (t) => {
  const [a, b] = new Rng(5).spawn(2);
  const [a2] = new Rng(5).spawn(1);
  t.equal(a!.random(), a2!.random());
  t.not(new Rng(5).spawn(2)[1]!.random(), new Rng(5).spawn(1)[0]!.random());
  t.ok(b);
});

t.test("choice with probabilities and shuffle", async (t) => {
  const r = new Rng(3);
  const counts = [0, 0, 0];
  for (let i = 0; i < 3000; i++) counts[r.choice([0, 1, 2], { p: [0.2, 0, 0.8] })]!++;
  t.equal(counts[1], 0);
  t.ok(counts[2]! > 2200);
  t.throws(() => r.choice([1, 2], { p: [0.5, 0.6] }), InvalidArgumentError);
  t.same([...r.shuffle([1, 2, 3, 4, 5])].sort(), [1, 2, 3, 4, 5]);
});

t.test("bad seeds are typed errors", async (t) => {
  for (const s of [-1, 1.5, NaN, 2 ** 60, "3" as unknown as number]) t.throws(() => new Rng(s), SeedError, String(s));
});
