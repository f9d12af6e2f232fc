import t from "tap";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTraining } from "../../src/cli/training-session";
import { runEvaluation } from "../../src/cli/evaluation";
import { decodeGif } from "../data/gif-decoder";
import { registerTinySamSeg, TINY_ID } from "./helpers/tiny-sam-seg";

t.setTimeout(600_000);

t.test("eval on CartPole: the env's own episode limit, SamSeg-only baselines skipped with a note", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-eval-cp-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await runTraining(
    {
      envId: "CartPole-v1",
      envKwargs: {},
      agent: null,
      outDir: join(dir, "run"),
      resume: null,
      backend: "wasm",
      vectorMode: "sync",
      checkpointEvery: 1,
      plotEvery: 1,
      progress: false,
      hyperparameters: { numEnvs: 2, numSteps: 16, totalTimesteps: 32, numMinibatches: 2, updateEpochs: 1 },
    },
    () => {},
  );
  const lines: string[] = [];
  const progress: number[] = [];
  const results = await runEvaluation(
    {
      checkpoint: join(dir, "run", "checkpoint.bin"),
      episodes: 2,
      maxClicks: 5,
      seed: 1000,
      envKwargs: {},
      outDir: join(dir, "eval"),
      overlays: 0,
      backend: "wasm",
      onEpisode: (done, total) => progress.push(done / total),
    },
    (l) => lines.push(l),
  );
  t.same(
    results.map((r) => r.policy),
    ["greedy", "sampled", "random"],
    "oracle skipped",
  );
  t.ok(
    lines.some((l) => l === "note: skipping oracle: this baseline needs a SamSegEnv"),
    lines.join("\n"),
  );
  t.ok(
    lines.some((l) => /--max-clicks ignored/.test(l)),
    "says --max-clicks does not apply",
  );
  const random = results.find((r) => r.policy === "random")!;
  t.ok(random.meanReturn > 5, `episodes are not cut at 5 steps (random return ${random.meanReturn})`);
  t.same(progress, [1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1], "progress after every episode");
  t.ok(lines.includes(`results: ${join(dir, "eval", "eval.json")}`), "says where the results are");
  const saved = JSON.parse(readFileSync(join(dir, "eval", "eval.json"), "utf8")) as {
    skipped: string[];
    maxClicks: number | null;
  };
  t.same(saved.skipped, ["oracle"]);
  t.equal(saved.maxClicks, null);
});

t.test("eval --capture-video writes titled GIFs of the first episodes of each policy", async (t) => {
  registerTinySamSeg();
  const dir = mkdtempSync(join(tmpdir(), "asg-eval-gif-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await runTraining(
    {
      envId: TINY_ID,
      envKwargs: { renderFrameShape: [40, 40] },
      outDir: join(dir, "run"),
      resume: null,
      backend: "wasm",
      vectorMode: "sync",
      checkpointEvery: 1,
      plotEvery: 1,
      progress: false,
      agent: { kind: "implicit", inputGrid: [8, 8], convs: [{ filters: 4, kernel: 3, stride: 2 }], hidden: 16 },
      hyperparameters: { numEnvs: 2, numSteps: 6, totalTimesteps: 12, numMinibatches: 2, updateEpochs: 1 },
    },
    () => {},
  );
  const lines: string[] = [];
  await runEvaluation(
    {
      checkpoint: join(dir, "run", "checkpoint.bin"),
      episodes: 2,
      maxClicks: 3,
      seed: 1000,
      envKwargs: {},
      outDir: join(dir, "eval"),
      overlays: 1,
      backend: "wasm",
      policies: ["greedy", "oracle"],
      captureVideo: true,
    },
    (l) => lines.push(l),
  );
  const gifs = readdirSync(join(dir, "eval"))
    .filter((f) => f.endsWith(".gif"))
    .sort();
  t.same(gifs, ["greedy-episode-0.gif", "oracle-episode-0.gif"]);
  const gif = decodeGif(readFileSync(join(dir, "eval", gifs[0]!)));
  t.equal(gif.frames.length, 4, "reset + 3 clicks");
  t.equal(gif.height, 40 + 24);
  t.ok(lines.some((l) => /^videos: 2 GIFs in /.test(l)));
});
