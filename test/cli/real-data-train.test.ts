// End to end on a small COCO-format export made here (labelme2coco-like, with an unused
// "_background_" category and a 4-number polygon part; CVAT-like with bbox-only and crowd
// annotations): `train --dataset coco ...` runs PPO iterations of SamSegEnv-v0 with the default
// GeodesicSegmenter and with --segmenter onnx-sam on ../shared/fixtures/sam-tiny; `eval` needs the
// held-out data named and runs on the CVAT export.
import t from "tap";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { addTrainCommand } from "../../src/cli/commands/train";
import { addEvalCommand } from "../../src/cli/commands/eval";
import { loadCheckpoint } from "../../src/ppo/persist/checkpoint";
import { writeCocoExports } from "../data/coco-export-fixture";
import { FIXTURES_SKIP, TINY_IMAGE_ENCODER, TINY_TEXT_ENCODER } from "../priors/clip-fixtures";

t.setTimeout(600_000); // PPO iterations on a shared 2-core machine
const root = mkdtempSync(join(tmpdir(), "asg-realdata-"));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const fx = writeCocoExports(join(root, "export"));
const SAM_TINY = resolve(__dirname, "../../../shared/fixtures/sam-tiny");

async function run(args: string[]): Promise<string[]> {
  const program = new Command("alignsam-gym").exitOverride();
  addTrainCommand(program);
  addEvalCommand(program);
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    await program.parseAsync(["node", "alignsam-gym", ...args]);
  } finally {
    console.log = log;
  }
  return lines;
}

const tiny = [
  "--num-envs",
  "2",
  "--num-steps",
  "4",
  "--total-timesteps",
  "16",
  "--num-minibatches",
  "2",
  "--update-epochs",
  "1",
  "--backend",
  "wasm",
  "--no-progress",
  "--plot-every",
  "100",
];

t.test(
  "train --dataset coco on a labelme2coco export (geodesic), then eval on the CVAT export named explicitly",
  async (t) => {
    const out = join(root, "geo");
    const lines = await run([
      "train",
      "--dataset",
      "coco",
      "--annotations",
      fx.labelmeAnnotations,
      "--images",
      fx.root,
      "--out-dir",
      out,
      ...tiny,
    ]);
    t.ok(lines.some((l) => /real dataset: the default explicit agent runs without a semantic prior/.test(l)));
    t.ok(
      lines.some((l) => /done at iteration 2\/2/.test(l)),
      "two PPO iterations",
    );
    const rows = readFileSync(join(out, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, number | null>);
    t.equal(rows.length, 2);
    t.ok(
      rows.every((r) => Number.isFinite(r["losses/value_loss"])),
      "losses are finite",
    );
    const ckpt = loadCheckpoint(join(out, "checkpoint.bin"));
    t.same(
      ckpt.envKwargs.dataset,
      { kind: "coco", annotationFile: fx.labelmeAnnotations, imagesDir: fx.root },
      "the dataset is kept in the checkpoint as plain data",
    );
    t.equal(ckpt.agent.kind, "explicit");
    t.notOk("priorProvider" in ckpt.agent, "no synthetic-shapes prior on real categories");

    await t.rejects(
      run([
        "eval",
        "--checkpoint",
        join(out, "checkpoint.bin"),
        "--episodes",
        "1",
        "--backend",
        "wasm",
        "--out-dir",
        join(root, "e0"),
      ]),
      /the checkpoint trained on coco data \(.*annotations\.json\); name the held-out data explicitly/,
    );
    await t.rejects(
      run([
        "eval",
        "--checkpoint",
        join(out, "checkpoint.bin"),
        "--dataset",
        "coco",
        "--path",
        fx.root,
        "--out-dir",
        join(root, "e0"),
      ]),
      /name the held-out split explicitly: --split <name>/,
    );
    const evalDir = join(root, "eval");
    await run([
      "eval",
      "--checkpoint",
      join(out, "checkpoint.bin"),
      "--dataset",
      "coco",
      "--annotations",
      fx.cvatAnnotations,
      "--images",
      join(fx.root, "images"),
      "--episodes",
      "2",
      "--max-clicks",
      "2",
      "--policies",
      "greedy,random",
      "--overlays",
      "0",
      "--backend",
      "wasm",
      "--out-dir",
      evalDir,
    ]);
    const report = JSON.parse(readFileSync(join(evalDir, "eval.json"), "utf8")) as {
      results: Array<{ policy: string; finalIou: number }>;
    };
    t.same(
      report.results.map((r) => r.policy),
      ["greedy", "random"],
    );
    t.ok(report.results.every((r) => r.finalIou >= 0 && r.finalIou <= 1));
  },
);

const enc = join(SAM_TINY, "tiny-sam-encoder.onnx");
const dec = join(SAM_TINY, "tiny-sam-decoder.onnx");
function onnxSkipReason(): string | false {
  if (!existsSync(enc) || !existsSync(dec)) return `no SAM fixture at ${SAM_TINY}`;
  try {
    require("onnxruntime-node");
  } catch {
    return "onnxruntime-node is not installed";
  }
  return false;
}

t.test("train --dataset coco --segmenter onnx-sam with the tiny SAM fixture", { skip: onnxSkipReason() }, async (t) => {
  const out = join(root, "sam");
  const lines = await run([
    "train",
    "--dataset",
    "coco",
    "--annotations",
    fx.cvatAnnotations,
    "--images",
    join(fx.root, "images"),
    "--categories",
    "cat",
    "--segmenter",
    "onnx-sam",
    "--encoder",
    enc,
    "--decoder",
    dec,
    "--threads",
    "1",
    "--cache",
    join(root, "emb"),
    "--out-dir",
    out,
    ...tiny,
  ]);
  t.ok(
    lines.some((l) => /done at iteration 2\/2/.test(l)),
    "two PPO iterations",
  );
  const ckpt = loadCheckpoint(join(out, "checkpoint.bin"));
  t.same(ckpt.envKwargs.segmenter, { kind: "onnx-sam", decoderPath: dec, encoderPath: enc, intraOpNumThreads: 1 });
  t.same(ckpt.envKwargs.embeddingCache, { dir: join(root, "emb"), maxBytes: 256 * 1024 * 1024 });
  t.same((ckpt.envKwargs.dataset as { categories: string[] }).categories, ["cat"]);
  t.ok(existsSync(join(root, "emb")), "embeddings written to the --cache folder");
  await t.rejects(
    run([
      "eval",
      "--checkpoint",
      join(out, "checkpoint.bin"),
      "--dataset",
      "coco",
      "--annotations",
      fx.cvatAnnotations,
      "--images",
      join(fx.root, "images"),
      "--segmenter",
      "onnx-sam",
      "--decoder",
      join(root, "moved.onnx"),
      "--episodes",
      "1",
      "--backend",
      "wasm",
      "--out-dir",
      join(root, "e1"),
    ]),
    /segmenter decoderPath ".*moved\.onnx" not found \(set segmenter\.decoderPath; on the command line --decoder <path>\)/,
  );
});

t.test(
  "the whole AlignSAM method on a COCO export: explicit agent + CLIP-Surgery prior + ONNX SAM (tiny fixtures)",
  { skip: onnxSkipReason() || FIXTURES_SKIP },
  async (t) => {
    const out = join(root, "alignsam");
    const agentConfig = {
      inputGrid: [8, 8],
      embeddingChannels: 8,
      convs: [{ filters: 8, kernel: 3, stride: 2 }],
      hidden: 32,
      attentionDim: 8,
      actorHead: "spatial",
      spatialFilters: 8,
      noRepeat: "patch",
    };
    const lines = await run([
      "train",
      "--dataset",
      "coco",
      "--annotations",
      fx.cvatAnnotations,
      "--images",
      join(fx.root, "images"),
      "--segmenter",
      "onnx-sam",
      "--encoder",
      enc,
      "--decoder",
      dec,
      "--threads",
      "1",
      "--agent",
      "explicit",
      "--agent-config",
      JSON.stringify(agentConfig),
      "--clip-image-encoder",
      TINY_IMAGE_ENCODER,
      "--clip-text-encoder",
      TINY_TEXT_ENCODER,
      "--out-dir",
      out,
      ...tiny,
    ]);
    t.ok(
      lines.some((l) => /done at iteration 2\/2/.test(l)),
      "two PPO iterations",
    );
    const ckpt = loadCheckpoint(join(out, "checkpoint.bin"));
    t.same((ckpt.agent as { priorProvider?: unknown }).priorProvider, {
      kind: "clip-surgery",
      imageEncoder: TINY_IMAGE_ENCODER,
      textEncoder: TINY_TEXT_ENCODER,
    });
    t.equal((ckpt.envKwargs.segmenter as { kind: string }).kind, "onnx-sam");
    t.equal((ckpt.envKwargs.dataset as { kind: string }).kind, "coco");
    t.ok(
      ckpt.params.every((p) => p.data.every(Number.isFinite)),
      "finite weights after the updates",
    );
  },
);
