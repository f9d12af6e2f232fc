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
  flatdim,
  flatten,
  flattenSpace,
  unflatten,
} from "../../src/spaces";
import type { Space } from "../../src/spaces";
import { boxArb, compositeArb, discreteArb } from "./arbitraries";

const leafArb = fc.oneof(
  boxArb as fc.Arbitrary<Space<unknown>>,
  discreteArb,
  fc
    .array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 3 })
    .map((nvec) => new MultiDiscrete(nvec.length === 0 ? 3 : nvec, { dtype: "int16" })),
  fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }).map((shape) => new MultiBinary(shape)),
  fc.integer({ min: 0, max: 4 }).map((minLength) => new Text({ minLength, maxLength: minLength + 3, charset: "xyz" })),
);
const json = (space: Space<unknown>, x: unknown): string => JSON.stringify(space.toJSON(x));

t.test("flatten/unflatten round trip and flattenSpace contains the flat value", async (t) => {
  fc.assert(
    fc.property(compositeArb(leafArb), fc.nat(), (space, seed) => {
      space.seed(seed);
      const x = space.sample();
      const flat = flatten(space, x);
      const fs = flattenSpace(space);
      if (flat.shape.length !== 1 || flat.shape[0] !== flatdim(space))
        throw new Error(`flat shape ${flat.shape} != [${flatdim(space)}]`);
      if (fs.dtype !== flat.dtype) throw new Error(`flattenSpace dtype ${fs.dtype} != flatten dtype ${flat.dtype}`);
      if (!fs.contains(flat)) throw new Error(`${fs} does not contain the flattened ${json(space, x)}`);
      const back = unflatten(space, flat);
      return space.contains(back) && json(space, back) === json(space, x);
    }),
    { numRuns: 200 },
  );
  t.pass();
});

t.test("Gymnasium's flatten rules on concrete cases", async (t) => {
  const d = new Discrete(4, { start: 1 });
  t.same(Array.from(flatten(d, 3).data), [0, 0, 1, 0]);
  t.equal(flattenSpace(d).toString(), "Box(0, 1, (4,), int32)");
  const md = new MultiDiscrete([2, 3]);
  t.same(Array.from(flatten(md, ndarray(Int32Array.of(1, 2), [2])).data), [0, 1, 0, 0, 1]);
  t.equal(flatdim(md), 5);
  const text = new Text({ maxLength: 4, charset: "ab" });
  t.same(Array.from(flatten(text, "ba").data), [1, 0, 2, 2]);
  t.equal(unflatten(text, [0, 2, 1, 2]), "ab");
  t.equal(flattenSpace(text).toString(), "Box(0, 2, (4,), int32)");
  const dict = new Dict({ b: new Box({ low: 0, high: 1, shape: [2, 1], dtype: "float32" }), a: new Discrete(2) });
  t.equal(
    flattenSpace(dict).toString(),
    "Box(0.0, 1.0, (4,), float64)",
    "int32 one-hot + float32 -> float64, keys sorted",
  );
  const flat = flatten(dict, { a: 1, b: ndarray(Float32Array.of(0.5, 0.25), [2, 1]) });
  t.same(Array.from(flat.data), [0, 1, 0.5, 0.25]);
  t.equal(
    flattenSpace(new Tuple([new MultiBinary(2), new Box({ low: 0, high: 9, shape: [1], dtype: "uint8" })])).dtype,
    "int16",
    "int8 + uint8 -> int16",
  );
  t.equal(
    flattenSpace(new Box({ low: -Infinity, high: 0, shape: [2, 2] })).toString(),
    "Box(-inf, 0.0, (4,), float32)",
  );
});

t.test("bad input throws SpaceError", async (t) => {
  t.throws(() => unflatten(new Discrete(3), [0, 0, 0]), { name: "SpaceError", message: /not a one-hot vector/ });
  t.throws(() => unflatten(new Discrete(3), [0, 1]), { name: "SpaceError", message: /needs 3 values, got 2/ });
  t.throws(() => flatten(new Discrete(3), 7), { name: "SpaceError", message: /7 is not in Discrete\(3\)/ });
  t.throws(() => flatten(new Text({ maxLength: 2, charset: "a" }), "b"), {
    name: "SpaceError",
    message: /"b" is not in Text/,
  });
  t.throws(() => unflatten(new MultiDiscrete([2, 2]), [1, 0, 0, 0]), { name: "SpaceError", message: /element 1/ });
});
