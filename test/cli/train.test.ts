import t from "tap";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import {
  ENV_DEFAULT_AGENTS,
  ENV_DEFAULT_ENV_KWARGS,
  envDefaultAgent,
  runTraining,
} from "../../src/cli/training-session";
import type { TrainRunOptions } from "../../src/cli/training-session";
import { loadCheckpoint } from "../../src/ppo/persist/checkpoint";
import { registerTinySamSeg, TINY_ID } from "./helpers/tiny-sam-seg";

function options(outDir: string, over: Partial<TrainRunOptions> = {}): TrainRunOptions {
  return {
    envId: "CartPole-v1",
    envKwargs: {},
    agent: null,
    outDir,
    resume: null,
    backend: "wasm",
    vectorMode: "sync",
    checkpointEvery: 2,
    plotEvery: 1,
    progress: false,
    hyperparameters: { numEnvs: 2, numSteps: 32, totalTimesteps: 64 * 3, numMinibatches: 2, updateEpochs: 2 },
    ...over,
  };
}

t.test("train on CartPole writes metrics, a learning-curve PNG and a checkpoint; --resume continues", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-train-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const lines: string[] = [];
  const r = await runTraining(options(dir), (l) => lines.push(l));
  t.equal(r.iterations, 3);
  const rows = readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, number>);
  t.same(
    rows.map((row) => row["iteration"]),
    [1, 2, 3],
  );
  for (const key of [
    "charts/learning_rate",
    "charts/SPS",
    "losses/value_loss",
    "losses/policy_loss",
    "losses/entropy",
    "losses/approx_kl",
    "losses/clipfrac",
  ]) {
    t.ok(Number.isFinite(rows[2]![key]), `${key} logged`);
  }
  const csv = readFileSync(join(dir, "metrics.csv"), "utf8").trim().split("\n");
  t.equal(csv.length, 4, "csv header + 3 rows");
  t.match(csv[0]!, /^iteration,global_step,charts\/episodic_return/);
  const png = PNG.sync.read(readFileSync(join(dir, "learning-curves.png")));
  t.ok(png.width > 400 && png.height > 200, "learning curves are a real image");
  t.ok(
    lines.some((l) => l.includes("checkpoint.bin")),
    "prints where the checkpoint is",
  );
  t.ok(
    lines.some((l) => l.includes("learning-curves.png")),
    "prints where the plots are",
  );
  t.equal(loadCheckpoint(join(dir, "checkpoint.bin")).trainer.iteration, 3);

  const resumed = await runTraining(
    options(dir, { resume: join(dir, "checkpoint.bin"), hyperparameters: { totalTimesteps: 64 * 5 } }),
    (l) => lines.push(l),
  );
  t.equal(resumed.iterations, 5);
  const rows2 = readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, number>);
  t.same(
    rows2.map((row) => row["iteration"]),
    [1, 2, 3, 4, 5],
    "metrics continue from the checkpoint",
  );
  t.same(
    rows2.map((row) => row["global_step"]),
    [64, 128, 192, 256, 320],
  );
  t.ok(
    Math.abs(rows2[3]!["charts/learning_rate"]! - 2.5e-4 * (1 - 3 / 5)) < 1e-12,
    "LR schedule continues over the new budget",
  );
});

t.test("train on a SamSegEnv uses the implicit agent and logs the final IoU", async (t) => {
  registerTinySamSeg();
  const dir = mkdtempSync(join(tmpdir(), "asg-train-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runTraining(
    options(dir, {
      envId: TINY_ID,
      agent: { kind: "implicit", inputGrid: [8, 8], convs: [{ filters: 8, kernel: 3, stride: 2 }], hidden: 32 },
      hyperparameters: { numEnvs: 2, numSteps: 6, totalTimesteps: 24, numMinibatches: 2, updateEpochs: 1 },
    }),
    () => {},
  );
  t.equal(r.iterations, 2);
  const rows = readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, number | null>);
  t.ok(
    rows.some((row) => typeof row["charts/final_iou"] === "number"),
    "final IoU of finished episodes",
  );
  t.equal(loadCheckpoint(join(dir, "checkpoint.bin")).agent.kind, "implicit");
  t.ok(existsSync(join(dir, "learning-curves.png")));
});

t.test("--vector-mode async trains with worker envs and resumes (envs reset, trainer state restored)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-train-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const lines: string[] = [];
  const a = await runTraining(
    options(dir, {
      vectorMode: "async",
      hyperparameters: { numEnvs: 2, numSteps: 32, totalTimesteps: 128, numMinibatches: 2, updateEpochs: 1 },
    }),
    (l) => lines.push(l),
  );
  t.equal(a.iterations, 2);
  const b = await runTraining(
    options(dir, {
      vectorMode: "async",
      resume: join(dir, "checkpoint.bin"),
      hyperparameters: { totalTimesteps: 192 },
    }),
    (l) => lines.push(l),
  );
  t.equal(b.iterations, 3);
  t.ok(
    lines.some((l) => l.includes("envs were reset")),
    "says the env states were not replayed",
  );
});

t.test("the default SamSegEnv-v0 agent is the explicit agent with the bundled synthetic-shapes prior", async (t) => {
  const config = ENV_DEFAULT_AGENTS["SamSegEnv-v0"] as { kind: string; priorProvider?: string; noRepeat?: string };
  t.equal(config.kind, "explicit");
  t.equal(config.priorProvider, "synthetic-shapes");
  t.equal(config.noRepeat, "patch");
  t.equal((config as { correctionPlanes?: string }).correctionPlanes, "difference");
  t.equal((config as { correctionGain?: number }).correctionGain, 10);
  t.same(ENV_DEFAULT_ENV_KWARGS["SamSegEnv-v0"], { reward: "dice-gain" }, "trained on the dice-gain reward");
  const real = envDefaultAgent("SamSegEnv-v0", { dataset: { kind: "coco" } }) as unknown as Record<string, unknown>;
  t.same(
    [real.priorProvider, real.correctionPlanes, real.correctionGain],
    [undefined, undefined, undefined],
    "on a real dataset without a prior: no prior and no correction planes (they need one)",
  );
  t.equal(real.kind, "explicit");
});
