import t from "tap";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkpointFromBytes, checkpointToBytes } from "../../src/ppo/persist/checkpoint-bytes";
import { loadCheckpoint, saveCheckpoint } from "../../src/ppo/persist/checkpoint";
import type { Checkpoint } from "../../src/ppo/persist/checkpoint";
import { InvalidArgumentError } from "../../src/core/errors";
import { selectBackend } from "../../src/ppo/nn/backend";
import { MlpAgent } from "../../src/ppo/agents/mlp-agent";
import { PpoTrainer } from "../../src/ppo/ppo";
import { captureCheckpoint, resumeFromCheckpoint } from "../../src/ppo/persist/resume";
import { recordedCartPoleVec } from "./helpers/cartpole-vec";

/** A well-formed checkpoint: a tiny CartPole MLP after one PPO iteration, with a UTF-8 note. */
async function sample(): Promise<Checkpoint> {
  await selectBackend("cpu");
  const { envs, recorders } = recordedCartPoleVec(2, 30);
  const agent = new MlpAgent(envs.singleObservationSpace, envs.singleActionSpace, { kind: "mlp", hidden: [4] }, 1);
  const trainer = new PpoTrainer({
    envs,
    agent,
    hyperparameters: { numSteps: 8, totalTimesteps: 32, numMinibatches: 2, updateEpochs: 1, seed: 1 },
  });
  await trainer.start();
  await trainer.iterate();
  const ckpt = captureCheckpoint(trainer, { envId: "CartPole-v1", envKwargs: {}, vectorMode: "sync", recorders });
  trainer.dispose();
  agent.dispose();
  await envs.close();
  return { ...ckpt, meta: { ...ckpt.meta, note: "héllo" } };
}

t.test("checkpoint bytes: the file format, from and to memory", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ckpt-bytes-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const ckpt = await sample();
  const bytes = checkpointToBytes(ckpt);
  const file = join(dir, "a.ckpt");
  saveCheckpoint(file, ckpt);
  t.same(new Uint8Array(readFileSync(file)), bytes, "saveCheckpoint writes exactly checkpointToBytes");
  const back = checkpointFromBytes(bytes);
  t.same(Array.from(back.params[0]!.data), Array.from(ckpt.params[0]!.data), "weights round-trip");
  t.same(Array.from(back.trainer.optimizer.v), Array.from(ckpt.trainer.optimizer.v), "optimizer moments round-trip");
  t.equal(back.meta.note, "héllo", "UTF-8 header");
  t.same(loadCheckpoint(file).params[0]!.shape, ckpt.params[0]!.shape, "loadCheckpoint reads the same bytes");
  const shifted = new Uint8Array(bytes.length + 5);
  shifted.set(bytes, 5);
  t.equal(checkpointFromBytes(shifted.subarray(5)).params[0]!.data[2], ckpt.params[0]!.data[2], "a view at an offset");
});

t.test("checkpoint bytes: bad input is refused with a clear error", async (t) => {
  const bytes = checkpointToBytes(await sample());
  t.throws(() => checkpointFromBytes(new TextEncoder().encode("hello world!"), "x.bin"), {
    name: "InvalidArgumentError",
    message: /checkpoint "x\.bin": not an alignsam-gym checkpoint/,
  });
  t.throws(() => checkpointFromBytes(bytes.subarray(0, 20)), /truncated \(no checksum\)/);
  t.throws(() => checkpointFromBytes(bytes.subarray(0, bytes.length - 2)), /checksum mismatch/);
  const corrupt = bytes.slice();
  corrupt[12] = 0x7b + 1;
  t.throws(() => checkpointFromBytes(corrupt), InvalidArgumentError, "corrupt JSON header");
});

t.test("an inference-only checkpoint (no optimizer moments) loads, and refuses to resume", async (t) => {
  const ckpt = await sample();
  const empty = new Float32Array(0);
  const slim = { ...ckpt, trainer: { ...ckpt.trainer, optimizer: { ...ckpt.trainer.optimizer, m: empty, v: empty } } };
  const back = checkpointFromBytes(checkpointToBytes(slim), "slim.ckpt");
  t.equal(back.trainer.optimizer.m.length, 0);
  t.same(Array.from(back.params[0]!.data), Array.from(ckpt.params[0]!.data), "weights intact");
  const half = { ...ckpt, trainer: { ...ckpt.trainer, optimizer: { ...ckpt.trainer.optimizer, m: empty } } };
  t.throws(() => checkpointFromBytes(checkpointToBytes(half), "half.ckpt"), /one value per weight .* or none/);
  const { envs, recorders } = recordedCartPoleVec(2, 30);
  const agent = new MlpAgent(envs.singleObservationSpace, envs.singleActionSpace, { kind: "mlp", hidden: [4] }, 1);
  const trainer = new PpoTrainer({ envs, agent, hyperparameters: ckpt.hyperparameters });
  await t.rejects(resumeFromCheckpoint(trainer, back, recorders, envs.singleObservationSpace), /no optimizer state/);
  trainer.dispose();
  agent.dispose();
  await envs.close();
});
