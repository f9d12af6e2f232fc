// The learning ablation of docs/07: trains SamSegEnv-v0 agents with one lever changed at a time,
// for several seeds, through the built CLI (`node lib/cli/main.js train` then `eval`, the
// commands a user runs), and prints a markdown table of the held-out results (greedy final IoU,
// IoU@1, IoU@5 and the prior-peak baseline on the same 100 held-out images) with wall times.
// Needs `npm run build` first. Each run takes minutes: run it on a quiet machine.
//
//   npx tsx scripts/agent-ablation.ts [--variants default,reference-reward] [--seeds 1,2,3]
//       [--out-dir runs/ablation] [--episodes 100]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENV_DEFAULT_AGENTS } from "../src/cli/env-defaults";

/** A variant: the flags that change from the default `train` run. */
interface Variant {
  name: string;
  what: string;
  flags: string[];
}

const DEFAULT_AGENT = ENV_DEFAULT_AGENTS["SamSegEnv-v0"] as unknown as Record<string, unknown>;

const agent = (change: Record<string, unknown>): string[] => [
  "--agent",
  "explicit",
  "--agent-config",
  JSON.stringify(Object.fromEntries(Object.entries({ ...DEFAULT_AGENT, ...change }).filter(([, v]) => v !== null))),
];

const VARIANTS: Variant[] = [
  {
    name: "default",
    what: "the default run (dice-gain reward, difference planes, gain 10, bilinear patch logits)",
    flags: [],
  },
  {
    name: "reference-reward",
    what: "the reference reward preset (alignsam) instead of dice-gain",
    flags: ["--env-kwargs", '{"reward":"alignsam"}'],
  },
  { name: "no-gain", what: "the planes without the skip into the logits", flags: agent({ correctionGain: null }) },
  {
    name: "no-planes",
    what: "no correction planes (and so no skip)",
    flags: agent({ correctionPlanes: null, correctionGain: null }),
  },
  { name: "cell", what: "click patches take the logit of the cell under them", flags: agent({ patchLogits: null }) },
  { name: "distance", what: "distance planes instead of difference", flags: agent({ correctionPlanes: "distance" }) },
  { name: "ent-0.001", what: "entropy coefficient 0.001 instead of 0.01", flags: ["--ent-coef", "0.001"] },
  { name: "ent-0.03", what: "entropy coefficient 0.03 instead of 0.01", flags: ["--ent-coef", "0.03"] },
  { name: "repeat", what: "no agent-side no-repeat rule (noRepeat off)", flags: agent({ noRepeat: "off" }) },
  { name: "budget-2x", what: "twice the training steps (12,288)", flags: ["--total-timesteps", "12288"] },
  { name: "gain-20", what: "the skip's initial gain 20 instead of 10", flags: agent({ correctionGain: 20 }) },
  {
    name: "previous-default",
    what: "the default agent two releases ago: no planes, cell patch logits, the reference reward",
    flags: [
      "--env-kwargs",
      '{"reward":"alignsam"}',
      ...agent({ correctionPlanes: null, correctionGain: null, patchLogits: null }),
    ],
  },
];

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

interface Row {
  variant: string;
  seed: number;
  greedy: number;
  iou1: number;
  iou5: number;
  sampled: number;
  priorPeak: number;
  trainSeconds: number;
}

function main(): void {
  const cli = join(__dirname, "..", "lib", "cli", "main.js");
  if (!existsSync(cli)) throw new Error("lib/ is missing: run `npm run build` first");
  const names = option("variants", VARIANTS.map((v) => v.name).join(",")).split(",");
  const seeds = option("seeds", "1,2,3").split(",").map(Number);
  const outDir = option("out-dir", join("runs", "ablation"));
  const episodes = option("episodes", "100");
  mkdirSync(outDir, { recursive: true });
  const rows: Row[] = [];
  for (const name of names) {
    const variant = VARIANTS.find((v) => v.name === name);
    if (variant === undefined)
      throw new Error(
        `unknown variant ${JSON.stringify(name)}; expected one of ${VARIANTS.map((v) => v.name).join(", ")}`,
      );
    for (const seed of seeds) {
      const run = join(outDir, `${name}__${seed}`);
      const started = Date.now();
      if (!existsSync(join(run, "checkpoint.bin"))) {
        execFileSync(
          process.execPath,
          [cli, "train", "--no-progress", "--seed", String(seed), "--out-dir", run, ...variant.flags],
          { stdio: "inherit" },
        );
      }
      const trainSeconds = (Date.now() - started) / 1000;
      const evalDir = join(run, "eval");
      execFileSync(
        process.execPath,
        [
          cli,
          "eval",
          "--checkpoint",
          join(run, "checkpoint.bin"),
          "--episodes",
          episodes,
          "--policies",
          "greedy,sampled,prior-peak",
          "--out-dir",
          evalDir,
        ],
        { stdio: "inherit" },
      );
      const results = (
        JSON.parse(readFileSync(join(evalDir, "eval.json"), "utf8")) as {
          results: Array<{ policy: string; finalIou: number; iouPerClick: number[] }>;
        }
      ).results;
      const of = (p: string): { finalIou: number; iouPerClick: number[] } =>
        results.find((r) => r.policy === p) as { finalIou: number; iouPerClick: number[] };
      const g = of("greedy");
      rows.push({
        variant: name,
        seed,
        greedy: g.finalIou,
        iou1: g.iouPerClick[0] as number,
        iou5: g.iouPerClick[4] as number,
        sampled: of("sampled").finalIou,
        priorPeak: of("prior-peak").finalIou,
        trainSeconds,
      });
      writeFileSync(join(outDir, "ablation.json"), JSON.stringify(rows, null, 2));
    }
  }
  const f = (v: number): string => v.toFixed(3);
  const lines = [
    "| variant | seed | greedy final IoU | IoU@1 | IoU@5 | sampled final IoU | prior-peak | train s |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows)
    lines.push(
      `| ${r.variant} | ${r.seed} | ${f(r.greedy)} | ${f(r.iou1)} | ${f(r.iou5)} | ${f(r.sampled)} | ${f(r.priorPeak)} | ${r.trainSeconds.toFixed(0)} |`,
    );
  console.log(lines.join("\n"));
}

main();
