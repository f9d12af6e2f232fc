import t from "tap";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkpointFromBytes, checkpointToBytes } from "../../src/ppo/persist/checkpoint-bytes";
import { loadCheckpoint, saveCheckpoint } from "../../src/ppo/persist/checkpoint";
import type { Checkpoint } from "../../src/ppo/persist/checkpoint";
import { InvalidArgumentError } from "../../src/core/errors";

function sample(): Checkpoint {
  return {
    agent: { kind: "mlp", hidden: [4] } as unknown as Checkpoint["agent"],
    params: [{ name: "w", shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-8, -0, 7]) }],
    envId: "CartPole-v1",
    envKwargs: {},
    vectorMode: "sync",
    hyperparameters: {} as Checkpoint["hyperparameters"],
    trainer: {
      optimizer: { step: 3, m: Float32Array.from([0.25]), v: Float32Array.from([0.5]) },
    } as unknown as Checkpoint["trainer"],
    envLogs: null,
    meta: { note: "héllo" },
  };
}

t.test("checkpoint bytes: the file format, from and to memory", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ckpt-bytes-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const ckpt = sample();
  const bytes = checkpointToBytes(ckpt);
  const file = join(dir, "a.ckpt");
  saveCheckpoint(file, ckpt);
  t.same(new Uint8Array(readFileSync(file)), bytes, "saveCheckpoint writes exactly checkpointToBytes");
  const back = checkpointFromBytes(bytes);
  t.same(Array.from(back.params[0]!.data), Array.from(ckpt.params[0]!.data), "weights round-trip");
  t.equal(back.trainer.optimizer.v[0], 0.5);
  t.equal(back.meta.note, "héllo", "UTF-8 header");
  t.same(loadCheckpoint(file).params[0]!.shape, [2, 3], "loadCheckpoint reads the same bytes");
  const shifted = new Uint8Array(bytes.length + 5);
  shifted.set(bytes, 5);
  t.equal(checkpointFromBytes(shifted.subarray(5)).params[0]!.data[2], 3.5, "a view at an offset");
});

t.test("checkpoint bytes: bad input is refused with a clear error", async (t) => {
  const bytes = checkpointToBytes(sample());
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
