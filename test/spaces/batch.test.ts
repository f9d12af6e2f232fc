import t from "tap";
import fc from "fast-check";
import ndarray from "ndarray";
import {
  Box,
  Dict,
  Discrete,
  MultiBinary,
  MultiDiscrete,
  Text,
  Tuple,
  batchSpace,
  concatenate,
  createEmptyArray,
  iterate,
} from "../../src/spaces";
import type { Space } from "../../src/spaces";
import { boxArb, compositeArb, discreteArb } from "./arbitraries";

const leafArb = fc.oneof(
  boxArb as fc.Arbitrary<Space<unknown>>,
  discreteArb,
  fc
    .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 })
    .map((nvec) => new MultiDiscrete(nvec, { start: nvec.map((_, i) => i - 1) })),
  fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }).map((shape) => new MultiBinary(shape)),
  fc.integer({ min: 0, max: 4 }).map((minLength) => new Text({ minLength, maxLength: minLength + 3, charset: "xyz" })),
);
// non-empty composites: an empty Tuple/Dict batches to nothing (zip of no columns), as in Gymnasium
const anySpace = compositeArb(leafArb, 1);
const json = (space: Space<unknown>, x: unknown): string => JSON.stringify(space.toJSON(x));

t.test("concatenate then iterate returns the items; the batch lies in batchSpace", async (t) => {
  fc.assert(
    fc.property(
      anySpace,
      fc.integer({ min: 1, max: 4 }),
      fc.nat(),
      fc.constantFrom("zeros", "empty", "ones") as fc.Arbitrary<"zeros">,
      (space, n, seed, fill) => {
        space.seed(seed);
        const items = Array.from({ length: n }, () => space.sample());
        const out = createEmptyArray(space, n, fill);
        const batch = concatenate(space, items, out);
        const batched = batchSpace(space, n);
        if (batch !== out) throw new Error("concatenate must return out");
        if (!batched.contains(batch)) throw new Error(`${batched} does not contain the batch of ${space}`);
        const back = iterate(batched, batch);
        if (back.length !== n) throw new Error(`iterate gave ${back.length} items, expected ${n}`);
        back.forEach((b, i) => {
          if (!space.contains(b)) throw new Error(`${space} does not contain item ${i} from iterate`);
          if (json(space, b) !== json(space, items[i])) throw new Error(`item ${i} changed in the round trip`);
        });
        // a batched space samples batches that iterate into valid single values
        const s = batched.sample();
        return batched.contains(s) && iterate(batched, s).every((x) => space.contains(x));
      },
    ),
    { numRuns: 150 },
  );
  t.pass();
});

t.test("batchSpace follows Gymnasium's rules", async (t) => {
  const box = new Box({ low: [0, -Infinity], high: [1, 2], dtype: "float32" });
  const bb = batchSpace(box, 3) as Box;
  t.same(bb.shape, [3, 2]);
  t.same(Array.from(bb.infiniteBounds().low), [0, -Infinity, 0, -Infinity, 0, -Infinity]);
  const bd = batchSpace(new Discrete(4, { start: 2 }), 3);
  t.ok(bd instanceof MultiDiscrete);
  t.equal(bd.toString(), "MultiDiscrete([4 4 4], start=[2 2 2])");
  const bm = batchSpace(new MultiDiscrete([2, 3], { start: [1, 0] }), 2);
  t.equal(bm.toString(), "Box([[1 0] [1 0]], 2, (2, 2), int32)");
  t.equal(batchSpace(new MultiBinary([2, 3]), 4).toString(), "Box(0, 1, (4, 2, 3), int8)");
  const bt = batchSpace(new Text({ maxLength: 3 }), 2);
  t.equal(
    bt.toString(),
    "Tuple(Text(1, 3, charset=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz), Text(1, 3, charset=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz))",
  );
  const dict = new Dict([
    ["z", new Discrete(2)],
    ["a", box],
  ]);
  const bdict = batchSpace(dict, 2) as Dict;
  t.same(bdict.keys, ["z", "a"], "Dict keeps its key order");
  t.equal(bdict.get("a").toString(), "Box([[0.0 -inf] [0.0 -inf]], [[1.0 2.0] [1.0 2.0]], (2, 2), float32)");
  // the batched space continues a copy of the space's rng
  const d = new Discrete(1000, { seed: 5 });
  const bs = batchSpace(d, 2);
  const expected = new Discrete(1000, { seed: 5 });
  t.equal((bs.sample() as ndarray.NdArray<Int32Array>).data[0], expected.sample());
  t.throws(() => batchSpace(d, 0), { name: "SpaceError", message: /positive integer, got 0/ });
});

t.test("createEmptyArray forms and fills", async (t) => {
  const space = new Dict({
    img: new Box({ low: 0, high: 255, shape: [2, 2], dtype: "uint8" }),
    act: new Discrete(3),
    txt: new Text({ minLength: 2, maxLength: 4, charset: "ba" }),
  });
  const z = createEmptyArray(space, 3) as Record<string, ndarray.NdArray | string[]>;
  t.ok((z.img as ndarray.NdArray).data instanceof Uint8Array);
  t.same((z.img as ndarray.NdArray).shape, [3, 2, 2]);
  t.ok((z.act as ndarray.NdArray).data instanceof Int32Array);
  t.same(z.txt, ["aa", "aa", "aa"]);
  const ones = createEmptyArray(new Box({ low: 0, high: 1, shape: [2] }), 2, "ones") as ndarray.NdArray<Float32Array>;
  t.same(Array.from(ones.data), [1, 1, 1, 1]);
  const shared = createEmptyArray(new Box({ low: 0, high: 1, shape: [2] }), 2, "zeros", {
    shared: true,
  }) as ndarray.NdArray<Float32Array>;
  t.ok(shared.data.buffer instanceof SharedArrayBuffer);
  t.throws(() => createEmptyArray(space, 2, "twos" as never), { name: "SpaceError", message: /"twos"/ });
});

t.test("concatenate and iterate reject malformed input", async (t) => {
  const box = new Box({ low: 0, high: 1, shape: [2] });
  const out = createEmptyArray(box, 2);
  t.throws(() => concatenate(box, [box.sample()], out), { name: "SpaceError", message: /shape \[1, 2\]/ });
  t.throws(() => concatenate(box, [box.sample(), ndarray(new Float32Array(3), [3])], out), {
    name: "SpaceError",
    message: /item 1/,
  });
  t.throws(() => iterate(new Discrete(3), [1, 2]), { name: "SpaceError", message: /Discrete/ });
  t.throws(() => iterate(batchSpace(box, 2), [1, 2]), { name: "SpaceError", message: /batched NdArray/ });
  const tup = new Tuple([box, new Discrete(2)]);
  t.throws(() => iterate(batchSpace(tup, 2), [createEmptyArray(box, 2), createEmptyArray(new Discrete(2), 3)]), {
    name: "SpaceError",
    message: /different lengths/,
  });
  // iterate of a batch of Discrete yields plain numbers
  const md = batchSpace(new Discrete(5), 3);
  t.same(iterate(md, ndarray(Int32Array.of(4, 0, 2), [3])), [4, 0, 2]);
});
