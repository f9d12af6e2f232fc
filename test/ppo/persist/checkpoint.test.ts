import t from "tap";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { selectBackend } from "../../../src/ppo/nn/backend";
import { MlpAgent } from "../../../src/ppo/agents/mlp-agent";
import { PpoTrainer } from "../../../src/ppo/ppo";
import type { IterationLog } from "../../../src/ppo/ppo";
import type { EpisodeRecorder } from "../../../src/ppo/persist/episode-replay";
import { loadCheckpoint, saveCheckpoint } from "../../../src/ppo/persist/checkpoint";
import { captureCheckpoint, resumeFromCheckpoint } from "../../../src/ppo/persist/resume";
import { recordedCartPoleVec } from "../helpers/cartpole-vec";

const HP = { numSteps: 48, totalTimesteps: 2 * 48 * 6, numMinibatches: 2, updateEpochs: 2, seed: 5 };

function build(agentSeed: number): { trainer: PpoTrainer; recorders: EpisodeRecorder[] } {
  // TimeLimit 30: episodes end (by truncation and termination) inside and across rollouts.
  const { envs, recorders } = recordedCartPoleVec(2, 30);
  const agent = new MlpAgent(envs.singleObservationSpace, envs.singleActionSpace, { kind: "mlp" }, agentSeed);
  return { trainer: new PpoTrainer({ envs, agent, hyperparameters: HP }), recorders };
}

const losses = (l: IterationLog): number[] => [
  l.policyLoss,
  l.valueLoss,
  l.entropy,
  l.approxKl,
  l.clipfrac,
  l.globalStep,
  l.learningRate,
  ...l.episodes.map((e) => e.r),
];

t.test("resume at iteration k gives exactly the losses of an uninterrupted run (cpu backend)", async (t) => {
  await selectBackend("cpu");
  const dir = mkdtempSync(join(tmpdir(), "asg-ckpt-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));

  const a = build(1);
  await a.trainer.start();
  const uninterrupted: number[][] = [];
  while (!a.trainer.done) uninterrupted.push(losses(await a.trainer.iterate()));

  const b = build(1);
  await b.trainer.start();
  for (let i = 0; i < 3; i++) await b.trainer.iterate();
  const path = join(dir, "checkpoint.bin");
  saveCheckpoint(
    path,
    captureCheckpoint(b.trainer, { envId: "CartPole-v1", envKwargs: {}, vectorMode: "sync", recorders: b.recorders }),
  );
  t.same(readdirSync(dir), ["checkpoint.bin"], "no temp file left behind");
  t.ok(
    b.recorders.some((r) => r.episodeLog().actions.length > 0),
    "envs are mid-episode at the checkpoint",
  );

  const c = build(99); // different init: the weights must come from the checkpoint
  const { exact } = await resumeFromCheckpoint(
    c.trainer,
    loadCheckpoint(path),
    c.recorders,
    c.trainer.envs.singleObservationSpace,
  );
  t.ok(exact);
  t.equal(c.trainer.iteration, 3);
  const resumed: number[][] = [];
  while (!c.trainer.done) resumed.push(losses(await c.trainer.iterate()));
  t.equal(resumed.length, 3);
  t.same(resumed, uninterrupted.slice(3), "iterations 4-6 identical (losses, steps, learning rate, episode returns)");
  for (const x of [a, b, c]) {
    x.trainer.dispose();
    x.trainer.agent.dispose();
  }
});

t.test("checkpoint round trip keeps every value; bad files are rejected", async (t) => {
  await selectBackend("cpu");
  const dir = mkdtempSync(join(tmpdir(), "asg-ckpt-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const b = build(2);
  await b.trainer.start();
  await b.trainer.iterate();
  const ckpt = captureCheckpoint(b.trainer, {
    envId: "CartPole-v1",
    envKwargs: { x: 1 },
    vectorMode: "sync",
    recorders: b.recorders,
    meta: { note: "n" },
  });
  const path = join(dir, "c.bin");
  saveCheckpoint(path, ckpt);
  const back = loadCheckpoint(path);
  t.same(back.params, ckpt.params);
  t.same(back.trainer, ckpt.trainer);
  t.same(back.envLogs, ckpt.envLogs);
  t.same(back.hyperparameters, ckpt.hyperparameters);
  t.same(back.agent, { kind: "mlp", hidden: [64, 64] });
  const { writeFileSync } = await import("node:fs");
  writeFileSync(join(dir, "bad.bin"), "not a checkpoint");
  t.throws(() => loadCheckpoint(join(dir, "bad.bin")), /not an alignsam-gym checkpoint/);
  b.trainer.dispose();
  b.trainer.agent.dispose();
});
