// Issue 14, item 9: every malformed checkpoint is an InvalidArgumentError naming the file and
// the problem: header bit flips (were a raw SyntaxError), a negative/huge header length (was a
// RangeError), weight bit flips (loaded silently before the checksum), wrong-typed config fields
// (were "hidden.every is not a function"). Item 10 for the agent config: no __proto__ keys.
import t from "tap";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidArgumentError } from "../../src/core";
import { selectBackend } from "../../src/ppo/nn/backend";
import { checkAgentConfig } from "../../src/ppo/agents/agent-config-check";
import { loadCheckpoint, saveCheckpoint } from "../../src/ppo/persist/checkpoint";
import { createAgent } from "../../src/ppo/agents/create-agent";
import { MlpAgent } from "../../src/ppo/agents/mlp-agent";
import { PpoTrainer } from "../../src/ppo/ppo";
import { captureCheckpoint } from "../../src/ppo/persist/resume";
import { flipBit } from "../fuzz/crafted";
import { recordedCartPoleVec } from "./helpers/cartpole-vec";

/** Rebuild a format-2 file from a (possibly edited) JSON header and the original data section, re-signed. */
export function craft(
  original: Buffer,
  edit: (header: Record<string, unknown>) => void,
  headerLength?: number,
): Buffer {
  const jsonLength = original.readUInt32LE(8);
  const header = JSON.parse(original.toString("utf8", 12, 12 + jsonLength)) as Record<string, unknown>;
  edit(header);
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(headerLength ?? json.length, 0);
  const body = Buffer.concat([
    original.subarray(0, 8),
    len,
    json,
    original.subarray(12 + jsonLength, original.length - 32),
  ]);
  return Buffer.concat([body, createHash("sha256").update(body).digest()]);
}

t.test(
  "item 9: corrupt, truncated and crafted checkpoints -> InvalidArgumentError naming file and problem",
  async (t) => {
    await selectBackend("cpu");
    const dir = mkdtempSync(join(tmpdir(), "asg-ckpt-h-"));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const { envs, recorders } = recordedCartPoleVec(2, 30);
    const agent = new MlpAgent(envs.singleObservationSpace, envs.singleActionSpace, { kind: "mlp", hidden: [8] }, 1);
    const trainer = new PpoTrainer({
      envs,
      agent,
      hyperparameters: { numSteps: 16, totalTimesteps: 64, numMinibatches: 2, updateEpochs: 1, seed: 1 },
    });
    await trainer.start();
    await trainer.iterate();
    const path = join(dir, "good.bin");
    saveCheckpoint(
      path,
      captureCheckpoint(trainer, { envId: "CartPole-v1", envKwargs: {}, vectorMode: "sync", recorders }),
    );
    trainer.dispose();
    agent.dispose();
    const good = readFileSync(path);
    t.equal(good.toString("latin1", 0, 8), "ASGCKPT2");
    t.equal(loadCheckpoint(path).agent.kind, "mlp");

    const expectBad = (bytes: Buffer, problem: RegExp, what: string): void => {
      const p = join(dir, "bad.bin");
      writeFileSync(p, bytes);
      let err: unknown = null;
      try {
        loadCheckpoint(p);
      } catch (e) {
        err = e;
      }
      t.ok(err instanceof InvalidArgumentError, `${what}: InvalidArgumentError (got ${String(err)})`);
      t.match((err as Error)?.message, new RegExp(`checkpoint ".*bad\\.bin": .*${problem.source}`), what);
    };
    const jsonLength = good.readUInt32LE(8);
    // 7 bit flips in the header and 10 in the weights: all caught by the checksum.
    for (let k = 0; k < 7; k++)
      expectBad(
        flipBit(good, 12 + Math.floor(((k + 0.5) * jsonLength) / 7), k),
        /checksum mismatch/,
        `header flip ${k}`,
      );
    const dataStart = 12 + jsonLength;
    for (let k = 0; k < 10; k++) {
      expectBad(
        flipBit(good, dataStart + Math.floor(((k + 0.5) * (good.length - 32 - dataStart)) / 10), k % 8),
        /checksum mismatch/,
        `weight flip ${k}`,
      );
    }
    expectBad(good.subarray(0, good.length - 100), /checksum mismatch/, "truncated");
    expectBad(good.subarray(0, 20), /truncated|checksum/, "very truncated");
    expectBad(Buffer.from("not a checkpoint"), /not an alignsam-gym checkpoint/, "not a checkpoint");
    // Crafted files with a valid checksum.
    expectBad(
      craft(good, () => undefined, 0xffffffff),
      /truncated \(the header says 4294967295 bytes/,
      "header length 2^32 - 1 (-1)",
    );
    expectBad(
      craft(good, (h) => ((h.agent as Record<string, unknown>).hidden = 64)),
      /agent config field hidden must be a non-empty list/,
      "hidden: 64",
    );
    expectBad(
      craft(good, (h) => ((h.agent as Record<string, unknown>).hidden = "64")),
      /hidden must be/,
      "hidden: string",
    );
    expectBad(
      craft(good, (h) => ((h.agent as Record<string, unknown>).kind = "cnn")),
      /unknown agent kind "cnn"/,
      "kind",
    );
    expectBad(
      craft(good, (h) => (h.agent = null)),
      /agent config must be an object/,
      "agent null",
    );
    expectBad(
      craft(good, (h) => ((h.params as Array<Record<string, unknown>>)[0]!.data = { offset: -5, length: 3 })),
      /not an \{offset, length\}/,
      "negative offset",
    );
    expectBad(
      craft(good, (h) => ((h.params as Array<Record<string, unknown>>)[0]!.data = { offset: 1e9, length: 3 })),
      /outside the data section/,
      "offset past end",
    );
    expectBad(
      craft(good, (h) => ((h.params as Array<Record<string, unknown>>)[0]!.shape = [1e9])),
      /has shape \[1000000000\]/,
      "shape",
    );
    expectBad(
      craft(good, (h) => (h.params = "x")),
      /params is not a list/,
      "params",
    );
    expectBad(
      craft(good, (h) => (h.trainer = 5)),
      /trainer must be an object/,
      "trainer",
    );
    expectBad(
      craft(good, (h) => ((h.hyperparameters as Record<string, unknown>).numSteps = "16")),
      /hyperparameters\.numSteps has the wrong type/,
      "hp type",
    );
    expectBad(
      craft(good, (h) => (h.envKwargs = JSON.parse('{"__proto__": {"maxSteps": 1}}'))),
      /"envKwargs\.__proto__" is not allowed/,
      "proto key",
    );
    expectBad(
      craft(good, (h) => (h.vectorMode = "gpu")),
      /vectorMode/,
      "vectorMode",
    );
    const notJson = Buffer.concat([Buffer.from("ASGCKPT2"), Buffer.from([3, 0, 0, 0]), Buffer.from("{x}")]);
    expectBad(
      Buffer.concat([notJson, createHash("sha256").update(notJson).digest()]),
      /the header is not valid JSON/,
      "bad JSON",
    );
    t.throws(() => loadCheckpoint("/dev/zero"), /"\/dev\/zero": is not a regular file/);
    t.throws(() => loadCheckpoint(join(dir, "absent.bin")), /cannot be read \(ENOENT\)/);

    // Format 1 (no checksum) checkpoints of earlier versions still load.
    const v1 = Buffer.from(good.subarray(0, good.length - 32));
    v1.write("ASGCKPT1", 0, "latin1");
    writeFileSync(join(dir, "v1.bin"), v1);
    t.same(loadCheckpoint(join(dir, "v1.bin")).params, loadCheckpoint(path).params);
  },
);

t.test("item 9/10: agent configs from JSON are type-checked before use", async (t) => {
  t.throws(
    () => checkAgentConfig({ kind: "mlp", hidden: 64 }, "--agent-config"),
    /--agent-config: agent config field hidden must be a non-empty list of positive integers, got 64/,
  );
  t.throws(() => checkAgentConfig({ kind: "implicit", inputGrid: [16] }, "x"), /inputGrid must be \[rows, cols\]/);
  t.throws(() => checkAgentConfig({ kind: "implicit", convs: [{ filters: 3 }] }, "x"), /convs must be/);
  t.throws(
    () => checkAgentConfig({ kind: "explicit", patchLogits: "nearest" }, "x"),
    /patchLogits must be "cell" or "bilinear", got "nearest"/,
  );
  t.throws(
    () => checkAgentConfig(JSON.parse('{"kind": "mlp", "__proto__": {"hidden": [1]}}'), "x"),
    /"__proto__" is not allowed/,
  );
  t.throws(
    () => checkAgentConfig(JSON.parse('{"kind": "implicit", "convs": [{"constructor": 1}]}'), "x"),
    /"convs\.0\.constructor" is not allowed/,
  );
  const { envs } = recordedCartPoleVec(1, 10);
  t.throws(
    () => createAgent({ kind: "mlp", hidden: "64" } as never, envs.singleObservationSpace, envs.singleActionSpace, 0),
    InvalidArgumentError,
  );
  t.same(checkAgentConfig({ kind: "explicit", priorProvider: "synthetic-shapes", hidden: 32 }, "x").kind, "explicit");
});
