#!/usr/bin/env node
// The `alignsam-gym` command line. Each command lives in commands/ and loads heavy modules
// (tfjs, onnxruntime) only when it runs, so `alignsam-gym --help` and data commands start fast.
import { Command, InvalidArgumentError as CommanderArgumentError } from "commander";
import { addTrainCommand } from "./commands/train";
import { addEvalCommand } from "./commands/eval";
import { addEmbedCommand } from "./commands/embed";
import { addEvaluateSegmenterCommand } from "./commands/evaluate-segmenter";
import { addMakeSyntheticCommand } from "./commands/make-synthetic";
import { addDemoCommand } from "./commands/demo";
import { addCheckCommand } from "./commands/check";
import { finishProgram, helpHint } from "./program-setup";
import { InvalidArgumentError } from "../core/errors";

/** The package version (package.json sits two folders up from both src/cli and lib/cli). */
function packageVersion(): string {
  return (require("../../package.json") as { version: string }).version;
}

/** The `alignsam-gym` program with every command registered. */
export function createProgram(): Command {
  const program = new Command();
  program
    .name("alignsam-gym")
    .description("Gymnasium-style SAM-prompting environments and PPO in TensorFlow.js")
    .version(packageVersion());
  addTrainCommand(program);
  addEvalCommand(program);
  addEmbedCommand(program);
  addEvaluateSegmenterCommand(program);
  addMakeSyntheticCommand(program);
  addDemoCommand(program);
  addCheckCommand(program);
  return finishProgram(program);
}

if (require.main === module) {
  const program = createProgram();
  program.parseAsync(process.argv).catch((err: unknown) => {
    // Errors are one sentence; usage errors add where the help is.
    const usage = err instanceof InvalidArgumentError || err instanceof CommanderArgumentError;
    const cmd = program.commands.find((c) => c.name() === process.argv[2]) ?? program;
    const hint = usage && !(err as Error).message.includes("--help") ? ` ${helpHint(cmd)}` : "";
    console.error(err instanceof Error ? `error: ${err.message}${hint}` : err);
    process.exit(1);
  });
}
