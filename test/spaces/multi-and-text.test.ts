import t from "tap";
import fc from "fast-check";
import ndarray from "ndarray";
import { MultiBinary, MultiDiscrete, Text } from "../../src/spaces";
import type { Space } from "../../src/spaces";
import { holdsSpaceInvariants } from "./arbitraries";

const multiDiscreteArb = fc
  .record({
    shape: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 }),
    counts: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 9, maxLength: 9 }),
    starts: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 9, maxLength: 9 }),
    dtype: fc.constantFrom("int8" as const, "int16" as const, "int32" as const),
  })
  .map(({ shape, counts, starts, dtype }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const nvec = ndarray(Float64Array.from(counts.slice(0, size)), shape);
    const start = ndarray(Float64Array.from(starts.slice(0, size)), shape);
    return new MultiDiscrete(nvec, { start, dtype });
  });
const multiBinaryArb = fc
  .oneof(fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }))
  .map((n) => new MultiBinary(n));
const textArb = fc
  .record({
    min: fc.integer({ min: 0, max: 3 }),
    extra: fc.integer({ min: 0, max: 5 }),
    charset: fc.string({ minLength: 1, maxLength: 8, unit: "grapheme-ascii" }),
  })
  .map(({ min, extra, charset }) => new Text({ minLength: min, maxLength: min + extra, charset }));

t.test("sample contained, seeded, JSON and describe round trips", async (t) => {
  fc.assert(
    fc.property(
      fc.oneof(multiDiscreteArb as fc.Arbitrary<Space<unknown>>, multiBinaryArb, textArb),
      fc.nat(),
      (space, seed) => holdsSpaceInvariants(space, seed, 3),
    ),
    { numRuns: 200 },
  );
  t.pass();
});

t.test("MultiDiscrete masks and probabilities are respected", async (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
      fc.nat(),
      fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
      (nvec, seed, bits) => {
        const space = new MultiDiscrete(nvec, { start: nvec.map(() => 2), seed });
        let b = 0;
        const masks = nvec.map((c) => Uint8Array.from({ length: c }, () => (bits[b++ % 20] ? 1 : 0)));
        const x = space.sample({ mask: masks });
        const okMask = masks.every((m, i) => (m.every((v) => v === 0) ? x.data[i] === 2 : m[x.data[i]! - 2] === 1));
        const probs = nvec.map((c) => Float64Array.from({ length: c }, (_, k) => (k === c - 1 ? 1 : 0)));
        const y = space.sample({ probability: probs });
        return okMask && nvec.every((c, i) => y.data[i] === 2 + c - 1);
      },
    ),
  );
  const grid = new MultiDiscrete(
    [
      [2, 3],
      [4, 5],
    ],
    { seed: 1 },
  );
  const x = grid.sample({
    mask: [
      [Uint8Array.of(0, 1), Uint8Array.of(0, 0, 1)],
      [Uint8Array.of(1, 0, 0, 0), Uint8Array.of(0, 0, 0, 0, 1)],
    ],
  });
  t.same(Array.from(x.data), [1, 2, 0, 4], "nested masks for a 2-D nvec");
  t.equal(grid.toString(), "MultiDiscrete([[2 3] [4 5]])");
});

t.test("MultiBinary masks (0/1/2) and probabilities", async (t) => {
  const space = new MultiBinary([2, 3], { seed: 3 });
  for (let i = 0; i < 20; i++) {
    const x = space.sample({
      mask: [
        [0, 1, 2],
        [1, 0, 2],
      ],
    });
    t.same(
      Array.from(x.data).filter((_, j) => j !== 2 && j !== 5),
      [0, 1, 1, 0],
    );
  }
  const y = space.sample({ probability: Float64Array.of(1, 0, 1, 0, 1, 0) });
  t.same(Array.from(y.data), [1, 0, 1, 0, 1, 0]);
  let ones = 0;
  const coin = new MultiBinary(1000, { seed: 1 });
  for (const v of coin.sample().data) ones += v;
  t.ok(ones > 430 && ones < 570, `fair coins: ${ones} ones of 1000`);
  t.notOk(space.contains(ndarray(Int8Array.of(0, 1, 2, 0, 0, 0), [2, 3])));
  t.ok(space.contains(ndarray(Float32Array.of(0, 1, 1, 0, 0, 0), [2, 3])), "any numeric dtype of 0/1, as Gymnasium");
  t.equal(space.toString(), "MultiBinary((2, 3))");
  t.equal(new MultiBinary(4).toString(), "MultiBinary(4)");
});

t.test("Text masks, probabilities, lengths and charset rules", async (t) => {
  const text = new Text({ maxLength: 6, minLength: 2, charset: "abca", seed: 2 });
  t.same(text.characterList, ["a", "b", "c"], "string charsets keep order and drop duplicates");
  t.equal(text.sample({ mask: [4, Uint8Array.of(0, 1, 0)] }), "bbbb");
  t.equal(text.sample({ probability: [3, Float64Array.of(0, 0, 1)] }), "ccc");
  for (let i = 0; i < 50; i++) {
    const s = text.sample({ mask: [null, Uint8Array.of(1, 0, 1)] });
    t.ok(/^[ac]{2,6}$/.test(s), `only allowed characters and lengths: ${s}`);
  }
  t.same(
    new Text({ maxLength: 2, charset: new Set(["z", "a", "m"]) }).characterList,
    ["a", "m", "z"],
    "sets are sorted",
  );
  t.equal(new Text({ maxLength: 3, minLength: 0, charset: "ab" }).sample({ mask: [2, new Uint8Array(2)] }), "");
  t.ok(new Text({ maxLength: 3, charset: "é🙂" }).contains("🙂é🙂"), "lengths count code points");
  t.notOk(text.contains("a") || text.contains("abcabca") || text.contains("abd") || text.contains(5));
  t.equal(new Text({ maxLength: 3, charset: "ba" }).toString(), "Text(1, 3, charset=ab)");
});

t.test("bad input throws SpaceError naming the value", async (t) => {
  const cases: [() => unknown, RegExp][] = [
    [() => new MultiDiscrete([2, 0]), /positive integers, got 0/],
    [() => new MultiDiscrete([2, -1]), /got -1/],
    [() => new MultiDiscrete([2, 2], { start: [0] }), /same shape/],
    [() => new MultiDiscrete([300], { dtype: "int8" }), /do not fit dtype int8/],
    [() => new MultiDiscrete([3], { dtype: "float32" as never }), /integer dtype, got "float32"/],
    [() => new MultiDiscrete([2, 3]).sample({ mask: [Uint8Array.of(1, 1)] }), /nested like nvec/],
    [
      () => new MultiDiscrete([2, 3]).sample({ mask: [Uint8Array.of(1, 1), Uint8Array.of(1, 1)] }),
      /element 1 must have length 3/,
    ],
    [() => new MultiBinary(-3), /got -3/],
    [() => new MultiBinary([2, 0]), /\[2,0\]/],
    [() => new MultiBinary(3).sample({ mask: [0, 3, 1] }), /0, 1 or 2, got 3/],
    [() => new MultiBinary(3).sample({ mask: [0, 1] }), /shape \[3\]/],
    [() => new MultiBinary(2).sample({ probability: [0.5, 1.5] }), /\[0, 1\], got 1.5/],
    [() => new Text({ maxLength: -1 }), /got -1/],
    [() => new Text({ maxLength: 2, minLength: 3 }), /minLength \(3\) must be <= maxLength \(2\)/],
    [() => new Text({ maxLength: 2, charset: ["ab"] }), /single characters, got \["ab"\]/],
    [() => new Text({ maxLength: 2 }).sample({ mask: [5, null] }), /length must be an integer in \[1, 2\], got 5/],
    [() => new Text({ maxLength: 2, charset: "ab" }).sample({ mask: [1, new Uint8Array(2)] }), /minLength is 1/],
    [() => new Text({ maxLength: 2, charset: "ab" }).sample({ mask: [1, Uint8Array.of(1)] }), /length 2, got length 1/],
  ];
  for (const [f, re] of cases) t.throws(f, { name: "SpaceError", message: re });
});
