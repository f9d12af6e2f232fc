import { resolve } from "node:path";
import { Option } from "commander";
import type { Command } from "commander";
import { RecordVideo } from "../../wrappers/record-video";
import { titleSamSegEnvFrame } from "../../envs/sam-seg/video-frame";
import ndarray from "ndarray";
import { InvalidArgumentError } from "../../core/errors";
import type { Env } from "../../core/env";
import { make } from "../../registry";
import { nextClick } from "../../metrics";
import { SamSegEnv } from "../../envs/sam-seg";
import { addSegmenterOptions, createSegmenter, positiveInt } from "./segmenter-options";
import type { SegmenterCliOptions } from "./segmenter-options";
import { addDatasetOptions, addRenamedFlag, datasetEnvKwargs, type DatasetCliOptions } from "./dataset-options";

/** Parsed options of `alignsam-gym demo`. */
interface DemoCliOptions extends SegmenterCliOptions, DatasetCliOptions {
  episodes: string;
  agent: string;
  outDir?: string;
  /** Old name of --out-dir. */
  out?: string;
  seed: string;
  maxClicks?: string;
  /** Old name of --max-clicks. */
  maxSteps?: string;
  gif: boolean;
  reward: string;
}

/** One episode's summary line. */
interface EpisodeSummary {
  category: string;
  rewards: number[];
  dice: number;
  iou: number;
}

/**
 * Register `alignsam-gym demo`: run a random agent or a scripted one (the standard click
 * simulator on the ground truth: each click on the centre of the largest error) in
 * SamSegEnv-v0 for a few episodes, write the rendered three-panel frames as PNG files (one per
 * reset and per step; with --gif one titled animated GIF per episode instead) and print each
 * episode's rewards, Dice and IoU. `--out` and `--max-steps` are the old names of `--out-dir`
 * and `--max-clicks` (still accepted, hidden from --help).
 *
 * @example
 * ```sh
 * alignsam-gym demo --episodes 3 --agent scripted --out-dir runs/demo --gif
 * alignsam-gym demo --dataset coco --path coco --split val2017 --categories cat,dog --segmenter onnx-sam --encoder enc.onnx --decoder dec.onnx
 * alignsam-gym demo --dataset coco --annotations voc/annotations.json --images voc
 * ```
 */
export function addDemoCommand(program: Command): void {
  const cmd = program
    .command("demo")
    .description(
      "Run a random or scripted agent in SamSegEnv-v0 and write the rendered frames as PNG files (or GIFs with --gif)",
    )
    .option("--episodes <n>", "number of episodes", "2")
    .option("--agent <kind>", "random (uniform actions) or scripted (click simulator on the ground truth)", "scripted")
    .option("--out-dir <dir>", "folder of the PNG frames (or GIFs)", "runs/demo")
    .addOption(new Option("--out <dir>", "old name of --out-dir").hideHelp())
    .option("--gif", "write one animated GIF per episode (titled panels, numbered clicks) instead of PNG frames", false)
    .option("--seed <s>", "seed of the first reset and of the random agent", "0")
    .option("--max-clicks <n>", "clicks per episode", "5")
    .addOption(new Option("--max-steps <n>", "old name of --max-clicks").hideHelp())
    .option("--reward <preset>", "alignsam, alignsam-v0725, alignsam-paper or dice-gain", "alignsam");
  addDatasetOptions(cmd, {
    kinds: ["synthetic", "coco", "maskfolder", "grabcut"],
    defaultKind: "synthetic",
    defaultSplit: "val2017",
  });
  addRenamedFlag(
    cmd,
    "--data <dir>",
    "--dataset coco --path <dir> --split <name> (or --annotations <file> --images <dir>)",
  );
  addSegmenterOptions(cmd).action(async (o: DemoCliOptions) => {
    const episodes = positiveInt(o.episodes, "--episodes");
    const seed = positiveInt(o.seed, "--seed", true);
    if (o.agent !== "random" && o.agent !== "scripted")
      throw new InvalidArgumentError(`--agent must be "random" or "scripted", got "${o.agent}"`);
    const outDir = o.out ?? o.outDir ?? "runs/demo";
    const maxClicks =
      o.maxSteps !== undefined
        ? positiveInt(o.maxSteps, "--max-steps")
        : positiveInt(o.maxClicks ?? "5", "--max-clicks");
    const kwargs: Record<string, unknown> = {
      renderMode: o.gif ? "rgb_array" : "human",
      renderDir: outDir,
      maxSteps: maxClicks,
      reward: o.reward,
      segmenter: createSegmenter(o),
    };
    Object.assign(kwargs, datasetEnvKwargs(o));
    let env = make("SamSegEnv-v0", kwargs) as Env<unknown, number>;
    if (o.gif) {
      env = new RecordVideo(env, {
        videoFolder: outDir,
        namePrefix: "demo",
        episodeTrigger: () => true,
        fps: 2,
        annotate: titleSamSegEnvFrame,
        onVideo: (path) => console.log(`wrote ${resolve(path)}`),
      });
    }
    try {
      env.actionSpace.seed(seed);
      for (let e = 0; e < episodes; e++) {
        const s = await runEpisode(env, o.agent, e === 0 ? seed : undefined);
        console.log(
          `episode ${e + 1}: ${s.category}, rewards [${s.rewards.map((r) => r.toFixed(2)).join(", ")}], ` +
            `return ${s.rewards.reduce((a, b) => a + b, 0).toFixed(2)}, final Dice ${s.dice.toFixed(3)}, IoU ${s.iou.toFixed(3)}`,
        );
      }
    } finally {
      await env.close();
    }
  });
}

/** Play one episode; the scripted agent clicks where the click simulator says, snapped to the action grid. */
async function runEpisode(env: Env<unknown, number>, agent: string, seed: number | undefined): Promise<EpisodeSummary> {
  const [obs] = await env.reset(seed === undefined ? {} : { seed });
  const inner = env.unwrapped as SamSegEnv;
  const summary: EpisodeSummary = {
    category: (obs as { targetCategory: string }).targetCategory,
    rewards: [],
    dice: 0,
    iou: 0,
  };
  for (;;) {
    const action = agent === "random" ? env.actionSpace.sample() : scriptedAction(inner);
    const [, reward, terminated, truncated, info] = await env.step(action);
    summary.rewards.push(reward);
    summary.dice = info.dice as number;
    summary.iou = info.iou as number;
    if (terminated || truncated) return summary;
  }
}

/** The click simulator's next click (largest error, positive iff it is a miss) as the nearest grid action. */
function scriptedAction(env: SamSegEnv): number {
  const gt = env.groundTruth as ndarray.NdArray<Uint8Array>;
  const prob = env.predictedProbability as ndarray.NdArray<Float32Array>;
  const pred = ndarray(
    Uint8Array.from(prob.data, (p) => (p > 0.5 ? 1 : 0)),
    prob.shape,
  );
  const click = nextClick(gt, pred, { clicked: env.clicks });
  return click === null ? env.actionFor({ x: 0, y: 0 }, false) : env.actionFor(click, click.positive);
}
