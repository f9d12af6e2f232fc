import t from "tap";
import fc from "fast-check";
import { Discrete, spaceFromJSON } from "../../src/spaces";
import { discreteArb } from "./arbitraries";

t.test("sample() is contained, seeded, and JSON/describe round trip", async (t) => {
  fc.assert(
    fc.property(discreteArb, fc.nat(), (space, seed) => {
      space.seed(seed);
      const xs = Array.from({ length: 20 }, () => space.sample());
      space.seed(seed);
      const ys = Array.from({ length: 20 }, () => space.sample());
      return (
        xs.every((x) => space.contains(x)) &&
        xs.every((x, i) => x === ys[i]) &&
        xs.every((x) => space.fromJSON(JSON.parse(JSON.stringify(space.toJSON(x)))) === x) &&
        spaceFromJSON(JSON.parse(JSON.stringify(space.describe()))).equals(space)
      );
    }),
  );
  t.pass();
});

t.test("uniform sampling covers every value", async (t) => {
  const space = new Discrete(5, { start: -2, seed: 0 });
  const seen = new Set<number>();
  for (let i = 0; i < 500; i++) seen.add(space.sample());
  t.same(
    [...seen].sort((a, b) => a - b),
    [-2, -1, 0, 1, 2],
  );
});

t.test("masks are respected; an all-zero mask gives start", async (t) => {
  fc.assert(
    fc.property(
      discreteArb,
      fc.nat(),
      fc.array(fc.boolean(), { minLength: 50, maxLength: 50 }),
      (space, seed, bits) => {
        space.seed(seed);
        const mask = Uint8Array.from({ length: space.n }, (_, i) => (bits[i] ? 1 : 0));
        const x = space.sample({ mask });
        return mask.every((m) => m === 0) ? x === space.start : mask[x - space.start] === 1;
      },
    ),
  );
  const space = new Discrete(3, { start: 10, seed: 1 });
  t.equal(space.sample({ mask: new Uint8Array(3) }), 10);
  const seen = new Set<number>();
  for (let i = 0; i < 100; i++) seen.add(space.sample({ mask: Uint8Array.of(1, 0, 1) }));
  t.same([...seen].sort(), [10, 12], "uniform among the allowed values");
});

t.test("probabilities are respected", async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10 }), fc.nat(), fc.nat({ max: 9 }), (n, seed, k) => {
      const space = new Discrete(n, { seed });
      const p = new Float64Array(n);
      p[k % n] = 1;
      return space.sample({ probability: p }) === k % n;
    }),
  );
  const space = new Discrete(2, { seed: 4 });
  let ones = 0;
  for (let i = 0; i < 4000; i++) ones += space.sample({ probability: [0.25, 0.75] });
  t.ok(Math.abs(ones / 4000 - 0.75) < 0.03, `frequency of 1: ${ones / 4000}`);
});

t.test("contains accepts only integers in range", async (t) => {
  const s = new Discrete(3, { start: 1 });
  t.ok(s.contains(1) && s.contains(3));
  t.notOk(s.contains(0) || s.contains(4) || s.contains(1.5) || s.contains("1") || s.contains(NaN) || s.contains(null));
  t.equal(s.toString(), "Discrete(3, start=1)");
  t.equal(new Discrete(4).toString(), "Discrete(4)");
  t.ok(new Discrete(3, { start: 1 }).equals(s));
  t.notOk(new Discrete(3).equals(s));
});

t.test("bad input throws SpaceError naming the value", async (t) => {
  const s = new Discrete(3);
  const cases: [() => unknown, RegExp][] = [
    [() => new Discrete(-2), /positive integer, got -2/],
    [() => new Discrete(0), /got 0/],
    [() => new Discrete(2.5), /got 2.5/],
    [() => new Discrete(2, { start: 0.5 }), /start=0.5/],
    [() => s.sample({ mask: Uint8Array.of(1, 0) }), /length 3, got length 2/],
    [() => s.sample({ mask: Uint8Array.of(1, 0, 2) }), /0 or 1, got 2 at index 2/],
    [() => s.sample({ probability: [0.5, 0.5, 0.5] }), /sum to 1, got sum 1.5/],
    [() => s.sample({ probability: [-0.5, 1.5, 0] }), /\[0, 1\], got -0.5/],
    [() => s.sample({ mask: Uint8Array.of(1, 1, 1), probability: [1, 0, 0] }), /only one of mask or probability/],
    [() => s.fromJSON("2"), /expected an integer, got "2"/],
  ];
  for (const [f, re] of cases) t.throws(f, { name: "SpaceError", message: re });
});
