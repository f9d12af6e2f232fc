// ProbabilityMaps: the WebAssembly SIMD kernel and the scalar path give bit-identical maps and
// identical overlap sums (those of overlapSums, hence of softDice); the committed kernel bytes
// are the assembled sigmoid-kernel.wat.
import t from "tap";
import ndarray from "ndarray";
import { Rng } from "../../../src/core/rng";
import { overlapSums } from "../../../src/rewards/overlap-sums";
import { softDice } from "../../../src/rewards/soft-dice";
import { sigmoid32 } from "../../../src/envs/sam-seg/sigmoid";
import { ProbabilityMaps } from "../../../src/envs/sam-seg/probability-maps";
import { SIGMOID_KERNEL_BASE64 } from "../../../src/envs/sam-seg/generated/sigmoid-kernel-bytes";
import { assembleSigmoidKernel } from "../../../scripts/wasm-assembler";

/** n random float32 logits: wide, moderate, near 0 and near the clamp edges, plus special values. */
function randomLogits(rng: Rng, n: number): Float32Array {
  const xs = new Float32Array(n);
  const edges = [-88, -87, 17, 88, -104];
  for (let i = 0; i < n; i++) {
    const u = rng.random();
    const kind = i % 4;
    xs[i] =
      kind === 0
        ? 240 * u - 120
        : kind === 1
          ? 40 * u - 20
          : kind === 2
            ? 1e-3 * (u - 0.5)
            : edges[(i >> 2) % edges.length]! + (u - 0.5);
  }
  const specials = [NaN, Infinity, -Infinity, 0, -0, 3.4e38, -3.4e38, 1e-30];
  specials.forEach((v, j) => (xs[(j * 7919) % n] = v));
  return xs;
}

function randomMask(rng: Rng, n: number): Uint8Array {
  const density = rng.random();
  return Uint8Array.from({ length: n }, () => (rng.random() < density ? (rng.random() < 0.5 ? 1 : 200) : 0));
}

t.test("the kernel is available on this runtime (Node 20 has WebAssembly SIMD)", async (t) => {
  t.equal(new ProbabilityMaps(16, 16).simd, true);
  t.equal(new ProbabilityMaps(16, 16, { simd: false }).simd, false);
});

t.test("SIMD and scalar paths: bit-identical maps and sums, equal to sigmoid32 and overlapSums", async (t) => {
  const rng = new Rng(11);
  for (const [h, w, low] of [
    [61, 83, 255],
    [20, 30, 64],
    [1, 3, 1],
    [375, 500, 65536],
  ] as const) {
    const n = h * w;
    const simd = new ProbabilityMaps(n, low);
    const scalar = new ProbabilityMaps(n, low, { simd: false });
    const logits = randomLogits(rng, n + 5);
    const gt = randomMask(rng, n + 3);
    simd.setGroundTruth(gt, 3);
    scalar.setGroundTruth(gt, 3);
    const a = simd.fullResolution(logits, 5 % (logits.length - n + 1), 1);
    const b = scalar.fullResolution(logits, 5 % (logits.length - n + 1), 1);
    const off = 5 % (logits.length - n + 1);
    let mapMismatch = 0,
      refMismatch = 0;
    for (let i = 0; i < n; i++) {
      if (!Object.is(simd.prob[1][i], scalar.prob[1][i])) mapMismatch++;
      if (!Object.is(simd.prob[1][i], sigmoid32(logits[off + i] as number))) refMismatch++;
    }
    t.equal(mapMismatch, 0, `[${h}, ${w}] maps identical`);
    t.equal(refMismatch, 0, `[${h}, ${w}] maps are sigmoid32's`);
    t.same(a, b, `[${h}, ${w}] sums identical`);
    t.same(a, overlapSums(gt, 3, simd.prob[1], 0, n), `[${h}, ${w}] sums are overlapSums'`);
    const lowA = new Float32Array(low),
      lowB = new Float32Array(low);
    simd.lowResolution(logits, 2, lowA);
    scalar.lowResolution(logits, 2, lowB);
    t.equal(lowA.filter((v, i) => !Object.is(v, lowB[i])).length, 0, `low-res [${low}] identical`);
    t.equal(
      lowA.filter((v, i) => !Object.is(v, sigmoid32(logits[2 + i] as number))).length,
      0,
      `low-res [${low}] is sigmoid32's`,
    );
  }
});

t.test("the sums give softDice and the IoU counts exactly", async (t) => {
  const rng = new Rng(12);
  const [h, w] = [37, 41];
  const maps = new ProbabilityMaps(h * w, 4);
  for (let trial = 0; trial < 10; trial++) {
    const logits = Float32Array.from({ length: h * w }, () => 24 * rng.random() - 12);
    const gt = randomMask(rng, h * w);
    maps.setGroundTruth(gt);
    const s = maps.fullResolution(logits, 0, 0);
    const prob = maps.prob[0];
    let gtCount = 0,
      hardPred = 0,
      hardInter = 0;
    for (let i = 0; i < gt.length; i++) {
      const hard = (prob[i] as number) > 0.5 ? 1 : 0;
      const g = (gt[i] as number) > 0 ? 1 : 0;
      gtCount += g;
      hardPred += hard;
      hardInter += hard & g;
    }
    t.equal(
      (2 * s.inter + 1e-6) / (s.gtCount + s.sum + 1e-6),
      softDice(ndarray(gt, [h, w]), ndarray(prob, [h, w])),
      "soft dice identical",
    );
    t.same([s.gtCount, s.hardInter, s.hardPred], [gtCount, hardInter, hardPred], "counts");
  }
});

t.test("the committed kernel bytes are the assembled sigmoid-kernel.wat", async (t) => {
  const bytes = await assembleSigmoidKernel();
  t.equal(
    Buffer.from(bytes).toString("base64"),
    SIGMOID_KERNEL_BASE64,
    "run `npx tsx scripts/build-wasm.ts` after editing the .wat",
  );
});
