import t from "tap";
import { sigmoid, sigmoidInto } from "../../../src/envs/sam-seg/sigmoid";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** The float32 bit pattern of a positive number: consecutive floats differ by 1. */
const bits = (v: number): number => ((f32[0] = v), u32[0] as number);

t.test("fast sigmoid matches 1 / (1 + exp(-x)) within 5e-10 relative, float32 within 1 ulp", async (t) => {
  let maxRel = 0;
  let mismatches = 0;
  let worstUlps = 0;
  const n = 200001;
  for (let i = 0; i < n; i++) {
    const x = Math.fround(-110 + (220 * i) / (n - 1));
    const exact = 1 / (1 + Math.exp(-x));
    const fast = sigmoid(x);
    if (x >= -104) maxRel = Math.max(maxRel, Math.abs(fast - exact) / exact);
    const a = Math.fround(fast), b = Math.fround(exact);
    if (a !== b) {
      mismatches++;
      worstUlps = Math.max(worstUlps, Math.abs(bits(a) - bits(b)));
    }
  }
  t.ok(maxRel < 5e-10, `max relative error ${maxRel}`);
  t.ok(worstUlps <= 1, `float32 differences at most 1 ulp (worst ${worstUlps})`);
  t.ok(mismatches < n / 1000, `${mismatches} float32 near-tie mismatches of ${n}`);
  t.equal(sigmoid(0), 0.5);
  t.equal(sigmoid(41), 1);
  t.equal(sigmoid(-105), 0);
  t.equal(Math.fround(sigmoid(-103)), Math.fround(1 / (1 + Math.exp(103))), "float32 denormal range");
  t.ok(Number.isNaN(sigmoid(NaN)));
  t.equal(sigmoid(Infinity), 1);
  t.equal(sigmoid(-Infinity), 0);
  const out = new Float32Array(3);
  sigmoidInto(Float32Array.of(9, 0, 2, -2), 1, out);
  t.same(Array.from(out), [0.5, Math.fround(1 / (1 + Math.exp(-2))), Math.fround(1 / (1 + Math.exp(2)))]);
});
