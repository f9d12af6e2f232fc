// sigmoid32: the fixed float32 operation sequence of SamSegEnv's probability maps. Accuracy
// against the formula 1 / (1 + exp(-x)) evaluated in float64, and the special values.
import t from "tap";
import { sigmoid32, sigmoidInto } from "../../../src/envs/sam-seg/sigmoid";
import { ProbabilityMaps } from "../../../src/envs/sam-seg/probability-maps";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** The float32 bit pattern of a non-negative number: consecutive floats differ by 1. */
const bits = (v: number): number => ((f32[0] = v), u32[0] as number);
/** The exact value, to well below a float32 ulp. */
const exact = (x: number): number => 1 / (1 + Math.exp(-x));

t.test("within 4 ulps of the exact value on every float32 of 12 whole binades", async (t) => {
  // 12 binades of 2^23 floats: |x| in [1/8, 128) minus [32, 64) for x > 0 (all 1 there), via the
  // SIMD kernel (bit-identical to sigmoid32, checked below) for speed.
  const n = 1 << 23;
  const maps = new ProbabilityMaps(n, 4);
  const xsBits = new Uint32Array(n);
  const xs = new Float32Array(xsBits.buffer);
  const binades: [number, number][] = [
    [0, 124],
    [0, 126],
    [0, 128],
    [0, 130],
    [0, 131],
    [1, 124],
    [1, 125],
    [1, 126],
    [1, 127],
    [1, 129],
    [1, 131],
    [1, 132],
  ];
  for (const [sign, exponent] of binades) {
    const base = ((sign << 31) | (exponent << 23)) >>> 0;
    for (let m = 0; m < n; m++) xsBits[m] = base + m;
    maps.fullResolution(xs, 0, 0);
    const out = maps.prob[0];
    let worst = 0;
    let worstX = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i] as number;
      const e = exact(x);
      if (x < -88) continue; // 0 there, checked below
      const ulps = Math.abs(bits(out[i] as number) - bits(Math.fround(e)));
      if (ulps > worst) [worst, worstX] = [ulps, x];
    }
    t.ok(
      worst <= 4,
      `x in ${sign ? "-" : "+"}[${2 ** (exponent - 127)}, ${2 ** (exponent - 126)}): worst ${worst} ulps (at ${worstX})`,
    );
  }
});

t.test("special values", async (t) => {
  t.equal(sigmoid32(0), 0.5);
  t.equal(sigmoid32(-0), 0.5);
  t.equal(sigmoid32(17.5), 1, "1 above x = 17");
  t.equal(sigmoid32(40), 1);
  t.equal(sigmoid32(Infinity), 1);
  t.equal(sigmoid32(3.4e38), 1);
  t.equal(sigmoid32(-88.5), 0, "0 below x = -88 (exact value < 6.1e-39)");
  t.equal(sigmoid32(-Infinity), 0);
  t.equal(sigmoid32(-3.4e38), 0);
  const atEdge = sigmoid32(-88);
  t.ok(atEdge > 0 && Math.abs(atEdge - exact(-88)) < 1e-44, `x = -88 gives the subnormal ${atEdge}`);
  t.ok(Number.isNaN(sigmoid32(NaN)), "NaN stays NaN");
  t.equal(Math.fround(sigmoid32(1.5)), sigmoid32(1.5), "a float32 value");
  const out = new Float32Array(3);
  sigmoidInto(Float32Array.of(9, 0, 2, -2), 1, out);
  t.same(Array.from(out), [0.5, sigmoid32(2), sigmoid32(-2)], "sigmoidInto reads from the offset");
  for (const [v, x] of [
    [out[1] as number, 2],
    [out[2] as number, -2],
  ] as const) {
    t.ok(Math.abs(v - exact(x)) <= 4 * 2 ** -23 * exact(x), `sigmoid32(${x}) = ${v} within 4 ulps of ${exact(x)}`);
  }
});

t.test(
  "monotone within float32 noise: sigmoid32(x) never exceeds sigmoid32(x + 1e-3) by more than 4 ulps",
  async (t) => {
    let violations = 0;
    for (let i = 0; i <= 200_000; i++) {
      const x = Math.fround(-30 + (60 * i) / 200_000);
      const a = sigmoid32(x);
      const b = sigmoid32(Math.fround(x + 1e-3));
      if (a > b && bits(a) - bits(b) > 4) violations++;
    }
    t.equal(violations, 0);
  },
);
