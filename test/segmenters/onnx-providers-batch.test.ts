import t from "tap";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmbeddingCache, OnnxSamSegmenter, imageContentHash } from "../../src/segmenters";
import { loadImage } from "../../src/data";
import { addEmbedCommand } from "../../src/cli/commands/embed";
import { writeEmbedDataset } from "../../scripts/embed-dataset";
import { InvalidArgumentError, SegmenterError } from "../../src/core/errors";
import { providerLoadError } from "../../src/segmenters/onnx/load-onnxruntime";
import { discImage } from "./images";
import { tinySamDecoder, tinySamEncoder } from "../../scripts/tiny-sam-onnx";

const dir = mkdtempSync(join(tmpdir(), "asg-onnx-eb-"));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, bytes: Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const fixedEncoder = write("enc.onnx", tinySamEncoder());
const dynamicEncoder = write("enc-dyn.onnx", tinySamEncoder({ dynamicBatch: true }));
const decoderPath = write("dec.onnx", tinySamDecoder());
const images = [
  discImage(375, 500, [0, 128, 255], [{ cx: 100, cy: 100, r: 40, colour: [255, 0, 0] }]),
  discImage(200, 120, [30, 30, 30], [{ cx: 60, cy: 90, r: 30, colour: [0, 255, 0] }]),
  discImage(64, 64, [200, 10, 90], []),
];

t.test("embedBatch on a dynamic-batch encoder equals embed image by image", async (t) => {
  const sam = new OnnxSamSegmenter({ encoderPath: dynamicEncoder, decoderPath, intraOpNumThreads: 1 });
  t.teardown(() => sam.dispose());
  t.equal(await sam.encoderBatchSize(), null, "dynamic batch axis");
  const batch = await sam.embedBatch(images);
  t.equal(batch.length, 3);
  for (const [i, im] of images.entries()) {
    const one = await sam.embed(im);
    t.same(batch[i].shape, [256, 64, 64]);
    let worst = 0;
    for (let k = 0; k < one.size; k++) worst = Math.max(worst, Math.abs(one.data[k] - batch[i].data[k]));
    t.ok(worst < 1e-5, `image ${i}: max |batch - single| = ${worst}`);
  }
  t.same(await sam.embedBatch([]), []);
});

t.test("embedBatch on a fixed-batch encoder says how to fix it", async (t) => {
  const sam = new OnnxSamSegmenter({ encoderPath: fixedEncoder, decoderPath, intraOpNumThreads: 1 });
  t.teardown(() => sam.dispose());
  t.equal(await sam.encoderBatchSize(), 1);
  await t.rejects(sam.embedBatch(images.slice(0, 2)), SegmenterError);
  await t.rejects(
    sam.embedBatch(images.slice(0, 2)),
    /encoder enc\.onnx takes 1 image\(s\) per run \(its batch axis is fixed\), not 2: re-export it with a dynamic batch axis/,
  );
  t.equal((await sam.embedBatch(images.slice(0, 1))).length, 1, "a batch of one always works");
});

t.test("a GPU execution provider without onnxruntime-node's GPU binaries fails with the install hint", async (t) => {
  for (const ep of ["cuda", "tensorrt"]) {
    const sam = new OnnxSamSegmenter({ encoderPath: fixedEncoder, decoderPath, executionProviders: [ep] });
    const err = await sam.load().then(
      () => null,
      (e: unknown) => e,
    );
    if (err === null) {
      t.comment(`${ep} loaded: this machine has the GPU binaries`);
      await sam.dispose();
      continue;
    }
    t.ok(err instanceof SegmenterError, ep);
    t.match((err as Error).message, new RegExp(`execution provider "${ep}" could not be loaded`));
    t.match((err as Error).message, /GPU execution providers need onnxruntime-node's GPU binaries/);
    t.match((err as Error).message, /ONNXRUNTIME_NODE_INSTALL=cuda12/);
  }
  const bogus = new OnnxSamSegmenter({ encoderPath: fixedEncoder, decoderPath, executionProviders: ["nosuchep"] });
  await t.rejects(bogus.load(), /execution provider "nosuchep" is not available in this onnxruntime-node build/);
  const cpu = new OnnxSamSegmenter({ encoderPath: fixedEncoder, decoderPath, executionProviders: ["cpu"] });
  t.teardown(() => cpu.dispose());
  t.same((await cpu.embed(images[2])).shape, [256, 64, 64], "cpu works as before");
  t.throws(() => new OnnxSamSegmenter({ decoderPath, executionProviders: [] }), InvalidArgumentError);
  t.equal(
    providerLoadError(["cpu"], new Error("Failed to load shared library")),
    null,
    "cpu failures are not provider problems",
  );
  t.equal(
    providerLoadError(["cuda"], new Error("protobuf parsing failed")),
    null,
    "a bad model is not a provider problem",
  );
});

t.test(
  "embed --segmenter onnx-sam: --batch-size on a dynamic encoder, a clear refusal on a fixed one, float16",
  async (t) => {
    const ds = join(dir, "ds");
    writeEmbedDataset(ds, 5, { h: 48, w: 64 });
    const run = async (args: string[]): Promise<string> => {
      const program = new Command("alignsam-gym").exitOverride();
      addEmbedCommand(program);
      const lines: string[] = [];
      const log = console.log;
      console.log = (...a: unknown[]) => {
        lines.push(a.join(" "));
      };
      try {
        await program.parseAsync([
          "node",
          "alignsam-gym",
          "embed",
          "--dataset",
          "grabcut",
          "--path",
          ds,
          "--no-progress",
          "--segmenter",
          "onnx-sam",
          "--decoder",
          decoderPath,
          "--threads",
          "1",
          ...args,
        ]);
      } finally {
        console.log = log;
      }
      return lines.join("\n");
    };
    await t.rejects(
      run(["--cache", join(dir, "c1"), "--encoder", fixedEncoder, "--batch-size", "2"]),
      /^--batch-size 2 needs an encoder with a dynamic batch axis, but .*enc\.onnx takes 1 image\(s\) per run: re-export it or use --batch-size 1$/,
    );
    const batched = join(dir, "c2"),
      single = join(dir, "c3");
    t.match(
      await run(["--cache", batched, "--encoder", dynamicEncoder, "--batch-size", "2", "--dtype", "float16"]),
      /^5 images, 5 embedded, 0 already cached, 0 failed/,
    );
    t.match(await run(["--cache", single, "--encoder", dynamicEncoder]), /^5 images, 5 embedded/);
    const a = new EmbeddingCache({ dir: batched }),
      b = new EmbeddingCache({ dir: single });
    const sam = new OnnxSamSegmenter({ encoderPath: dynamicEncoder, decoderPath });
    for (const name of readdirSync(join(ds, "images"))) {
      const key = imageContentHash(await loadImage(join(ds, "images", name)));
      const ea = await a.getOrCompute(key, sam.id, async () => t.fail("missing batched entry") as never);
      const eb = await b.getOrCompute(key, sam.id, async () => t.fail("missing entry") as never);
      t.ok(
        ea.data.every((v, i) => Math.abs(v - eb.data[i]) <= Math.abs(eb.data[i]) * 2 ** -11 + 1e-6),
        `${name}: batched float16 = single float32`,
      );
    }
  },
);
