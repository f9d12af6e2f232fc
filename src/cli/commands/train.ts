import { InvalidArgumentError as CommanderArgumentError } from "commander";
import type { Command } from "commander";
import type { AgentConfig, BackendName, PpoHyperparameters } from "../../ppo";
import { checkOptionKeys } from "../../core/own-options";

/** Parse a CleanRL-style boolean flag value (true/false, 1/0, yes/no). */
export function parseBool(v: string): boolean {
  const s = v.toLowerCase();
  if (["true", "1", "yes"].includes(s)) return true;
  if (["false", "0", "no"].includes(s)) return false;
  throw new CommanderArgumentError(`expected true or false, got ${JSON.stringify(v)}`);
}

/** Parse a number flag. */
export function parseNumber(v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw new CommanderArgumentError(`expected a number, got ${JSON.stringify(v)}`);
  return n;
}

/** Parse an integer flag (accepts 1e6 and 500_000). */
export function parseInteger(v: string): number {
  const n = parseNumber(v.replace(/_/g, ""));
  if (!Number.isSafeInteger(n)) throw new CommanderArgumentError(`expected an integer, got ${JSON.stringify(v)}`);
  return n;
}

/** Parse a JSON object flag (own keys only: `__proto__`, `constructor`, `prototype` are refused). */
export function parseJsonObject(v: string): Record<string, unknown> {
  let x: unknown;
  try {
    x = JSON.parse(v);
  } catch {
    throw new CommanderArgumentError(`expected a JSON object, got ${JSON.stringify(v)}`);
  }
  if (typeof x !== "object" || x === null || Array.isArray(x)) throw new CommanderArgumentError(`expected a JSON object, got ${JSON.stringify(v)}`);
  try {
    checkOptionKeys(x, "JSON option");
  } catch (e) {
    throw new CommanderArgumentError((e as Error).message);
  }
  return x as Record<string, unknown>;
}

// CleanRL's ppo.py arguments, kebab-case -> our camelCase hyperparameter, with a parser.
const HYPERPARAMETER_FLAGS: Array<[flag: string, key: keyof PpoHyperparameters, parse: (v: string) => unknown, help: string]> = [
  ["--total-timesteps <n>", "totalTimesteps", parseInteger, "total env steps (CleanRL default 500000; SamSegEnv-v0 default 6144)"],
  ["--learning-rate <lr>", "learningRate", parseNumber, "Adam learning rate (2.5e-4)"],
  ["--num-envs <n>", "numEnvs", parseInteger, "parallel envs (4; SamSegEnv-v0: 8)"],
  ["--num-steps <n>", "numSteps", parseInteger, "steps per env per rollout (128; SamSegEnv-v0: 16)"],
  ["--anneal-lr <bool>", "annealLr", parseBool, "linearly anneal the learning rate (true)"],
  ["--gamma <g>", "gamma", parseNumber, "discount (0.99)"],
  ["--gae-lambda <l>", "gaeLambda", parseNumber, "GAE lambda (0.95)"],
  ["--num-minibatches <n>", "numMinibatches", parseInteger, "minibatches per epoch (4)"],
  ["--update-epochs <n>", "updateEpochs", parseInteger, "epochs per update (4)"],
  ["--norm-adv <bool>", "normAdv", parseBool, "normalise advantages per minibatch (true)"],
  ["--clip-coef <c>", "clipCoef", parseNumber, "surrogate clipping (0.2)"],
  ["--clip-vloss <bool>", "clipVloss", parseBool, "clip the value loss (true)"],
  ["--ent-coef <c>", "entCoef", parseNumber, "entropy coefficient (0.01)"],
  ["--vf-coef <c>", "vfCoef", parseNumber, "value loss coefficient (0.5)"],
  ["--max-grad-norm <n>", "maxGradNorm", parseNumber, "global gradient-norm clip (0.5)"],
  ["--target-kl <kl>", "targetKl", parseNumber, "stop an update's epochs early above this approx-KL (off)"],
  ["--seed <n>", "seed", parseInteger, "seed of env resets, sampling, shuffling and init (1)"],
];

/** Parsed options of `train` as commander delivers them. */
interface TrainFlags extends Partial<Record<keyof PpoHyperparameters, unknown>> {
  envId: string;
  envKwargs?: Record<string, unknown>;
  agent?: "mlp" | "implicit" | "explicit";
  agentConfig?: Record<string, unknown>;
  outDir: string;
  resume?: string;
  backend: BackendName;
  vectorMode: "sync" | "async";
  checkpointEvery: number;
  plotEvery: number;
  progress: boolean;
}

/**
 * `alignsam-gym train`: PPO on a registered env, with CleanRL's flags (kebab-case) plus
 * --out-dir, --resume, --backend and --vector-mode. TensorFlow.js is loaded only when the
 * command runs.
 */
export function addTrainCommand(program: Command): void {
  const cmd = program
    .command("train")
    .description("train a PPO agent (CleanRL ppo.py semantics) and write metrics, learning-curve plots and checkpoints")
    .option("--env-id <id>", "registered env id", "SamSegEnv-v0")
    .option("--env-kwargs <json>", "options passed to make(), as a JSON object", parseJsonObject);
  for (const [flag, , parse, help] of HYPERPARAMETER_FLAGS) cmd.option(flag, help, parse);
  cmd
    .option("--agent <kind>", "mlp | implicit | explicit (default: SamSegEnv-v0: explicit with the synthetic-shapes prior; other SamSegEnv observations: implicit; else mlp)")
    .option("--agent-config <json>", "agent sizes, e.g. '{\"inputGrid\":[16,16],\"hidden\":256}'", parseJsonObject)
    .option("--out-dir <dir>", "where checkpoints, metrics and plots go", "runs/ppo")
    .option("--resume <checkpoint>", "continue a run from its checkpoint.bin (model, optimizer, RNGs, step, LR schedule)")
    .option("--backend <name>", "auto | node | wasm | cpu", "auto")
    .option("--vector-mode <mode>", "sync | async", "sync")
    .option("--checkpoint-every <n>", "iterations between checkpoints", parseInteger, 25)
    .option("--plot-every <n>", "iterations between plot updates", parseInteger, 10)
    .option("--no-progress", "no progress bar")
    .action(async (flags: TrainFlags) => {
      if (!["sync", "async"].includes(flags.vectorMode)) throw new CommanderArgumentError(`--vector-mode must be sync or async, got ${flags.vectorMode}`);
      if (flags.agent !== undefined && !["mlp", "implicit", "explicit"].includes(flags.agent)) {
        throw new CommanderArgumentError(`--agent must be mlp, implicit or explicit, got ${flags.agent}`);
      }
      if (flags.agentConfig !== undefined && flags.agent === undefined) {
        throw new CommanderArgumentError("--agent-config needs --agent (mlp, implicit or explicit): it replaces the default agent's config, so say which agent");
      }
      const hyperparameters: Partial<PpoHyperparameters> = {};
      for (const [, key] of HYPERPARAMETER_FLAGS) {
        if (flags[key] !== undefined) (hyperparameters as Record<string, unknown>)[key] = flags[key];
      }
      const agent = flags.agent ? ({ ...flags.agentConfig, kind: flags.agent } as AgentConfig) : null;
      // Lazy: loads tfjs only now.
      const { runTraining } = require("../training-session") as typeof import("../training-session");
      await runTraining({
        envId: flags.envId,
        envKwargs: flags.envKwargs ?? {},
        hyperparameters,
        agent,
        outDir: flags.outDir,
        resume: flags.resume ?? null,
        backend: flags.backend,
        vectorMode: flags.vectorMode,
        checkpointEvery: Math.max(1, flags.checkpointEvery),
        plotEvery: Math.max(1, flags.plotEvery),
        progress: flags.progress,
      });
    });
}
