// Space sampling/membership medians (issue 2 targets: Box([256, 64, 64], float32).sample() <= 15 ms,
// contains() <= 0.3 ms, Discrete(2048).sample() <= 0.2 us; Python Gymnasium: 23.5 ms, 0.30 ms, 1.47 us).
// Run: npx tsx bench/spaces.bench.ts
import { Box, Discrete } from "../src/spaces";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

/** Median wall time of `fn` over `reps` timed calls (after `warmup` untimed calls), in ms. */
function timeEach(fn: () => unknown, reps: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Median per-call time of a very fast `fn`, from `rounds` rounds of `calls` calls, in us. */
function timePerCall(fn: () => unknown, calls: number, rounds: number): number {
  let sink = 0;
  const perCall: number[] = [];
  for (let r = 0; r < rounds + 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) sink += fn() as number;
    const dt = performance.now() - t0;
    if (r >= 3) perCall.push((dt * 1000) / calls);
  }
  if (sink === -1) console.log(sink);
  return median(perCall);
}

const box = new Box({ low: 0, high: 1, shape: [256, 64, 64], dtype: "float32", seed: 0 });
const sampleMs = timeEach(() => box.sample(), 60, 10);
const x = box.sample();
const containsMs = timeEach(() => box.contains(x), 500, 50);
if (!box.contains(x)) throw new Error("a Box sample must be contained");

const discrete = new Discrete(2048, { seed: 0 });
const discreteUs = timePerCall(() => discrete.sample(), 1_000_000, 15);

console.log(`Box([256,64,64], float32).sample()   median ${sampleMs.toFixed(2)} ms   (target <= 15 ms; Gymnasium 23.5 ms)`);
console.log(`Box([256,64,64], float32).contains() median ${containsMs.toFixed(3)} ms  (target <= 0.3 ms; Gymnasium 0.30 ms)`);
console.log(`Discrete(2048).sample()              median ${discreteUs.toFixed(4)} us (target <= 0.2 us; Gymnasium 1.47 us)`);
