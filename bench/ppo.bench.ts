// PPO benchmark (not CI).
// 1. CartPole-v1 with CleanRL's ppo.py defaults (500k steps, 4 envs, 128 steps, ...) for seeds
//    1-3: mean return of the last 100 episodes (target >= 475), SPS (target >= 7,000; CleanRL
//    torch CPU ~6,800) and where the time goes. Writes docs/img/ppo-cartpole.png.
// 2. The default `alignsam-gym train` on SamSegEnv-v0, then `eval` on 100 held-out episodes:
//    trained greedy policy vs random clicks vs the click-simulator oracle (aim: random + 0.15 IoU).
//    Writes docs/img/ppo-samseg.png.
// Run: npm run bench -- ppo   (or: npx tsx bench/ppo.bench.ts [cartpole|samseg|all] [steps] [backend] [seeds])
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Env } from "../src/core/env";
import { make } from "../src/registry";
import { SyncVectorEnv } from "../src/vector";
import { MlpAgent, PpoTrainer, selectBackend } from "../src/ppo";
import type { BackendName, PpoVectorEnv } from "../src/ppo";
import { movingAverage, renderFigurePng, runEvaluation, runTraining } from "../src/cli";
import type { Series } from "../src/cli";

const part = process.argv[2] ?? "all";
const totalTimesteps = Number(process.argv[3] ?? 500_000);
const backendName = (process.argv[4] ?? "wasm") as BackendName;
const seeds = (process.argv[5] ?? "1,2,3").split(",").map(Number);

interface SeedResult {
  seed: number;
  last100: number;
  sps: number;
  seconds: number;
  split: Record<string, number>;
  curve: { steps: number[]; returns: number[] };
}

async function runSeed(seed: number): Promise<SeedResult> {
  const envs = new SyncVectorEnv(
    Array.from({ length: 4 }, () => (): Env<unknown, unknown> => make("CartPole-v1")),
  ) as unknown as PpoVectorEnv;
  const agent = new MlpAgent(envs.singleObservationSpace, envs.singleActionSpace, { kind: "mlp" }, seed);
  const ppo = new PpoTrainer({ envs, agent, hyperparameters: { totalTimesteps, seed } });
  const t0 = performance.now();
  await ppo.start();
  const split = { rolloutForward: 0, envStep: 0, gae: 0, update: 0 };
  const returns: number[] = [];
  const steps: number[] = [];
  while (!ppo.done) {
    const log = await ppo.iterate();
    for (const k of Object.keys(split) as Array<keyof typeof split>) split[k] += log.time[k];
    for (const e of log.episodes) {
      returns.push(e.r);
      steps.push(log.globalStep);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const last = returns.slice(-100);
  ppo.dispose();
  agent.dispose();
  await envs.close();
  return {
    seed,
    last100: last.reduce((a, b) => a + b, 0) / last.length,
    sps: ppo.globalStep / seconds,
    seconds,
    split,
    curve: { steps, returns },
  };
}

async function cartPole(): Promise<void> {
  const { backend } = await selectBackend(backendName);
  console.log(
    `PPO CartPole-v1, CleanRL defaults, ${totalTimesteps} steps, backend ${backend}, seeds ${seeds.join(", ")}`,
  );
  const results: SeedResult[] = [];
  for (const seed of seeds) {
    const r = await runSeed(seed);
    results.push(r);
    const total = Object.values(r.split).reduce((a, b) => a + b, 0);
    const pct = (v: number): string => `${((100 * v) / (r.seconds * 1000)).toFixed(0)}%`;
    console.log(
      `seed ${seed}: mean return of the last 100 episodes ${r.last100.toFixed(1)} | ${Math.round(r.sps)} SPS | ${r.seconds.toFixed(1)} s | ` +
        `rollout forward ${pct(r.split.rolloutForward)}, env step ${pct(r.split.envStep)}, GAE ${pct(r.split.gae)}, update ${pct(r.split.update)}, other ${pct(r.seconds * 1000 - total)}`,
    );
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = (xs: number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
  const l = results.map((r) => r.last100);
  const sps = results.map((r) => r.sps);
  console.log(
    `RESULT last-100 return ${mean(l).toFixed(1)} +- ${std(l).toFixed(1)} (target >= 475) | median SPS ${Math.round([...sps].sort((a, b) => a - b)[Math.floor(sps.length / 2)]!)} (target >= 7000)`,
  );
  const colors: Array<[number, number, number]> = [
    [31, 119, 180],
    [214, 39, 40],
    [44, 160, 44],
  ];
  const series: Series[] = results.map((r, i) => ({
    label: `seed ${r.seed}`,
    xs: r.curve.steps,
    ys: movingAverage(r.curve.returns, 100),
    color: colors[i % 3]!,
  }));
  // Only the full default run updates the README figure.
  const dir = totalTimesteps === 500_000 ? join(__dirname, "..", "docs", "img") : tmpdir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "ppo-cartpole.png"),
    renderFigurePng(
      [{ title: "PPO CartPole-v1 (CleanRL defaults): episodic return, mean of 100", xLabel: "env steps", series }],
      1,
      [720, 320],
    ),
  );
  console.log(`learning curve: ${join(dir, "ppo-cartpole.png")}`);
}

async function samSeg(): Promise<void> {
  const outDir = join(tmpdir(), `asg-bench-samseg-${process.pid}`);
  const t0 = performance.now();
  await runTraining({
    envId: "SamSegEnv-v0",
    envKwargs: {},
    hyperparameters: {},
    agent: null,
    outDir,
    resume: null,
    backend: backendName,
    vectorMode: "sync",
    checkpointEvery: 25,
    plotEvery: 10,
    progress: false,
  });
  const minutes = (performance.now() - t0) / 60_000;
  const results = await runEvaluation({
    checkpoint: join(outDir, "checkpoint.bin"),
    episodes: 100,
    maxClicks: 5,
    seed: 1_000_000,
    envKwargs: {},
    policies: ["greedy", "sampled", "random", "oracle"],
    outDir: join(outDir, "eval"),
    overlays: 4,
    backend: backendName,
  });
  const iou = (p: string): number => results.find((r) => r.policy === p)?.finalIou ?? NaN;
  console.log(
    `RESULT SamSegEnv-v0 default train: ${minutes.toFixed(1)} min; final IoU greedy ${iou("greedy").toFixed(3)}, random ${iou("random").toFixed(3)}, oracle ${iou("oracle").toFixed(3)}; greedy - random = ${(iou("greedy") - iou("random")).toFixed(3)} (aim >= 0.15)`,
  );
  const dir = join(__dirname, "..", "docs", "img");
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(outDir, "learning-curves.png"), join(dir, "ppo-samseg.png"));
  console.log(`learning curves: ${join(dir, "ppo-samseg.png")}; eval overlays: ${join(outDir, "eval")}`);
}

(async () => {
  if (part === "cartpole" || part === "all") await cartPole();
  if (part === "samseg" || part === "all") await samSeg();
})();
