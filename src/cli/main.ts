#!/usr/bin/env node
// The `alignsam-gym` command line. Each command lives in commands/ and loads heavy modules
// (tfjs, onnxruntime) only when it runs, so `alignsam-gym --help` and data commands start fast.
import { Command } from "commander";
import { addTrainCommand } from "./commands/train";
import { addEvalCommand } from "./commands/eval";
import { addEmbedCommand } from "./commands/embed";
import { addEvaluateSegmenterCommand } from "./commands/evaluate-segmenter";
import { addMakeSyntheticCommand } from "./commands/make-synthetic";
import { addDemoCommand } from "./commands/demo";
import { addCheckCommand } from "./commands/check";

/** The `alignsam-gym` program with every command registered. */
export function createProgram(): Command {
  const program = new Command();
  program.name("alignsam-gym").description("Gymnasium-style SAM-prompting environments and PPO in TensorFlow.js").showHelpAfterError();
  addTrainCommand(program);
  addEvalCommand(program);
  addEmbedCommand(program);
  addEvaluateSegmenterCommand(program);
  addMakeSyntheticCommand(program);
  addDemoCommand(program);
  addCheckCommand(program);
  return program;
}

if (require.main === module) {
  createProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      console.error(err instanceof Error ? `error: ${err.message}` : err);
      process.exit(1);
    });
}
