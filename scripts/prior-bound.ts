// How far can clicks guided by a prior go? Runs the standard click simulator (eval's "oracle") on
// SamSegEnv-v0's 100 held-out images (the episodes `alignsam-gym eval` scores: seed 1000000 + i),
// but with its ground truth replaced by a prior's mask, and prints the real final IoU and IoU
// after each click. An agent that reads only the prior and the mask (as the default explicit
// agent does) can be expected near the prior's row, not the oracle's.
//
//   npx tsx scripts/prior-bound.ts [--episodes 100] [--threshold 0.5] [--weights <file.ts>]
//       [--targets gt,coarse-gt,prior,prior-one-view]
//
// Targets: "gt", the episode's ground truth (eval's oracle); "coarse-gt", the ground truth
// box-filtered to the prior's 24 x 32 cells (a perfect prior at the prior's resolution);
// "prior", the synthetic-shapes prior's map of the target category (flip average, the default);
// "prior-one-view", the same network on the image alone. A cell is "target" when its value
// exceeds --threshold. --weights reads another network's weights (a train-shape-prior --out file).
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { make } from "../src/registry";
import type { Env } from "../src/core/env";
import type { SamSegEnv } from "../src/envs/sam-seg/sam-seg-env";
import { nextClick } from "../src/metrics";
import { selectBackend } from "../src/ppo/nn/backend";
import { SyntheticShapePrior } from "../src/ppo/priors/shape-prior";
import { SHAPE_PRIOR_OUTPUT, boxDownsample } from "../src/priors";
import { HELD_OUT_SYNTHETIC } from "../src/cli/evaluation";
import { readShapePriorWeightsFile } from "./shape-prior-weights-file";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

const EPISODES = Number(option("episodes", "100"));
const THRESHOLD = Number(option("threshold", "0.5"));
const WEIGHTS = option("weights", "");
const TARGETS = option("targets", "gt,coarse-gt,prior,prior-one-view").split(",");
const FIRST_SEED = 1_000_000; // eval's default --seed
const KNOWN = ["gt", "coarse-gt", "prior", "prior-one-view"];

/** A map [h, w] (row-major) spread over [H, W] by nearest cell, thresholded to a mask. */
function cellsToMask(map: Float32Array, h: number, w: number, H: number, W: number): NdArray<Uint8Array> {
  const out = new Uint8Array(H * W);
  for (let y = 0; y < H; y++) {
    const cy = Math.min(h - 1, Math.floor((y * h) / H));
    for (let x = 0; x < W; x++) {
      const cx = Math.min(w - 1, Math.floor((x * w) / W));
      out[y * W + x] = (map[cy * w + cx] as number) > THRESHOLD ? 1 : 0;
    }
  }
  return ndarray(out, [H, W]);
}

async function main(): Promise<void> {
  for (const t of TARGETS) if (!KNOWN.includes(t)) throw new Error(`unknown target ${t}; known: ${KNOWN.join(", ")}`);
  await selectBackend("wasm");
  const weights = WEIGHTS !== "" ? readShapePriorWeightsFile(WEIGHTS) : undefined;
  const priors = {
    prior: new SyntheticShapePrior({ ...(weights ? { weights } : {}) }),
    "prior-one-view": new SyntheticShapePrior({ ...(weights ? { weights } : {}), flipAverage: false }),
  };
  const env = make("SamSegEnv-v0", { reward: "dice-gain", syntheticDataset: HELD_OUT_SYNTHETIC }) as Env<
    { image: NdArray<Uint8Array>; targetCategory: string },
    number
  >;
  const seg = env.unwrapped as unknown as SamSegEnv;
  const [h, w] = SHAPE_PRIOR_OUTPUT;
  for (const target of TARGETS) {
    let finalIou = 0;
    const perClick: number[] = [];
    for (let ep = 0; ep < EPISODES; ep++) {
      const [obs] = await env.reset({ seed: FIRST_SEED + ep });
      const [H, W] = obs.image.shape as [number, number];
      const gt = seg.groundTruth as NdArray<Uint8Array>;
      let goal = gt;
      if (target === "coarse-gt") {
        const cells = new Float32Array(h * w);
        boxDownsample(gt.data, [H, W], 1, [h, w], cells, 0);
        goal = cellsToMask(cells, h, w, H, W);
      } else if (target === "prior" || target === "prior-one-view") {
        const map = await priors[target].prior(obs.image, obs.targetCategory);
        goal = cellsToMask(map.data, map.height, map.width, H, W);
      }
      let iou = 0;
      for (let k = 0; ; k++) {
        const prob = seg.predictedProbability as NdArray<Float32Array>;
        const pred = ndarray(
          Uint8Array.from(prob.data, (p) => (p > 0.5 ? 1 : 0)),
          [H, W],
        );
        const click = nextClick(goal, pred, { clicked: seg.clicks });
        // No error left against the goal: action 0 (eval's oracle takes a random one).
        const action = click === null ? 0 : seg.actionFor({ x: click.x, y: click.y }, click.positive);
        const [, , terminated, truncated, info] = await env.step(action);
        iou = (info as { iou: number }).iou;
        perClick[k] = (perClick[k] ?? 0) + iou;
        if (terminated || truncated) break;
      }
      finalIou += iou;
    }
    console.log(
      `${target.padEnd(15)} final IoU ${(finalIou / EPISODES).toFixed(3)}   IoU per click ${perClick.map((v) => (v / EPISODES).toFixed(3)).join(" ")}`,
    );
  }
  priors.prior.dispose();
  priors["prior-one-view"].dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
