import t from "tap";
import fc from "fast-check";
import ndarray from "ndarray";
import { SpaceError } from "../../src/core";
import { Box, spaceFromJSON, dtypeInfo } from "../../src/spaces";
import { allInRangeSimd, simdRangeAvailable } from "../../src/spaces/simd-range";
import { boxArb } from "./arbitraries";

t.test("sample() is always contained, and the same seed gives the same samples", async (t) => {
  fc.assert(
    fc.property(boxArb, fc.nat(), (box, seed) => {
      box.seed(seed);
      const a = [box.sample(), box.sample()];
      box.seed(seed);
      const b = [box.sample(), box.sample()];
      for (const x of a)
        if (!box.contains(x)) throw new Error(`${box} does not contain its sample ${JSON.stringify(box.toJSON(x))}`);
      t.same(
        b.map((x) => Array.from(x.data)),
        a.map((x) => Array.from(x.data)),
      );
      return a[0]!.data.constructor === dtypeInfo(box.dtype).ctor;
    }),
    { numRuns: 200 },
  );
});

t.test("toJSON/fromJSON and spaceFromJSON(describe()) round trip", async (t) => {
  fc.assert(
    fc.property(boxArb, fc.nat(), (box, seed) => {
      box.seed(seed);
      const x = box.sample();
      const back = box.fromJSON(JSON.parse(JSON.stringify(box.toJSON(x))));
      const rebuilt = spaceFromJSON(JSON.parse(JSON.stringify(box.describe())));
      return (
        Array.from(back.data).every((v, i) => v === x.data[i]) &&
        rebuilt.equals(box) &&
        box.equals(rebuilt) &&
        (rebuilt as Box).isBounded("below") === box.isBounded("below") &&
        (rebuilt as Box).isBounded("above") === box.isBounded("above")
      );
    }),
  );
  t.pass();
});

t.test("sampling distributions follow the boundedness of each element", async (t) => {
  const box = new Box({
    low: [0, -Infinity, 2, -Infinity],
    high: [1, 5, Infinity, Infinity],
    dtype: "float64",
    seed: 1,
  });
  const n = 4000;
  const sums = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const x = box.sample();
    for (let j = 0; j < 4; j++) sums[j]! += x.data[j]!;
  }
  const mean = sums.map((s) => s / n);
  t.ok(Math.abs(mean[0]! - 0.5) < 0.03, `uniform [0, 1] mean ${mean[0]}`);
  t.ok(Math.abs(mean[1]! - 4) < 0.1, `5 - Exp(1) mean ${mean[1]}`);
  t.ok(Math.abs(mean[2]! - 3) < 0.1, `2 + Exp(1) mean ${mean[2]}`);
  t.ok(Math.abs(mean[3]!) < 0.1, `N(0, 1) mean ${mean[3]}`);
});

t.test("integer boxes include high and floor", async (t) => {
  const box = new Box({ low: 0, high: 2, shape: [1000], dtype: "uint8", seed: 3 });
  const x = box.sample();
  const counts = [0, 0, 0];
  for (const v of x.data) counts[v]!++;
  t.ok(
    counts.every((c) => c > 250),
    `each of 0, 1, 2 is drawn: ${counts}`,
  );
  const wide = new Box({ low: -2147483648, high: 2147483647, shape: [64], dtype: "int32", seed: 1 });
  t.ok(wide.contains(wide.sample()));
});

t.test("contains checks type, dtype (safe casts), shape, bounds and NaN", async (t) => {
  const box = new Box({ low: -1, high: 1, shape: [2, 2], dtype: "float32" });
  const ok = ndarray(new Float32Array([0, 0.5, -1, 1]), [2, 2]);
  t.ok(box.contains(ok));
  t.notOk(box.contains(ndarray(new Float32Array([0, 0.5, -1, 1.5]), [2, 2])), "out of bounds");
  t.notOk(box.contains(ndarray(new Float32Array([0, NaN, 0, 0]), [2, 2])), "NaN");
  t.notOk(box.contains(ndarray(new Float32Array(4), [4])), "shape");
  t.notOk(box.contains(ndarray(new Float64Array(4), [2, 2])), "float64 does not cast safely to float32");
  t.ok(box.contains(ndarray(new Int16Array(4), [2, 2])), "int16 casts safely to float32");
  t.notOk(box.contains(ndarray(new Int32Array(4), [2, 2])), "int32 does not cast safely to float32");
  t.notOk(box.contains([0, 0, 0, 0]), "plain arrays are not values");
  t.notOk(box.contains(undefined));
  // a transposed (non-contiguous) view is read by its strides
  const big = new Box({
    low: 0,
    high: [
      [1, 1, 1],
      [9, 9, 9],
    ],
    dtype: "float32",
  });
  const view = ndarray(new Float32Array([1, 9, 1, 9, 1, 9]), [3, 2]).transpose(1, 0);
  t.ok(big.contains(view));
  const image = new Box({ low: 0, high: 255, shape: [2, 2, 3], dtype: "uint8" });
  t.ok(image.contains(ndarray(new Uint8Array(12).fill(255), [2, 2, 3])), "a full-range uint8 image");
  t.notOk(new Box({ low: 0, high: 254, shape: [2], dtype: "uint8" }).contains(ndarray(Uint8Array.of(0, 255), [2])));
  // SIMD tails: every position of a length not divisible by the lane count is checked
  const long = new Box({ low: 0, high: 1, shape: [1003], dtype: "float64" });
  for (const pos of [0, 500, 1000, 1001, 1002]) {
    const arr = new Float64Array(1003).fill(0.5);
    arr[pos] = 2;
    t.notOk(long.contains(ndarray(arr, [1003])), `bad element at ${pos}`);
  }
});

t.test("shape inference, broadcasting and Gymnasium's repr", async (t) => {
  t.same(new Box({ low: 0, high: 1 }).shape, [1]);
  t.same(new Box({ low: [0, 0], high: 1 }).shape, [2]);
  t.same(new Box({ low: [[0, 0, 0]], high: [[1, 2, 3]] }).shape, [1, 3]);
  t.equal(new Box({ low: -1, high: 2, shape: [3, 4] }).toString(), "Box(-1.0, 2.0, (3, 4), float32)");
  t.equal(new Box({ low: [-1, -2], high: [2, 4] }).toString(), "Box([-1.0 -2.0], [2.0 4.0], (2,), float32)");
  t.equal(new Box({ low: 0.1, high: 255, shape: [], dtype: "float32" }).toString(), "Box(0.1, 255.0, (), float32)");
  t.equal(
    new Box({ low: 0, high: 255, shape: [64, 64, 3], dtype: "uint8" }).toString(),
    "Box(0, 255, (64, 64, 3), uint8)",
  );
  const unb = new Box({ low: -Infinity, high: Infinity, shape: [2], dtype: "int8" });
  t.same(Array.from(unb.low.data), [-128, -128]);
  t.notOk(unb.isBounded("below"));
  t.notOk(unb.isBounded());
  t.ok(new Box({ low: 0, high: 1 }).isBounded("both"));
});

t.test("bad input throws SpaceError naming the value", async (t) => {
  const cases: [() => unknown, RegExp][] = [
    [() => new Box({ low: 2, high: 1 }), /low=2 > high=1/],
    [() => new Box({ low: 0, high: 1, dtype: "int64" as never }), /unknown dtype "int64"/],
    [() => new Box({ low: [0, 0, 0], high: [1, 1], shape: undefined }), /shapes differ/],
    [() => new Box({ low: [0, 0, 0], high: 1, shape: [2] }), /low has shape \[3\] but the space.s shape is \[2\]/],
    [
      () =>
        new Box({
          low: [
            [0, 0],
            [0, 0],
          ],
          high: 1,
          shape: [4],
        }),
      /low has shape \[2, 2\]/,
    ],
    [() => new Box({ low: NaN, high: 1 }), /NaN/],
    [() => new Box({ low: -Infinity, high: 1, dtype: "uint8" }), /unsigned/],
    [() => new Box({ low: 0, high: 300, dtype: "uint8" }), /high=300 is outside the uint8 range/],
    [() => new Box({ low: 0, high: 1, shape: [-1] }), /shape must be an array of non-negative integers, got \[-1\]/],
    [() => new Box({ low: [[0], [0, 1]], high: 1 }), /regular array/],
    [() => new Box({ low: "a" as never, high: 1 }), /"a"/],
    [() => new Box({ low: 0, high: 1 }).sample({ mask: [1] as never }), /mask/],
    [() => new Box({ low: 0, high: 1, shape: [2] }).fromJSON([1, 2, 3]), /shape \[2\]/],
    [() => new Box({ low: 0, high: 1 }).isBounded("sideways" as never), /"sideways"/],
  ];
  for (const [f, re] of cases) t.throws(f, { name: "SpaceError", message: re });
  t.throws(() => new Box({ low: 2, high: 1 }), SpaceError);
});

t.test("seed returns the seed and seeded boxes are independent of sampling elsewhere", async (t) => {
  const a = new Box({ low: 0, high: 1, shape: [3] });
  t.same(a.seed(17), [17]);
  const first = Array.from(a.sample().data);
  const b = new Box({ low: 0, high: 1, shape: [3], seed: 17 });
  t.same(Array.from(b.sample().data), first);
  t.throws(() => a.seed(-1), { name: "SeedError" });
});

t.test("the SIMD range check agrees with a scalar loop", async (t) => {
  t.ok(simdRangeAvailable(), "WebAssembly SIMD is available on Node 20");
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.array(fc.oneof(fc.double({ min: -4, max: 4 }), fc.constant(Number.NaN), fc.constant(Infinity)), {
        minLength: 0,
        maxLength: 40,
      }),
      fc.double({ min: -3, max: 0, noNaN: true }),
      fc.double({ min: 0, max: 3, noNaN: true }),
      (f32, values, lo, hi) => {
        const data = f32 ? Float32Array.from(values) : Float64Array.from(values);
        const l = f32 ? Math.fround(lo) : lo;
        const h = f32 ? Math.fround(hi) : hi;
        return allInRangeSimd(data, l, h) === Array.from(data).every((v) => v >= l && v <= h);
      },
    ),
    { numRuns: 500 },
  );
});

t.test("uniform float samples stay inside extreme and degenerate bounds", async (t) => {
  const f32max = 3.4028234663852886e38;
  const onePlusUlp = 1 + 2 ** -23;
  const cases: [number, number, "float32" | "float64"][] = [
    [-f32max, f32max, "float32"],
    [1e-30, 1, "float32"],
    [0, 1e-40, "float32"],
    [1, onePlusUlp, "float32"],
    [-1, 0, "float32"],
    [5, 5, "float32"],
    [-Number.MAX_VALUE, Number.MAX_VALUE, "float64"],
    [1, 1 + 2 ** -52, "float64"],
    [-1e-300, 0, "float64"],
  ];
  for (const [low, high, dtype] of cases) {
    const box = new Box({ low, high, shape: [20000], dtype, seed: 11 });
    const x = box.sample();
    t.ok(box.contains(x), `Box(${low}, ${high}, ${dtype}) contains its sample`);
  }
});
