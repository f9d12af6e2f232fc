import type { Command } from "commander";
import { InvalidArgumentError as CommanderArgumentError } from "commander";
import { SingleBar } from "cli-progress";
import type { BackendName } from "../../ppo";
import type { PolicyName } from "../evaluation-policies";
import { POLICY_NAMES } from "../evaluation-policies";
import { requiredOption } from "../program-setup";
import { parseInteger, parseJsonObject, positiveInteger, requireFile } from "./train";
import { addDatasetOptions, datasetEnvKwargs, type DatasetCliOptions } from "./dataset-options";
import { CLIP_PRIOR_FLAG_HELP } from "../prior-provider-options";
import { addSegmenterOptions, segmenterEnvKwargs, type SegmenterCliOptions } from "./segmenter-options";

/** Parsed flags of `eval`. */
interface EvalFlags extends DatasetCliOptions, SegmenterCliOptions {
  checkpoint: string;
  episodes: number;
  maxClicks?: number;
  seed: number;
  envKwargs?: Record<string, unknown>;
  policies?: string;
  outDir: string;
  overlays: number;
  backend: BackendName;
  clipImageEncoder?: string;
  clipTextEncoder?: string;
  captureVideo: boolean;
  progress: boolean;
}

/**
 * `alignsam-gym eval --checkpoint ...`: the trained policy (greedy and sampled) against the
 * random policy and the standard click simulator on the same held-out episodes. On envs other
 * than SamSegEnv, episodes end at the env's own limit and the SamSeg-only baselines are skipped
 * with a note.
 */
export function addEvalCommand(program: Command): void {
  const cmd = program
    .command("eval")
    .description(
      "evaluate a checkpoint: final IoU/Dice, IoU after each click, NoC@85/90, vs random and the click-simulator oracle",
    );
  requiredOption(cmd, "--checkpoint <path>", "checkpoint.bin (or best.bin) written by train");
  cmd
    .option("--episodes <n>", "held-out episodes per policy", positiveInteger("--episodes"), 100)
    .option(
      "--max-clicks <n>",
      "click budget per episode (SamSegEnv; default 5); other envs use their own episode limit",
      positiveInteger("--max-clicks"),
    )
    .option(
      "--seed <n>",
      "episode i resets with seed + i (held out: training uses seeds from 1)",
      parseInteger,
      1_000_000,
    )
    .option("--env-kwargs <json>", "env options overriding the checkpoint's (e.g. a held-out split)", parseJsonObject)
    .option(
      "--policies <list>",
      `comma-separated subset of ${POLICY_NAMES.join(",")} (default: greedy,sampled,random,oracle, plus prior-peak when the agent has a prior)`,
    )
    .option("--out-dir <dir>", "where eval.json, PNG overlays and GIFs go", "runs/eval")
    .option(
      "--overlays <n>",
      "episodes per policy saved as PNG overlays (and GIFs with --capture-video)",
      parseInteger,
      4,
    )
    .option("--capture-video", "also save those episodes as animated GIFs", false)
    .option("--backend <name>", "auto | node | wasm | cpu", "auto")
    .option("--no-progress", "no progress bar")
    .option("--clip-image-encoder <path>", CLIP_PRIOR_FLAG_HELP.image)
    .option("--clip-text-encoder <path>", CLIP_PRIOR_FLAG_HELP.text);
  addDatasetOptions(cmd, { kinds: ["synthetic", "coco", "maskfolder", "grabcut"], explicitSplit: true });
  addSegmenterOptions(cmd);
  cmd.action(async (flags: EvalFlags) => {
    requireFile(flags.checkpoint, "--checkpoint");
    const policies = flags.policies?.split(",").map((s) => s.trim()) as PolicyName[] | undefined;
    for (const p of policies ?? [])
      if (!POLICY_NAMES.includes(p))
        throw new CommanderArgumentError(`unknown policy ${JSON.stringify(p)}; expected ${POLICY_NAMES.join(", ")}`);
    const { runEvaluation } = require("../evaluation") as typeof import("../evaluation");
    const overrides = { ...datasetEnvKwargs(flags, { explicitSplit: true }), ...segmenterEnvKwargs(flags) };
    for (const key of Object.keys(overrides)) {
      if (flags.envKwargs?.[key] !== undefined)
        throw new CommanderArgumentError(`--env-kwargs sets "${key}" and so do the dataset/segmenter flags; use one`);
    }
    const { checkpoint, episodes, maxClicks, seed, outDir, overlays, backend, captureVideo } = flags;
    const bar =
      flags.progress && process.stderr.isTTY === true
        ? new SingleBar({
            stream: process.stderr,
            format: "{bar} {value}/{total} episodes | {policy} | ETA {eta_formatted}",
            hideCursor: true,
          })
        : null;
    let started = false;
    try {
      await runEvaluation(
        {
          checkpoint,
          episodes,
          seed,
          outDir,
          overlays,
          backend,
          captureVideo,
          ...(maxClicks !== undefined ? { maxClicks } : {}),
          envKwargs: { ...flags.envKwargs, ...overrides },
          ...(policies ? { policies } : {}),
          clipPrior: { clipImageEncoder: flags.clipImageEncoder, clipTextEncoder: flags.clipTextEncoder },
          ...(bar
            ? {
                onEpisode: (done: number, total: number, policy: PolicyName) => {
                  if (!started) bar.start(total, 0, { policy });
                  started = true;
                  bar.update(done, { policy });
                  if (done === total) bar.stop();
                },
              }
            : {}),
        },
        (line) => {
          if (started) bar?.stop();
          console.log(line);
        },
      );
    } finally {
      bar?.stop();
    }
  });
}
