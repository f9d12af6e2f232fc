import t from "tap";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTraining } from "../../src/cli/training-session";
import type { TrainRunOptions } from "../../src/cli/training-session";
import { loadCheckpoint } from "../../src/ppo/persist/checkpoint";
import { readEventFile } from "./helpers/tfevents-reader";
import { decodeGif } from "../data/gif-decoder";
import { registerTinySamSeg, TINY_ID } from "./helpers/tiny-sam-seg";

t.setTimeout(600_000);

function options(outDir: string, over: Partial<TrainRunOptions> = {}): TrainRunOptions {
  return {
    envId: "CartPole-v1",
    envKwargs: {},
    agent: null,
    outDir,
    resume: null,
    backend: "wasm",
    vectorMode: "sync",
    checkpointEvery: 1,
    plotEvery: 10,
    progress: false,
    hyperparameters: { numEnvs: 2, numSteps: 32, totalTimesteps: 64 * 2, numMinibatches: 2, updateEpochs: 1 },
    ...over,
  };
}

const CLEANRL_TAGS = [
  "charts/episodic_return",
  "charts/episodic_length",
  "charts/learning_rate",
  "charts/SPS",
  "losses/value_loss",
  "losses/policy_loss",
  "losses/entropy",
  "losses/old_approx_kl",
  "losses/approx_kl",
  "losses/clipfrac",
  "losses/explained_variance",
];

t.test("--track tensorboard, --eval-every and the run folder's files", async (t) => {
  const root = mkdtempSync(join(tmpdir(), "asg-tooling-"));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, "run");
  const lines: string[] = [];
  const config = { envId: "CartPole-v1", seed: 1, track: "tensorboard" };
  const r = await runTraining(options(dir, { track: "tensorboard", evalEvery: 1, evalEpisodes: 2, config }), (l) =>
    lines.push(l),
  );
  t.equal(r.runDir, dir);
  t.equal(lines[0], `run folder: ${dir}`, "printed at the start");
  t.equal(lines[lines.length - 1], `run folder: ${dir}`, "and at the end");
  const files = readdirSync(dir);
  const eventFile = files.find((f) => f.startsWith("events.out.tfevents."));
  t.ok(eventFile, "an event file in the run folder");
  const events = readEventFile(join(dir, eventFile!));
  t.equal(events[0]!.fileVersion, "brain.Event:2");
  const rows = readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, number | null>);
  t.same(
    events.slice(1).map((e) => e.step),
    rows.map((row) => row["global_step"]),
    "one event per iteration at the global step",
  );
  const tags = new Set(events.flatMap((e) => e.scalars.map((s) => s.tag)));
  for (const tag of [...CLEANRL_TAGS, "eval/episodic_return", "eval/episodic_length"])
    t.ok(tags.has(tag), `tag ${tag}`);
  for (const [k, row] of rows.entries()) {
    for (const s of events[k + 1]!.scalars) {
      t.equal(
        s.value,
        Math.fround(row[s.tag] as number),
        `${s.tag} at iteration ${k + 1} equals metrics.jsonl (float32)`,
      );
    }
  }
  t.ok(
    rows.every((row) => typeof row["eval/episodic_return"] === "number"),
    "eval logged every iteration",
  );
  t.ok(existsSync(join(dir, "best.bin")) && existsSync(join(dir, "checkpoint.bin")), "best.bin beside checkpoint.bin");
  const vl = JSON.parse(readFileSync(join(dir, "learning-curves.vl.json"), "utf8")) as {
    concat: Array<{ title: string }>;
  };
  t.same(
    vl.concat.map((p) => p.title),
    ["CartPole-v1: episodic return", "value loss", "policy loss", "entropy", "approx KL / clipfrac"],
    "Vega-Lite beside the PNG; policy loss and entropy on their own panels",
  );
  const best = loadCheckpoint(join(dir, "best.bin"));
  const bestReturn = Math.max(...rows.map((row) => row["eval/episodic_return"] as number));
  t.equal(best.meta["bestEvalScore"], bestReturn, "best.bin holds the best held-out score");
  t.ok(
    lines.some((l) => /^eval at step \d+: return/.test(l)),
    "eval results are logged",
  );
  t.ok(
    lines.some((l) => /^iteration 2\/2 \| step 128 \| SPS \d+ \| return/.test(l)),
    "text line per iteration without a progress bar",
  );
  const saved = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Record<string, unknown>;
  t.match(saved, { ...config, outDir: dir }, "effective config in the run folder");
  t.match(
    loadCheckpoint(join(dir, "checkpoint.bin")).meta["config"],
    { ...config, outDir: dir },
    "and in the checkpoint",
  );
  await t.rejects(
    runTraining(options(dir), () => {}),
    /already holds files of another run/,
    "a finished run is never overwritten",
  );

  // --resume refuses flags that would silently change the run, naming them.
  const resume = join(dir, "checkpoint.bin");
  await t.rejects(
    runTraining(options(null as unknown as string, { outDir: null, resume, envId: "SamSegEnv-v0" }), () => {}),
    /--env-id SamSegEnv-v0 \(checkpoint: CartPole-v1\)/,
  );
  await t.rejects(
    runTraining(
      options(dir, { resume, hyperparameters: { learningRate: 1e-3, numEnvs: 2, totalTimesteps: 192 } }),
      () => {},
    ),
    /--learning-rate 0\.001 \(checkpoint: 0\.00025\)/,
  );
  const more = await runTraining(
    options(dir, { outDir: null, envId: null, resume, hyperparameters: { totalTimesteps: 192, numEnvs: 2 } }),
    () => {},
  );
  t.equal(more.iterations, 3, "equal flags and --total-timesteps are accepted; the env id comes from the checkpoint");
  t.equal(more.runDir, dir, "the resumed run continues in its folder");
  t.equal(
    readdirSync(dir).filter((f) => f.startsWith("events.out.tfevents.")).length,
    1,
    "no tracking asked: no new event file",
  );
});

t.test("--capture-video records titled SamSeg episodes as GIFs", async (t) => {
  registerTinySamSeg();
  const dir = join(mkdtempSync(join(tmpdir(), "asg-tooling-")), "run");
  t.teardown(() => rmSync(join(dir, ".."), { recursive: true, force: true }));
  const lines: string[] = [];
  await runTraining(
    options(dir, {
      envId: TINY_ID,
      envKwargs: { renderFrameShape: [48, 48] },
      captureVideo: true,
      track: "tensorboard",
      evalEvery: 1,
      evalEpisodes: 2,
      agent: { kind: "implicit", inputGrid: [8, 8], convs: [{ filters: 4, kernel: 3, stride: 2 }], hidden: 16 },
      hyperparameters: { numEnvs: 2, numSteps: 6, totalTimesteps: 12, numMinibatches: 2, updateEpochs: 1 },
    }),
    (l) => lines.push(l),
  );
  const videos = readdirSync(join(dir, "videos")).sort();
  t.same(
    videos,
    ["rl-video-episode-0.gif", "rl-video-episode-1.gif"],
    "episodes 0 and 1 of env 0 (capped cubic schedule)",
  );
  const gif = decodeGif(readFileSync(join(dir, "videos", videos[0]!)));
  t.equal(gif.width, 3 * 48);
  t.equal(gif.height, 48 + 24, "title strip");
  t.ok(gif.frames.length >= 2);
  t.ok(lines.includes(`videos: ${join(dir, "videos")}`));
  const events = readEventFile(
    join(
      dir,
      readdirSync(dir).find((f) => f.startsWith("events.out.tfevents."))!,
    ),
  );
  const tags = new Set(events.flatMap((e) => e.scalars.map((s) => s.tag)));
  for (const tag of ["charts/final_iou", "charts/final_dice", "eval/final_iou", "eval/final_dice"])
    t.ok(tags.has(tag), `SamSeg tag ${tag}`);
  await t.rejects(
    runTraining(options(join(dir, "..", "async"), { vectorMode: "async", captureVideo: true }), () => {}),
    /--capture-video needs --vector-mode sync/,
  );
});
