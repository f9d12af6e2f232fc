import t from "tap";
import { copyFileSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTraining } from "../../src/cli/training-session";
import type { TrainRunOptions } from "../../src/cli/training-session";
import { runEvaluation } from "../../src/cli/evaluation";
import { openClipPrior, withClipPriorFlags } from "../../src/cli/prior-provider-options";
import { loadCheckpoint } from "../../src/ppo/persist/checkpoint";
import { ExplicitAgent, createAgent, selectBackend } from "../../src/ppo";
import type { ExplicitAgentConfig } from "../../src/ppo";
import { LazyClipSurgeryPrior } from "../../src/priors";
import { make } from "../../src/registry";
import { concatenate, createEmptyArray } from "../../src/spaces";
import { InvalidArgumentError } from "../../src/core/errors";
import { FIXTURES_SKIP, TINY_IMAGE_ENCODER, TINY_TEXT_ENCODER } from "../priors/clip-fixtures";
import { registerTinySamSeg, TINY_ID } from "./helpers/tiny-sam-seg";

t.setTimeout(300_000); // tfjs + onnxruntime + two short trainings, on a shared machine

const SMALL: Omit<ExplicitAgentConfig, "kind"> = {
  inputGrid: [8, 8],
  convs: [{ filters: 8, kernel: 3, stride: 2 }],
  hidden: 32,
  attentionDim: 8,
  actorHead: "spatial",
  spatialFilters: 8,
};

function options(outDir: string, over: Partial<TrainRunOptions> = {}): TrainRunOptions {
  return {
    envId: TINY_ID,
    envKwargs: {},
    agent: null,
    outDir,
    resume: null,
    backend: "wasm",
    vectorMode: "sync",
    checkpointEvery: 1,
    plotEvery: 5,
    progress: false,
    hyperparameters: { numEnvs: 2, numSteps: 6, totalTimesteps: 24, numMinibatches: 2, updateEpochs: 1 },
    ...over,
  };
}

t.test(
  "the explicit agent trains with the tiny CLIP-Surgery prior; checkpoint, --resume and eval rebuild it",
  { skip: FIXTURES_SKIP },
  async (t) => {
    registerTinySamSeg();
    const dir = mkdtempSync(join(tmpdir(), "asg-clip-train-"));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const image = join(dir, "image.onnx"),
      text = join(dir, "text.onnx");
    copyFileSync(TINY_IMAGE_ENCODER, image);
    copyFileSync(TINY_TEXT_ENCODER, text);
    const run = join(dir, "run");
    const r = await runTraining(
      options(run, {
        agent: { kind: "explicit", ...SMALL },
        clipPrior: { clipImageEncoder: image, clipTextEncoder: text },
      }),
      () => {},
    );
    t.equal(r.iterations, 2, "two PPO iterations");
    const ckpt = loadCheckpoint(join(run, "checkpoint.bin"));
    t.same(
      (ckpt.agent as ExplicitAgentConfig).priorProvider,
      { kind: "clip-surgery", imageEncoder: image, textEncoder: text },
      "the checkpoint keeps the prior's paths",
    );
    t.equal((ckpt.agent as ExplicitAgentConfig).priorChannels, 1);

    // The image encoder moved: --resume names the missing file and the flag.
    const moved = join(dir, "moved-image.onnx");
    renameSync(image, moved);
    const resume = join(run, "checkpoint.bin");
    await t.rejects(
      runTraining(options(run, { resume, hyperparameters: { totalTimesteps: 36 } }), () => {}),
      {
        name: "InvalidArgumentError",
        message: new RegExp(
          `missing: image encoder ${image.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} \\(pass --clip-image-encoder <path>`,
        ),
      },
    );
    const lines: string[] = [];
    const r2 = await runTraining(
      options(run, { resume, hyperparameters: { totalTimesteps: 36 }, clipPrior: { clipImageEncoder: moved } }),
      (l) => lines.push(l),
    );
    t.equal(r2.iterations, 3, "resumed with the override");
    t.match(lines.join("\n"), /resumed from/);
    t.same(
      (loadCheckpoint(resume).agent as ExplicitAgentConfig).priorProvider,
      { kind: "clip-surgery", imageEncoder: moved, textEncoder: text },
      "the override is saved",
    );

    // eval rebuilds the prior from the checkpoint; prior-peak works with it.
    const results = await runEvaluation(
      {
        checkpoint: resume,
        episodes: 2,
        maxClicks: 3,
        seed: 500,
        envKwargs: {},
        policies: ["greedy", "prior-peak"],
        outDir: join(dir, "eval"),
        overlays: 0,
        backend: "wasm",
      },
      () => {},
    );
    t.same(
      results.map((x) => x.policy),
      ["greedy", "prior-peak"],
    );
    for (const x of results)
      t.ok(x.finalIou >= 0 && x.finalIou <= 1, `${x.policy}: final IoU ${x.finalIou.toFixed(3)}`);
    await t.rejects(
      runEvaluation(
        {
          checkpoint: resume,
          episodes: 1,
          maxClicks: 1,
          seed: 1,
          envKwargs: {},
          outDir: join(dir, "eval2"),
          overlays: 0,
          backend: "wasm",
          clipPrior: { clipTextEncoder: join(dir, "nope.onnx") },
        },
        () => {},
      ),
      { message: /text encoder .*nope\.onnx \(pass --clip-text-encoder <path>/ },
    );
  },
);

t.test(
  "createAgent builds the CLIP-Surgery prior from the config alone (lazily) and featurizes with it",
  { skip: FIXTURES_SKIP },
  async (t) => {
    registerTinySamSeg();
    await selectBackend("wasm");
    const env = make<unknown, number>(TINY_ID, {});
    t.teardown(() => env.close());
    const config: ExplicitAgentConfig = {
      kind: "explicit",
      ...SMALL,
      priorProvider: { kind: "clip-surgery", imageEncoder: TINY_IMAGE_ENCODER, textEncoder: TINY_TEXT_ENCODER },
    };
    const agent = createAgent(config, env.observationSpace, env.actionSpace, 1) as ExplicitAgent;
    t.teardown(() => agent.dispose());
    t.ok(agent.priorProvider instanceof LazyClipSurgeryPrior);
    t.same(agent.inputShape, [8, 8, agent.inputShape[2]]);
    const [obs] = await env.reset({ seed: 3 });
    const out = new Float32Array(agent.inputShape.reduce((a, b) => a * b, 1));
    await agent.featurize(concatenate(env.observationSpace, [obs], createEmptyArray(env.observationSpace, 1)), 1, out);
    const c = agent.inputShape[2] as number;
    const prior = Array.from({ length: 64 }, (_, cell) => out[cell * c + c - 1] as number);
    t.ok(
      prior.every((v) => v >= 0 && v <= 1) && Math.max(...prior) > Math.min(...prior),
      "the last input plane is the CLIP prior map in [0, 1]",
    );
  },
);

t.test("--clip-* flags: where they fit and the errors where they do not", async (t) => {
  const explicit: ExplicitAgentConfig = { kind: "explicit" };
  const set = withClipPriorFlags(
    explicit,
    { clipImageEncoder: "a.onnx", clipTextEncoder: "b.onnx" },
    "the agent config",
    true,
  ) as ExplicitAgentConfig;
  t.same(
    set.priorProvider,
    { kind: "clip-surgery", imageEncoder: join(process.cwd(), "a.onnx"), textEncoder: join(process.cwd(), "b.onnx") },
    "absolute paths",
  );
  const over = withClipPriorFlags(
    set,
    { clipTextEncoder: "/x/c.onnx" },
    "the checkpoint",
    false,
  ) as ExplicitAgentConfig;
  t.same(over.priorProvider, {
    kind: "clip-surgery",
    imageEncoder: join(process.cwd(), "a.onnx"),
    textEncoder: "/x/c.onnx",
  });
  t.equal(withClipPriorFlags(explicit, {}, "x", true), explicit, "no flags: unchanged");
  t.throws(() => withClipPriorFlags({ kind: "implicit" }, { clipImageEncoder: "a" }, "the agent config", true), {
    message: /is a implicit agent \(use --agent explicit\)/,
  });
  t.throws(() => withClipPriorFlags(explicit, { clipImageEncoder: "a" }, "the agent config", true), {
    message: /needs both files/,
  });
  t.throws(
    () =>
      withClipPriorFlags(
        { kind: "explicit", priorProvider: "synthetic-shapes" },
        { clipImageEncoder: "a" },
        "the checkpoint c.bin",
        false,
      ),
    { message: /the checkpoint c\.bin uses the "synthetic-shapes" prior/ },
  );
  await t.rejects(openClipPrior(set, "the agent config"), InvalidArgumentError, "both files missing");
  const err = (await openClipPrior(set, "the agent config").catch((e: unknown) => e)) as Error;
  t.match(err.message, /--clip-image-encoder/);
  t.match(err.message, /--clip-text-encoder/);
  t.equal(await openClipPrior({ kind: "explicit", priorProvider: "synthetic-shapes" }, "x"), null);
  t.throws(
    () =>
      createAgent(
        { kind: "explicit", priorProvider: { kind: "clip" } as never },
        make("CartPole-v1").observationSpace,
        make("CartPole-v1").actionSpace,
        1,
      ),
    { name: "InvalidArgumentError", message: /priorProvider must be .*clip-surgery.*got \{"kind":"clip"\}/ },
  );
});
