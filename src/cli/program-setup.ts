// What every command of the CLI shares: --config, the "(required)" mark, short parse errors.
import { Option } from "commander";
import type { Command } from "commander";
import { InvalidArgumentError } from "../core/errors";
import { applyConfig, configPathOf, readConfigFile } from "./config-file";

/** The note a parse error ends with. */
export function helpHint(cmd: Command): string {
  const name = cmd.parent ? `alignsam-gym ${cmd.name()}` : "alignsam-gym";
  return `(see: ${name} --help)`;
}

/**
 * An option the command cannot run without: "(required)" in --help, checked after the config
 * file is applied (so the file may give it), with a one-sentence error when missing.
 */
export function requiredOption(cmd: Command, flags: string, description: string): Command {
  const option = new Option(flags, `${description} (required)`);
  cmd.addOption(option);
  cmd.hook("preAction", (_self, action) => {
    if (action.getOptionValue(option.attributeName()) === undefined) {
      throw new InvalidArgumentError(`${action.name()} needs ${option.long} (${description}) ${helpHint(action)}`);
    }
  });
  return cmd;
}

/**
 * Finish the program: `--config FILE` on every command (applied before the command's flags, which
 * win), and parse errors as one line plus where the help is, instead of the whole help text.
 */
export function finishProgram(program: Command): Command {
  program.showHelpAfterError(helpHint(program));
  for (const cmd of program.commands) {
    cmd.option("--config <file>", "read any of these options from a YAML or JSON file (flags given here win)");
    cmd.showHelpAfterError(helpHint(cmd));
  }
  program.hook("preSubcommand", (self, sub) => {
    const path = configPathOf(self.args.slice(1));
    if (path !== null) applyConfig(sub, readConfigFile(path), path);
  });
  return program;
}
