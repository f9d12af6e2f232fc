import type { Command } from "commander";
import { InvalidArgumentError as CommanderArgumentError } from "commander";
import type { BackendName } from "../../ppo";
import type { PolicyName } from "../evaluation-policies";
import { POLICY_NAMES } from "../evaluation-policies";
import { parseInteger, parseJsonObject } from "./train";
import { addDatasetOptions, datasetEnvKwargs, type DatasetCliOptions } from "./dataset-options";
import { CLIP_PRIOR_FLAG_HELP } from "../prior-provider-options";
import { addSegmenterOptions, segmenterEnvKwargs, type SegmenterCliOptions } from "./segmenter-options";

/** Parsed flags of `eval`. */
interface EvalFlags extends DatasetCliOptions, SegmenterCliOptions {
  checkpoint: string;
  episodes: number;
  maxClicks: number;
  seed: number;
  envKwargs?: Record<string, unknown>;
  policies?: string;
  outDir: string;
  overlays: number;
  backend: BackendName;
  clipImageEncoder?: string;
  clipTextEncoder?: string;
}

/**
 * `alignsam-gym eval --checkpoint ...`: the trained policy (greedy and sampled) against the
 * random policy and the standard click simulator on the same held-out episodes.
 */
export function addEvalCommand(program: Command): void {
  const cmd = program
    .command("eval")
    .description("evaluate a checkpoint: final IoU/Dice, IoU after each click, NoC@85/90, vs random and the click-simulator oracle")
    .requiredOption("--checkpoint <path>", "checkpoint.bin written by train")
    .option("--episodes <n>", "held-out episodes per policy", parseInteger, 100)
    .option("--max-clicks <n>", "click budget per episode", parseInteger, 5)
    .option("--seed <n>", "episode i resets with seed + i (held out: training uses seeds from 1)", parseInteger, 1_000_000)
    .option("--env-kwargs <json>", "env options overriding the checkpoint's (e.g. a held-out split)", parseJsonObject)
    .option("--policies <list>", `comma-separated subset of ${POLICY_NAMES.join(",")} (default: greedy,sampled,random,oracle, plus prior-peak when the agent has a prior)`)
    .option("--out-dir <dir>", "where eval.json and PNG overlays go", "runs/eval")
    .option("--overlays <n>", "episodes per policy saved as PNG overlays", parseInteger, 4)
    .option("--backend <name>", "auto | node | wasm | cpu", "auto")
    .option("--clip-image-encoder <path>", CLIP_PRIOR_FLAG_HELP.image)
    .option("--clip-text-encoder <path>", CLIP_PRIOR_FLAG_HELP.text);
  addDatasetOptions(cmd, { kinds: ["synthetic", "coco", "maskfolder", "grabcut"], explicitSplit: true });
  addSegmenterOptions(cmd);
  cmd.action(async (flags: EvalFlags) => {
      const policies = flags.policies?.split(",").map((s) => s.trim()) as PolicyName[] | undefined;
      for (const p of policies ?? []) if (!POLICY_NAMES.includes(p)) throw new CommanderArgumentError(`unknown policy ${JSON.stringify(p)}; expected ${POLICY_NAMES.join(", ")}`);
      const { runEvaluation } = require("../evaluation") as typeof import("../evaluation");
      const overrides = { ...datasetEnvKwargs(flags, { explicitSplit: true }), ...segmenterEnvKwargs(flags) };
      for (const key of Object.keys(overrides)) {
        if (flags.envKwargs?.[key] !== undefined) throw new CommanderArgumentError(`--env-kwargs sets "${key}" and so do the dataset/segmenter flags; use one`);
      }
      const { checkpoint, episodes, maxClicks, seed, outDir, overlays, backend } = flags;
      await runEvaluation({
        checkpoint, episodes, maxClicks, seed, outDir, overlays, backend,
        envKwargs: { ...flags.envKwargs, ...overrides },
        ...(policies ? { policies } : {}),
        clipPrior: { clipImageEncoder: flags.clipImageEncoder, clipTextEncoder: flags.clipTextEncoder },
      });
    });
}
