import type { Command } from "commander";

/** `alignsam-gym eval --checkpoint ...` (placeholder until the evaluation lands). */
export function addEvalCommand(program: Command): void {
  program
    .command("eval")
    .description("evaluate a trained checkpoint (not implemented yet)")
    .requiredOption("--checkpoint <path>", "checkpoint.bin written by train")
    .action(async () => {
      throw new Error("eval is not implemented yet");
    });
}
