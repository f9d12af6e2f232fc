// Segmenter benchmarks: GeodesicSegmenter embed/predict timings at 375x500, OnnxSamSegmenter
// overhead outside session.run (tiny generated SAM-contract models), and the GrabCut quality
// table of the standard click protocol (read from ../shared/datasets/grabcut at run time).
//   npm run bench -- segmenters          (all)
//   SEGMENTERS_BENCH_QUICK=1 ...         (timings only)
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { Rng } from "../src/core/rng";
import { GeodesicSegmenter, OnnxSamSegmenter, evaluateSegmenter } from "../src/segmenters";
import type { PromptableSegmenter, SegmenterPrompt } from "../src/segmenters";
import { datasetSamples, formatEvaluation, grabCutSamples } from "../src/cli";
import { CocoDataset, generateSyntheticCoco } from "../src/data";
import { tinySamDecoder, tinySamEncoder } from "../scripts/tiny-sam-onnx";
import { median } from "./median";

const H = 375,
  W = 500;

/** Median wall time and mean CPU time (user + system, this process) of `fn`, milliseconds. */
async function timeIt(fn: () => Promise<unknown>, runs: number, warmup = 3): Promise<{ wall: number; cpu: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const ts: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
  }
  const c = process.cpuUsage(c0);
  return { wall: median(ts), cpu: (c.user + c.system) / 1000 / runs };
}

const fmt = (t: { wall: number; cpu: number }): string =>
  `median wall ${t.wall.toFixed(2).padStart(6)} ms, mean CPU ${t.cpu.toFixed(2).padStart(6)} ms`;

/** A 375x500 test image: smooth gradients, noise and a few blobs (not a flat image). */
function testImage(): NdArray<Uint8Array> {
  const rng = new Rng(1);
  const img = ndarray(new Uint8Array(H * W * 3), [H, W, 3]);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const blob = (x - 250) ** 2 / 120 ** 2 + (y - 190) ** 2 / 90 ** 2 < 1;
      const base = blob ? [200, 80, 60] : [60 + x / 5, 90 + y / 6, 120];
      for (let c = 0; c < 3; c++) img.set(y, x, c, Math.max(0, Math.min(255, base[c] + rng.normal(0, 12))));
    }
  return img;
}

function clicks(n: number): Pick<SegmenterPrompt, "points" | "labels"> {
  const rng = new Rng(2);
  const points: Array<[number, number]> = [],
    labels: number[] = [];
  for (let i = 0; i < n; i++) {
    points.push([rng.integers(0, W), rng.integers(0, H)]);
    labels.push(i === 0 ? 1 : rng.integers(0, 2));
  }
  return { points, labels };
}

async function geodesicTimings(): Promise<void> {
  const seg = new GeodesicSegmenter();
  const image = testImage();
  const embedMs = await timeIt(() => seg.embed(image), 30);
  const emb = await seg.embed(image);
  console.log(`GeodesicSegmenter ${seg.id}, image ${H}x${W}, embedding [${seg.embeddingShape.join(", ")}]`);
  console.log(
    `  machine load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(", ")} on ${cpus().length} cores (wall times grow with load)`,
  );
  console.log(`  embed                       ${fmt(embedMs)}   (target <= 30 ms)`);
  let prev: NdArray<Float32Array> | undefined;
  for (const n of [1, 5, 20]) {
    for (const multimask of [false, true]) {
      const prompt: SegmenterPrompt = { ...clicks(n), imageSize: [H, W], multimask, maskInput: prev };
      const ms = await timeIt(async () => {
        const out = await seg.predict(emb, prompt);
        prev = ndarray(out.lowResLogits.data.slice(0, 65536), [256, 256]);
      }, 30);
      console.log(
        `  predict ${String(n).padStart(2)} clicks ${multimask ? "multimask " : "single    "}  ${fmt(ms)}   (target <= 15 ms; same prompt repeated)`,
      );
    }
  }
  await episodeTimings(seg, image);
}

/**
 * Predict as the env and the click protocol call it: episodes of 5 clicks added one at a time on
 * a fresh embedding (its first call derives the step costs), median over every call of 40
 * episodes; single mask (SamSegEnv-v0) and multimask with mask feedback (evaluate-segmenter), both
 * with reuseOutput as those callers pass it.
 */
async function episodeTimings(seg: GeodesicSegmenter, image: NdArray<Uint8Array>): Promise<void> {
  for (const multimask of [false, true]) {
    const wall: number[] = [],
      cpu: number[] = [];
    for (let e = 0; e < 45; e++) {
      const emb = await seg.embed(image);
      const rng = new Rng(100 + e);
      const points: Array<[number, number]> = [],
        labels: number[] = [];
      let prev: NdArray<Float32Array> | undefined;
      for (let k = 0; k < 5; k++) {
        points.push([rng.integers(0, W), rng.integers(0, H)]);
        labels.push(k === 0 ? 1 : rng.integers(0, 2));
        const prompt: SegmenterPrompt = {
          points: [...points],
          labels: [...labels],
          imageSize: [H, W],
          multimask,
          maskInput: multimask ? prev : undefined,
          reuseOutput: true, // as the env and evaluate-segmenter call it
        };
        const c0 = process.cpuUsage(),
          t = performance.now();
        const out = await seg.predict(emb, prompt);
        const dt = performance.now() - t,
          c = process.cpuUsage(c0);
        if (e >= 5) {
          wall.push(dt);
          cpu.push((c.user + c.system) / 1000);
        }
        prev = ndarray(out.lowResLogits.data.slice(0, 65536), [256, 256]);
      }
    }
    const what = multimask ? "multimask + mask input" : "single (the env's call) ";
    console.log(
      `  predict 1..5 clicks, one added per call, ${what}  median wall ${median(wall).toFixed(2).padStart(6)} ms, median CPU ${median(cpu).toFixed(2).padStart(6)} ms   (target <= 3 ms)`,
    );
  }
}

async function onnxOverhead(): Promise<void> {
  try {
    await import("onnxruntime-node");
  } catch {
    console.log("OnnxSamSegmenter overhead: skipped (onnxruntime-node not installed)");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "asg-bench-"));
  try {
    const decoderPath = join(dir, "dec.onnx");
    writeFileSync(decoderPath, tinySamDecoder());
    writeFileSync(join(dir, "enc.onnx"), tinySamEncoder());
    const sam = new OnnxSamSegmenter({ decoderPath, encoderPath: join(dir, "enc.onnx"), intraOpNumThreads: 1 });
    const emb = ndarray(new Float32Array(256 * 64 * 64), [256, 64, 64]);
    const mask = ndarray(new Float32Array(65536), [256, 256]);
    const prompt: SegmenterPrompt = { ...clicks(20), imageSize: [H, W], multimask: true, maskInput: mask };
    for (let i = 0; i < 10; i++) await sam.predict(emb, prompt);
    const runs = 200,
      before = sam.timings.decoderMs;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await sam.predict(emb, prompt);
      times.push(performance.now() - t);
    }
    const total = times.reduce((x, y) => x + y, 0) / runs,
      inRun = (sam.timings.decoderMs - before) / runs;
    console.log(`OnnxSamSegmenter (tiny SAM-contract decoder, ${H}x${W}, 20 clicks, multimask)`);
    console.log(
      `  predict mean ${total.toFixed(3)} ms (median ${median(times).toFixed(3)}), inside session.run ${inRun.toFixed(3)} ms -> overhead ${(total - inRun).toFixed(3)} ms per predict (target <= 2 ms)`,
    );
    const image = testImage();
    const embedMs = await timeIt(() => sam.embed(image), 10, 2);
    console.log(`  embed (preprocessing + tiny encoder) ${fmt(embedMs)}`);
    await sam.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function grabCutTable(segmenter: PromptableSegmenter): Promise<void> {
  const dir = join(__dirname, "..", "..", "shared", "datasets", "grabcut");
  if (!existsSync(dir)) {
    console.log(`GrabCut quality: skipped (${dir} not found)`);
    return;
  }
  const t = performance.now();
  const report = await evaluateSegmenter(segmenter, grabCutSamples(dir), { maxClicks: 20 });
  console.log(formatEvaluation(report, `GrabCut, ${segmenter.id} (${report.samples.length} images)`));
  console.log(
    `  published NoC@90: geodesic matting 14.57, random walker 13.77, graph cut 10.00, geodesic star convexity 9.12; ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}

async function syntheticTable(segmenter: PromptableSegmenter): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "asg-synth-"));
  try {
    const t = performance.now();
    await generateSyntheticCoco({ outDir: dir, images: 100, seed: 0, split: "val" });
    const ds = await new CocoDataset({ dataDir: dir, split: "val" }).load();
    const report = await evaluateSegmenter(segmenter, datasetSamples(ds, 100, 0), { maxClicks: 20 });
    console.log(
      formatEvaluation(
        report,
        `Synthetic COCO (generateSyntheticCoco seed 0; 100 samples, largest instance), ${segmenter.id}`,
      ),
    );
    console.log(`  ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await geodesicTimings();
  await onnxOverhead();
  if (process.env.SEGMENTERS_BENCH_QUICK) return;
  await grabCutTable(new GeodesicSegmenter());
  await syntheticTable(new GeodesicSegmenter());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
