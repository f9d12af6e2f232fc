import { existsSync, statSync } from "node:fs";
import { InvalidArgumentError as CommanderArgumentError } from "commander";
import { effectiveConfig } from "../config-file";
import { DEFAULT_EXP_NAME } from "../run-folder";
import type { Command } from "commander";
import type { AgentConfig, BackendName, PpoHyperparameters } from "../../ppo";
import { checkOptionKeys } from "../../core/own-options";
import { addDatasetOptions, datasetEnvKwargs, type DatasetCliOptions } from "./dataset-options";
import { addSegmenterOptions, segmenterEnvKwargs, type SegmenterCliOptions } from "./segmenter-options";
import { CLIP_PRIOR_FLAG_HELP } from "../prior-provider-options";

/**
 * Refuse a path flag whose file does not exist, in one sentence naming the flag.
 * @throws commander's InvalidArgumentError.
 */
export function requireFile(path: string, flag: string): void {
  if (!existsSync(path)) throw new CommanderArgumentError(`${flag} ${path}: no such file`);
  if (!statSync(path).isFile()) throw new CommanderArgumentError(`${flag} ${path} is a folder, not a file`);
}

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
  if (v.trim() === "" || !Number.isFinite(n))
    throw new CommanderArgumentError(`expected a number, got ${JSON.stringify(v)}`);
  return n;
}

/** Parse an integer flag (accepts 1e6 and 500_000). */
export function parseInteger(v: string): number {
  const n = parseNumber(v.replace(/_/g, ""));
  if (!Number.isSafeInteger(n)) throw new CommanderArgumentError(`expected an integer, got ${JSON.stringify(v)}`);
  return n;
}

/** Parse a positive integer flag (>= 1), naming the flag in the error. */
export function positiveInteger(flag: string): (v: string) => number {
  return (v) => {
    const n = parseInteger(v);
    if (n < 1) throw new CommanderArgumentError(`${flag} must be a positive integer, got ${JSON.stringify(v)}`);
    return n;
  };
}

/** Parse a positive number flag (> 0), naming the flag in the error. */
function positiveNumber(flag: string): (v: string) => number {
  return (v) => {
    const n = parseNumber(v);
    if (!(n > 0)) throw new CommanderArgumentError(`${flag} must be a positive number, got ${JSON.stringify(v)}`);
    return n;
  };
}

/** Parse a JSON object flag (own keys only: `__proto__`, `constructor`, `prototype` are refused). */
export function parseJsonObject(v: string): Record<string, unknown> {
  let x: unknown;
  try {
    x = JSON.parse(v);
  } catch {
    throw new CommanderArgumentError(`expected a JSON object, got ${JSON.stringify(v)}`);
  }
  if (typeof x !== "object" || x === null || Array.isArray(x))
    throw new CommanderArgumentError(`expected a JSON object, got ${JSON.stringify(v)}`);
  try {
    checkOptionKeys(x, "JSON option");
  } catch (e) {
    throw new CommanderArgumentError((e as Error).message);
  }
  return x as Record<string, unknown>;
}

// CleanRL's ppo.py arguments, kebab-case -> our camelCase hyperparameter, with a parser.
const HYPERPARAMETER_FLAGS: Array<
  [flag: string, key: keyof PpoHyperparameters, parse: (v: string) => unknown, help: string]
> = [
  [
    "--total-timesteps <n>",
    "totalTimesteps",
    positiveInteger("--total-timesteps"),
    "total env steps (CleanRL default 500000; SamSegEnv-v0 default 6144)",
  ],
  ["--learning-rate <lr>", "learningRate", positiveNumber("--learning-rate"), "Adam learning rate (2.5e-4)"],
  ["--num-envs <n>", "numEnvs", positiveInteger("--num-envs"), "parallel envs (4; SamSegEnv-v0: 8)"],
  ["--num-steps <n>", "numSteps", positiveInteger("--num-steps"), "steps per env per rollout (128; SamSegEnv-v0: 16)"],
  ["--anneal-lr <bool>", "annealLr", parseBool, "linearly anneal the learning rate (true)"],
  ["--gamma <g>", "gamma", parseNumber, "discount (0.99)"],
  ["--gae-lambda <l>", "gaeLambda", parseNumber, "GAE lambda (0.95)"],
  ["--num-minibatches <n>", "numMinibatches", positiveInteger("--num-minibatches"), "minibatches per epoch (4)"],
  ["--update-epochs <n>", "updateEpochs", positiveInteger("--update-epochs"), "epochs per update (4)"],
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
interface TrainFlags
  extends
    Partial<Record<keyof PpoHyperparameters, unknown>>,
    DatasetCliOptions,
    Omit<SegmenterCliOptions, "segmenter"> {
  segmenter?: string;
  envId?: string;
  envKwargs?: Record<string, unknown>;
  agent?: "mlp" | "implicit" | "explicit";
  agentConfig?: Record<string, unknown>;
  outDir?: string;
  expName: string;
  track?: string;
  captureVideo: boolean;
  evalEvery: number;
  evalEpisodes: number;
  resume?: string;
  backend: BackendName;
  vectorMode: "sync" | "async";
  checkpointEvery: number;
  plotEvery: number;
  progress: boolean;
  clipImageEncoder?: string;
  clipTextEncoder?: string;
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
    .option("--env-id <id>", "registered env id (default SamSegEnv-v0; with --resume: the checkpoint's)")
    .option("--env-kwargs <json>", "options passed to make(), as a JSON object", parseJsonObject);
  for (const [flag, , parse, help] of HYPERPARAMETER_FLAGS) cmd.option(flag, help, parse);
  cmd
    .option(
      "--agent <kind>",
      "mlp | implicit | explicit (default: SamSegEnv-v0: explicit with the synthetic-shapes prior; other SamSegEnv observations: implicit; else mlp)",
    )
    .option("--agent-config <json>", 'agent sizes, e.g. \'{"inputGrid":[16,16],"hidden":256}\'', parseJsonObject)
    .option(
      "--exp-name <name>",
      "experiment name in the run folder runs/{env_id}__{exp_name}__{seed}__{unix_time}",
      DEFAULT_EXP_NAME,
    )
    .option(
      "--out-dir <dir>",
      "run folder instead of runs/{env_id}__{exp_name}__{seed}__{unix_time} (must be new or empty)",
    )
    .option("--track <backend>", "also log to: tensorboard (event files in the run folder)")
    .option(
      "--capture-video",
      "record GIFs of the first env's episodes (episodes 0, 1, 8, 27, ...) into <run>/videos",
      false,
    )
    .option(
      "--eval-every <n>",
      "evaluate the greedy policy on held-out episodes every n iterations, keeping best.bin (0: off)",
      parseInteger,
      0,
    )
    .option("--eval-episodes <n>", "episodes per evaluation during training", positiveInteger("--eval-episodes"), 10)
    .option(
      "--resume <checkpoint>",
      "continue a run from its checkpoint.bin: env, agent and hyperparameters come from it (only --total-timesteps and run options may change)",
    )
    .option("--backend <name>", "auto | node | wasm | cpu", "auto")
    .option("--vector-mode <mode>", "sync | async", "sync")
    .option("--checkpoint-every <n>", "iterations between checkpoints", positiveInteger("--checkpoint-every"), 25)
    .option("--plot-every <n>", "iterations between plot updates", positiveInteger("--plot-every"), 10)
    .option(
      "--no-progress",
      "one text line per iteration instead of a progress bar (also when stdout is not a terminal)",
    )
    .option("--clip-image-encoder <path>", CLIP_PRIOR_FLAG_HELP.image)
    .option("--clip-text-encoder <path>", CLIP_PRIOR_FLAG_HELP.text);
  addDatasetOptions(cmd, { kinds: ["synthetic", "coco", "maskfolder", "grabcut"], defaultKind: "synthetic" });
  addSegmenterOptions(cmd);
  cmd.action(async (flags: TrainFlags, command: Command) => {
    if (flags.track !== undefined && flags.track !== "tensorboard") {
      throw new CommanderArgumentError(
        `--track must be tensorboard, got ${flags.track} (for Weights & Biases, sync the TensorBoard files: see docs/07)`,
      );
    }
    if (flags.evalEvery < 0)
      throw new CommanderArgumentError(`--eval-every must be 0 (off) or a positive integer, got ${flags.evalEvery}`);
    if (flags.resume !== undefined) requireFile(flags.resume, "--resume");
    if (!["sync", "async"].includes(flags.vectorMode))
      throw new CommanderArgumentError(`--vector-mode must be sync or async, got ${flags.vectorMode}`);
    if (flags.agent !== undefined && !["mlp", "implicit", "explicit"].includes(flags.agent)) {
      throw new CommanderArgumentError(`--agent must be mlp, implicit or explicit, got ${flags.agent}`);
    }
    if (flags.agentConfig !== undefined && flags.agent === undefined) {
      throw new CommanderArgumentError(
        "--agent-config needs --agent (mlp, implicit or explicit): it replaces the default agent's config, so say which agent",
      );
    }
    const hyperparameters: Partial<PpoHyperparameters> = {};
    for (const [, key] of HYPERPARAMETER_FLAGS) {
      if (flags[key] !== undefined) (hyperparameters as Record<string, unknown>)[key] = flags[key];
    }
    const agent = flags.agent ? ({ ...flags.agentConfig, kind: flags.agent } as AgentConfig) : null;
    const envOverrides = trainEnvOverrides(flags);
    // Lazy: loads tfjs only now.
    const { runTraining } = require("../training-session") as typeof import("../training-session");
    await runTraining({
      envId: flags.envId ?? null,
      envKwargs: flags.envKwargs ?? {},
      envOverrides,
      hyperparameters,
      agent,
      outDir: flags.outDir ?? null,
      resume: flags.resume ?? null,
      backend: flags.backend,
      vectorMode: flags.vectorMode,
      checkpointEvery: flags.checkpointEvery,
      plotEvery: flags.plotEvery,
      progress: flags.progress,
      clipPrior: { clipImageEncoder: flags.clipImageEncoder, clipTextEncoder: flags.clipTextEncoder },
      expName: flags.expName,
      track: flags.track === "tensorboard" ? "tensorboard" : null,
      captureVideo: flags.captureVideo,
      evalEvery: flags.evalEvery,
      evalEpisodes: flags.evalEpisodes,
      config: effectiveConfig(command),
    });
  });
}

/**
 * The env options given by the dataset and segmenter flags (they go on top of --env-kwargs, or of
 * the checkpoint's options with --resume, e.g. to point at moved model files).
 * @throws CommanderArgumentError when --env-kwargs sets the same option.
 */
export function trainEnvOverrides(
  flags: DatasetCliOptions &
    Omit<SegmenterCliOptions, "segmenter"> & { segmenter?: string; envKwargs?: Record<string, unknown> },
): Record<string, unknown> {
  const out = {
    ...datasetEnvKwargs(flags),
    ...segmenterEnvKwargs({ ...flags, segmenter: flags.segmenter ?? "geodesic" }),
  };
  for (const key of Object.keys(out)) {
    if (flags.envKwargs?.[key] !== undefined)
      throw new CommanderArgumentError(`--env-kwargs sets "${key}" and so do the dataset/segmenter flags; use one`);
  }
  return out;
}
