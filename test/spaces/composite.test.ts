import t from "tap";
import fc from "fast-check";
import { Box, Dict, Discrete, MultiDiscrete, Tuple, spaceFromJSON } from "../../src/spaces";
import type { Space } from "../../src/spaces";
import { boxArb, compositeArb, discreteArb, holdsSpaceInvariants } from "./arbitraries";

const leaves = fc.oneof(boxArb as fc.Arbitrary<Space<unknown>>, discreteArb);
const anySpace = compositeArb(leaves);

const json = (space: Space<unknown>, x: unknown): string => JSON.stringify(space.toJSON(x));

t.test("Tuple/Dict: sample contained, same seed same samples, JSON and describe round trips", async (t) => {
  fc.assert(
    fc.property(anySpace, fc.nat(), (space, seed) => holdsSpaceInvariants(space, seed, 2)),
    { numRuns: 150 },
  );
  t.pass();
});

t.test("composite seeding: an int seeds the children from the composite's own rng", async (t) => {
  const make = (): Dict => new Dict({ a: new Discrete(1000), b: new Tuple([new Discrete(1000), new Discrete(1000)]) });
  const s1 = make();
  const seeds = s1.seed(42);
  t.equal(seeds[0], 42);
  t.equal(seeds.length, 5, "[own, a, b-own, b0, b1]");
  const s2 = make();
  s2.seed(42);
  t.same(json(s2, s2.sample()), json(s1, s1.sample()));
  const s3 = make();
  s3.seed(43);
  const again = make();
  again.seed(42);
  t.not(json(s3, s3.sample()), json(again, again.sample()), "another seed gives other samples");
  // per-key seeding reaches each child directly
  const s4 = make();
  t.same(s4.seed({ a: 7, b: [8, 9] }), [7, 8, 9]);
  const lone = new Discrete(1000, { seed: 7 });
  t.equal((s4.sample() as { a: number }).a, lone.sample());
  t.throws(() => s4.seed({ a: 7 }), { name: "SpaceError", message: /exactly the keys \[a, b\]/ });
  t.throws(() => new Tuple([new Discrete(2)]).seed([1, 2]), { name: "SpaceError", message: /array of 1 seeds/ });
  t.throws(() => new Tuple([new Discrete(2)]).seed(-3), { name: "SeedError" });
  // unseeded seed() reseeds every child
  t.equal(make().seed().length, 3);
});

t.test("Dict keys: plain objects are sorted by code point, pairs keep their order", async (t) => {
  const d = new Dict({
    b: new Discrete(2),
    a: new Discrete(3),
    B: new Discrete(4),
    "10": new Discrete(5),
    "9": new Discrete(6),
  });
  t.same(d.keys, ["10", "9", "B", "a", "b"]);
  const p = new Dict([
    ["z", new Discrete(2)],
    ["a", new Discrete(3)],
  ]);
  t.same(p.keys, ["z", "a"]);
  t.equal(p.toString(), "Dict('z': Discrete(2), 'a': Discrete(3))");
  t.ok(p.equals(new Dict({ a: new Discrete(3), z: new Discrete(2) })), "equality ignores order, as Python dicts");
  t.same(spaceFromJSON(p.describe()).toString(), p.toString(), "describe keeps the order");
  t.throws(
    () =>
      new Dict([
        ["a", new Discrete(2)],
        ["a", new Discrete(2)],
      ]),
    { name: "SpaceError", message: /"a" appears twice/ },
  );
  t.throws(() => new Dict({ a: 3 as never }), { name: "SpaceError", message: /key "a" is not a Space: 3/ });
  const proto = new Dict([["__proto__", new Discrete(2)]]);
  const x = proto.sample();
  t.ok(proto.contains(x) && Object.keys(x).includes("__proto__"), "a __proto__ key is an own property");
});

t.test("contains rejects wrong structure", async (t) => {
  const tup = new Tuple([new Discrete(2), new Box({ low: 0, high: 1, shape: [2] })]);
  const d = new Dict({ t: tup, n: new Discrete(3) });
  const x = d.sample();
  t.ok(d.contains(x));
  t.notOk(d.contains({ ...x, extra: 1 }));
  t.notOk(d.contains({ t: x.t }));
  t.notOk(d.contains([x.t, x.n]));
  t.notOk(tup.contains([0]));
  t.notOk(tup.contains([5, (x.t as unknown[])[1]]));
  t.equal(tup.toString(), "Tuple(Discrete(2), Box(0.0, 1.0, (2,), float32))");
});

t.test("masks and probabilities pass through to the children", async (t) => {
  const tup = new Tuple([new Discrete(3), new Discrete(3)], { seed: 1 });
  for (let i = 0; i < 20; i++) {
    const [a] = tup.sample({ mask: [Uint8Array.of(0, 0, 1), undefined] });
    t.equal(a, 2);
  }
  const d = new Dict({ a: new Discrete(3), b: new Discrete(2) }, { seed: 2 });
  t.equal(d.sample({ probability: { a: [0, 1, 0], b: null } }).a, 1);
  t.throws(() => d.sample({ mask: { a: Uint8Array.of(1, 1, 1) } }), {
    name: "SpaceError",
    message: /exactly the keys/,
  });
  t.throws(() => tup.sample({ mask: [undefined] }), { name: "SpaceError", message: /array of 2 entries/ });
  t.throws(() => tup.sample({ mask: [Uint8Array.of(1, 1)], probability: [] }), {
    name: "SpaceError",
    message: /only one/,
  });
});

t.test("value types follow the children (compile-time check)", async (t) => {
  const tup = new Tuple([new Discrete(2), new Box({ low: 0, high: 255, shape: [2], dtype: "uint8" })]);
  const [a, b] = tup.sample();
  const n: number = a;
  const bytes: Uint8Array = b.data;
  const dict = new Dict({ pos: new Box({ low: 0, high: 1, shape: [2], dtype: "float64" }), act: new Discrete(3) });
  const v = dict.sample();
  const act: number = v.act;
  const pos: Float64Array = v.pos.data;
  t.ok(Number.isInteger(n) && bytes.length === 2 && Number.isInteger(act) && pos.length === 2);
});

t.test("a rejected mask leaves every rng unchanged (all-or-nothing sampling)", async (t) => {
  const make = (): Tuple =>
    new Tuple([new Discrete(50), new Dict({ a: new Discrete(50), b: new Discrete(50) })], { seed: 1 });
  const space = make();
  const reference = make();
  t.throws(() => space.sample({ mask: [Uint8Array.of(...new Array(50).fill(1)), { a: null, b: Uint8Array.of(1) }] }), {
    name: "SpaceError",
    message: /length 50/,
  });
  t.equal(json(space, space.sample()), json(reference, reference.sample()));
  const md = new MultiDiscrete([5, 5], { seed: 2 });
  const mdRef = new MultiDiscrete([5, 5], { seed: 2 });
  t.throws(() => md.sample({ mask: [Uint8Array.of(1, 1, 1, 1, 1), Uint8Array.of(2, 0, 0, 0, 0)] }), {
    name: "SpaceError",
    message: /element 1/,
  });
  t.same(Array.from(md.sample().data), Array.from(mdRef.sample().data));
});
