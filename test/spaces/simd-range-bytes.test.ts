import t from "tap";
import { SIMD_RANGE_BASE64 } from "../../src/spaces/generated/simd-range-bytes";
import { assembleSimdRange } from "../../scripts/wasm-assembler";
import { allInRangeSimd, simdRangeAvailable } from "../../src/spaces/simd-range";

t.test("the committed range-check bytes are the assembled simd-range.wat", async (t) => {
  const bytes = await assembleSimdRange();
  t.equal(
    Buffer.from(bytes).toString("base64"),
    SIMD_RANGE_BASE64,
    "run `npx tsx scripts/build-wasm.ts` after editing the .wat",
  );
});

const skip = simdRangeAvailable() ? false : "no WebAssembly SIMD on this runtime";
t.test("the shipped kernels check ranges (4 and 2 lanes, a scalar tail, NaN fails)", { skip }, async (t) => {
  const f32 = Float32Array.from({ length: 11 }, (_, i) => i / 10);
  t.equal(allInRangeSimd(f32, 0, 1), true);
  t.equal(allInRangeSimd(f32, 0, 0.95), false, "the last value is in the scalar tail");
  f32[2] = NaN;
  t.equal(allInRangeSimd(f32, 0, 1), false, "NaN in a vector lane");
  const f64 = Float64Array.from({ length: 5 }, (_, i) => -i);
  t.equal(allInRangeSimd(f64, -4, 0), true);
  t.equal(allInRangeSimd(f64, -3, 0), false);
});
