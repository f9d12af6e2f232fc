import t from "tap";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCheckpoint } from "../../src/ppo/persist/checkpoint";

t.setTimeout(120_000);
const root = join(__dirname, "..", "..");

t.test("Ctrl-C (SIGINT) during train saves a final checkpoint and exits", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-sigint-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "train",
      "--env-id",
      "CartPole-v1",
      "--total-timesteps",
      "10000000",
      "--num-steps",
      "32",
      "--out-dir",
      dir,
      "--backend",
      "wasm",
      "--no-progress",
      "--checkpoint-every",
      "100000",
    ],
    { cwd: root },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const metrics = join(dir, "metrics.jsonl");
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && !(existsSync(metrics) && readFileSync(metrics, "utf8").split("\n").length > 3))
    await new Promise((r) => setTimeout(r, 200));
  child.kill("SIGINT");
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  t.equal(code, 0, out);
  t.match(out, /interrupted at iteration \d+/);
  const ckpt = loadCheckpoint(join(dir, "checkpoint.bin"));
  t.ok(ckpt.trainer.iteration >= 2, `checkpoint at iteration ${ckpt.trainer.iteration}`);
  const rows = readFileSync(metrics, "utf8").trim().split("\n").length;
  t.equal(ckpt.trainer.iteration, rows, "the checkpoint is at the last logged iteration");
});
