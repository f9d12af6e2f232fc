import t from "tap";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { createProgram } from "../../src/cli/main";
import { readConfigFile } from "../../src/cli/config-file";

/** The program with train's action replaced by a spy, and error output captured. */
function program(): {
  program: Command;
  seen: Array<{ opts: Record<string, unknown>; sources: Record<string, string | undefined> }>;
  errors: string[];
} {
  const p = createProgram();
  const seen: Array<{ opts: Record<string, unknown>; sources: Record<string, string | undefined> }> = [];
  const errors: string[] = [];
  p.exitOverride();
  for (const cmd of p.commands) {
    cmd.exitOverride();
    cmd.configureOutput({ writeErr: (s) => void errors.push(s), writeOut: () => {} });
  }
  const train = p.commands.find((c) => c.name() === "train")!;
  train.action((opts: Record<string, unknown>, cmd: Command) => {
    const sources: Record<string, string | undefined> = {};
    for (const k of Object.keys(opts)) sources[k] = cmd.getOptionValueSource(k);
    seen.push({ opts, sources });
  });
  return { program: p, seen, errors };
}

t.test("--config: a YAML or JSON file holds any flag; flags on the command line win", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-config-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const yaml = join(dir, "run.yaml");
  writeFileSync(
    yaml,
    [
      "env-id: CartPole-v1",
      "learning_rate: 0.001",
      "numEnvs: 3",
      "seed: 5",
      "anneal-lr: false",
      "progress: false",
      "env-kwargs:",
      "  maxEpisodeSteps: 50",
      "track: tensorboard",
      "",
    ].join("\n"),
  );
  const { program: p, seen } = program();
  await p.parseAsync(["node", "alignsam-gym", "train", "--config", yaml, "--seed", "9"]);
  const { opts, sources } = seen[0]!;
  t.equal(opts["envId"], "CartPole-v1");
  t.equal(opts["learningRate"], 0.001, "snake_case key");
  t.equal(opts["numEnvs"], 3, "camelCase key, parsed as the flag would be");
  t.equal(opts["annealLr"], false, "boolean through the flag's parser");
  t.equal(opts["progress"], false, "--no-progress as progress: false");
  t.same(opts["envKwargs"], { maxEpisodeSteps: 50 }, "an object for a JSON flag");
  t.equal(opts["seed"], 9, "the command-line flag wins over the file");
  t.equal(sources["seed"], "cli");
  t.equal(sources["learningRate"], "config");
  t.equal(opts["checkpointEvery"], 25, "defaults stay for the rest");

  const json = join(dir, "run.json");
  writeFileSync(json, JSON.stringify({ "total-timesteps": "1e4", exp_name: "sweep" }));
  const second = program();
  await second.program.parseAsync(["node", "alignsam-gym", "train", `--config=${json}`]);
  t.equal(second.seen[0]!.opts["totalTimesteps"], 10_000);
  t.equal(second.seen[0]!.opts["expName"], "sweep");

  writeFileSync(json, JSON.stringify({ "learning-rat": 1 }));
  await t.rejects(
    program().program.parseAsync(["node", "alignsam-gym", "train", "--config", json]),
    /"learning-rat" is not an option of train/,
  );
  writeFileSync(json, JSON.stringify({ "num-envs": 0 }));
  await t.rejects(
    program().program.parseAsync(["node", "alignsam-gym", "train", "--config", json]),
    /--num-envs must be a positive integer, got "0"/,
  );
  writeFileSync(json, "[1, 2]");
  t.throws(() => readConfigFile(json), /must hold an object of flag: value pairs/);
  t.throws(() => readConfigFile(join(dir, "missing.yaml")), /cannot read .*missing\.yaml: ENOENT/);
  writeFileSync(join(dir, "bad.yaml"), "a: [1,");
  t.throws(() => readConfigFile(join(dir, "bad.yaml")), /is not valid YAML/);
  t.throws(() => readConfigFile(join(dir, "run.toml")), /cannot read|must be a \.yaml/);
});

t.test("parse errors are one line plus where the help is", async (t) => {
  for (const [args, message] of [
    [["train", "--num-envs", "0"], /--num-envs must be a positive integer, got "0"/],
    [["train", "--bogus"], /unknown option '--bogus'/],
    [["eval", "--episodes", "x"], /expected an integer|--episodes/],
  ] as Array<[string[], RegExp]>) {
    const { program: p, errors } = program();
    await t.rejects(p.parseAsync(["node", "alignsam-gym", ...args]));
    const text = errors.join("");
    t.match(text, message);
    t.match(text, new RegExp(`\\(see: alignsam-gym ${args[0]} --help\\)`));
    t.ok(text.trim().split("\n").length <= 2, `short: ${JSON.stringify(text)}`);
  }
  const { program: p } = program();
  await t.rejects(p.parseAsync(["node", "alignsam-gym", "eval"]), /eval needs --checkpoint/);
  await t.rejects(
    createProgram().parseAsync(["node", "alignsam-gym", "eval", "--checkpoint", "/nonexistent/c.bin"]),
    /--checkpoint \/nonexistent\/c\.bin: no such file/,
  );
});

t.test("--version and required flags marked in --help", async (t) => {
  let out = "";
  const p = createProgram()
    .exitOverride()
    .configureOutput({ writeOut: (s) => void (out += s) });
  await t.rejects(p.parseAsync(["node", "alignsam-gym", "--version"]));
  t.equal(out.trim(), (require("../../package.json") as { version: string }).version);
  const evalHelp = createProgram()
    .commands.find((c) => c.name() === "eval")!
    .helpInformation();
  t.match(evalHelp, /--checkpoint <path>\s+checkpoint\.bin \(or best\.bin\) written by\s+train\s+\(required\)/);
  for (const cmd of createProgram().commands)
    t.match(cmd.helpInformation(), /--config <file>/, `${cmd.name()} takes --config`);
});

t.test("the same option has the same name in every command", async (t) => {
  const commands = createProgram().commands;
  const longs = (name: string): string[] =>
    commands
      .find((c) => c.name() === name)!
      .options.filter((o) => !o.hidden)
      .map((o) => o.long!);
  for (const name of ["train", "eval", "demo", "make-synthetic"]) {
    t.notOk(longs(name).includes("--out"), `${name}: --out-dir, not --out`);
    t.notOk(longs(name).includes("--max-steps"), `${name}: --max-clicks, not --max-steps`);
  }
  t.ok(longs("demo").includes("--out-dir") && longs("demo").includes("--max-clicks"));
  t.ok(longs("eval").includes("--max-clicks"));
});
