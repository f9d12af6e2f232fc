// Space sampling/membership medians (issue 2 targets: Box([256, 64, 64], float32).sample() <= 15 ms,
// contains() <= 0.3 ms, Discrete(2048).sample() <= 0.2 us; Python Gymnasium: 23.5 ms, 0.30 ms, 1.47 us).
// Run: npx tsx bench/spaces.bench.ts
import os from "node:os";
import { Box, Discrete } from "../src/spaces";
import { median } from "./median";

/**
 * Median wall time and median process CPU time of `fn` over `reps` timed calls (after `warmup`
 * untimed calls), in ms. On a busy machine wall time includes time the process waited for a core;
 * CPU time (user + system, microsecond resolution) does not.
 */
function timeEach(fn: () => unknown, reps: number, warmup: number): { wall: number; cpu: number } {
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
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

const [load1] = os.loadavg();
console.log(`machine: ${os.cpus().length} cores, 1-min load average ${(load1 as number).toFixed(2)}`);
console.log(
  `Box([256,64,64], float32).sample()   median ${sampleMs.wall.toFixed(2)} ms wall, ${sampleMs.cpu.toFixed(2)} ms CPU   (target <= 15 ms; Gymnasium 23.5 ms)`,
);
console.log(
  `Box([256,64,64], float32).contains() median ${containsMs.wall.toFixed(3)} ms wall, ${containsMs.cpu.toFixed(3)} ms CPU (target <= 0.3 ms; Gymnasium 0.30 ms)`,
);
console.log(
  `Discrete(2048).sample()              median ${discreteUs.toFixed(4)} us (target <= 0.2 us; Gymnasium 1.47 us)`,
);
