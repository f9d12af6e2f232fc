import t from "tap";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createProgram } from "../../src/cli/main";

const root = join(__dirname, "..", "..");

t.test("the program has train and eval with CleanRL-style flags", async (t) => {
  const program = createProgram();
  const names = program.commands.map((c) => c.name());
  t.ok(names.includes("train") && names.includes("eval"));
  const train = program.commands.find((c) => c.name() === "train")!;
  const flags = train.options.map((o) => o.long);
  for (const f of [
    "--env-id",
    "--total-timesteps",
    "--learning-rate",
    "--num-envs",
    "--num-steps",
    "--anneal-lr",
    "--gamma",
    "--gae-lambda",
    "--num-minibatches",
    "--update-epochs",
    "--norm-adv",
    "--clip-coef",
    "--clip-vloss",
    "--ent-coef",
    "--vf-coef",
    "--max-grad-norm",
    "--target-kl",
    "--seed",
    "--out-dir",
    "--resume",
    "--backend",
    "--vector-mode",
  ]) {
    t.ok(flags.includes(f), f);
  }
});

t.test("loading the CLI and printing help does not load TensorFlow.js", async (t) => {
  const script = [
    "require('./src/cli/main');",
    "const loaded = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));",
    "process.stdout.write(JSON.stringify(loaded.length));",
  ].join("");
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: root, encoding: "utf8" });
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout.trim(), "0", "no @tensorflow module in require.cache");
});

t.test("train refuses bad agent flags before loading anything", async (t) => {
  const run = (args: string[]): Promise<unknown> =>
    createProgram()
      .exitOverride()
      .parseAsync(["node", "alignsam-gym", ...args]);
  await t.rejects(run(["train", "--agent-config", '{"hidden": 64}']), /--agent-config needs --agent/);
  await t.rejects(run(["train", "--agent", "clever"]), /--agent must be mlp, implicit or explicit, got clever/);
});
