// `--config run.yaml|run.json`: any flag of a command in a file; flags on the command line win.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import type { Command, Option } from "commander";
import { parse as parseYaml } from "yaml";
import { InvalidArgumentError } from "../core/errors";

/**
 * Read a config file: YAML (.yaml, .yml) or JSON (.json), holding one object whose keys are
 * flag names in kebab-case (`learning-rate`), camelCase (`learningRate`) or snake_case.
 * @throws InvalidArgumentError when the file is missing, unparsable or not an object.
 */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new InvalidArgumentError(
      `--config: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const ext = extname(path).toLowerCase();
  if (![".yaml", ".yml", ".json"].includes(ext))
    throw new InvalidArgumentError(`--config must be a .yaml, .yml or .json file, got ${path}`);
  let value: unknown;
  try {
    value = ext === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new InvalidArgumentError(
      `--config: ${path} is not valid ${ext === ".json" ? "JSON" : "YAML"}: ${(err as Error).message.split("\n")[0]}`,
    );
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw new InvalidArgumentError(`--config: ${path} must hold an object of flag: value pairs`);
  return value as Record<string, unknown>;
}

/** camelCase of a flag name given as kebab-case, snake_case, camelCase or with leading dashes. */
function attributeOf(key: string): string {
  return key.replace(/^-+/, "").replace(/[-_]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The value a config entry gives an option, parsed as the flag's text would be. */
function optionValue(option: Option, key: string, value: unknown, path: string): unknown {
  const isSwitch = !option.required && !option.optional;
  if (isSwitch) {
    if (typeof value !== "boolean")
      throw new InvalidArgumentError(`--config ${path}: ${key} must be true or false, got ${JSON.stringify(value)}`);
    return value;
  }
  const text = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
  return option.parseArg ? option.parseArg(text, undefined as unknown) : text;
}

/**
 * Apply a config object to a command before its flags are parsed: every key must name one of
 * the command's options (else an error names it); values go through the option's own parser.
 * Values are recorded with source "config", so flags given on the command line replace them.
 */
export function applyConfig(cmd: Command, config: Record<string, unknown>, path: string): void {
  for (const [key, value] of Object.entries(config)) {
    const attr = attributeOf(key);
    if (attr === "config") continue;
    const option = cmd.options.find((o) => o.attributeName() === attr);
    if (option === undefined) {
      throw new InvalidArgumentError(
        `--config ${path}: ${JSON.stringify(key)} is not an option of ${cmd.name()} (see alignsam-gym ${cmd.name()} --help)`,
      );
    }
    cmd.setOptionValueWithSource(attr, optionValue(option, key, value, path), "config");
  }
}

/** The path after `--config` (or in `--config=PATH`) among a command's raw arguments, or null. */
export function configPathOf(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") return null;
    if (a === "--config") return args[i + 1] ?? null;
    if (a.startsWith("--config=")) return a.slice("--config=".length);
  }
  return null;
}

/**
 * Every option's effective value of a parsed command (camelCase keys; values from flags,
 * the config file or defaults), for config.json in a run folder.
 */
export function effectiveConfig(cmd: Command): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cmd.opts())) if (v !== undefined && k !== "config") out[k] = v;
  return out;
}
