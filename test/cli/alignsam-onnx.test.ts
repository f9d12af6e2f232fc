// The whole AlignSAM method on ONNX models: SamSegEnv with the tiny official SAM
// (../shared/fixtures/sam-tiny) as the segmenter and the explicit agent with the tiny
// CLIP-Surgery prior (../shared/fixtures/clip-surgery), trained for two PPO iterations by `train`.
import t from "tap";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTraining } from "../../src/cli/training-session";
import { loadCheckpoint } from "../../src/ppo/persist/checkpoint";
import type { ExplicitAgentConfig } from "../../src/ppo";
import { register, registry } from "../../src/registry";
import { SamSegEnv } from "../../src/envs/sam-seg";
import { EmbeddingCache, OnnxSamSegmenter } from "../../src/segmenters";
import { InMemoryDataset } from "../../src/testing";
import { FIXTURES_SKIP, TINY_IMAGE_ENCODER, TINY_TEXT_ENCODER } from "../priors/clip-fixtures";
import { squareSample } from "./helpers/square-sample";

t.setTimeout(600_000);

const SAM = join(__dirname, "..", "..", "..", "shared", "fixtures", "sam-tiny");
const skip = FIXTURES_SKIP || (existsSync(join(SAM, "tiny-sam-encoder.onnx")) ? false : `${SAM} is absent`);
const ID = "TinyOnnxAlignSam-v0";

t.test("explicit agent + CLIP-Surgery prior + ONNX SAM: two PPO iterations end to end", { skip }, async (t) => {
  if (!registry.has(ID)) {
    const sam = new OnnxSamSegmenter({
      encoderPath: join(SAM, "tiny-sam-encoder.onnx"),
      decoderPath: join(SAM, "tiny-sam-decoder.onnx"),
      intraOpNumThreads: 1,
    });
    const cache = new EmbeddingCache(); // shared by the envs: each image is encoded once
    const samples = [1, 2].map((s) => squareSample(s));
    register({
      id: ID,
      entryPoint: ((kwargs: Record<string, unknown>) =>
        new SamSegEnv({
          dataset: new InMemoryDataset({ dog: samples }),
          segmenter: sam,
          embeddingCache: cache,
          imgShape: [64, 64, 3],
          targetCategories: ["dog"],
          numPatches: 8,
          maxSteps: 3,
          ...kwargs,
        })) as never,
    });
  }
  const dir = mkdtempSync(join(tmpdir(), "asg-alignsam-onnx-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const agent: ExplicitAgentConfig = {
    kind: "explicit",
    inputGrid: [8, 8],
    embeddingChannels: 8,
    convs: [{ filters: 8, kernel: 3, stride: 2 }],
    hidden: 32,
    attentionDim: 8,
    actorHead: "spatial",
    spatialFilters: 8,
    noRepeat: "patch",
  };
  const r = await runTraining(
    {
      envId: ID,
      envKwargs: {},
      agent,
      outDir: dir,
      resume: null,
      backend: "wasm",
      vectorMode: "sync",
      checkpointEvery: 1,
      plotEvery: 5,
      progress: false,
      hyperparameters: { numEnvs: 2, numSteps: 6, totalTimesteps: 24, numMinibatches: 2, updateEpochs: 1 },
      clipPrior: { clipImageEncoder: TINY_IMAGE_ENCODER, clipTextEncoder: TINY_TEXT_ENCODER },
    },
    () => {},
  );
  t.equal(r.iterations, 2);
  const ckpt = loadCheckpoint(join(dir, "checkpoint.bin"));
  t.same((ckpt.agent as ExplicitAgentConfig).priorProvider, {
    kind: "clip-surgery",
    imageEncoder: TINY_IMAGE_ENCODER,
    textEncoder: TINY_TEXT_ENCODER,
  });
  t.ok(
    ckpt.params.every((p) => p.data.every(Number.isFinite)),
    "finite weights after the updates",
  );
});
