import t from "tap";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { OnnxSamSegmenter, samPreprocess } from "../../src/segmenters";
import { InvalidArgumentError, SegmenterError } from "../../src/core/errors";
import { discImage } from "./images";
import { tinySamDecoder, tinySamEncoder } from "../../scripts/tiny-sam-onnx";

const dir = mkdtempSync(join(tmpdir(), "asg-onnx-"));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, bytes: Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const encoderPath = write("enc.onnx", tinySamEncoder());
const decoderPath = write("dec.onnx", tinySamDecoder());
const H = 375,
  W = 500;
const image = discImage(H, W, [0, 128, 255], [{ cx: 100, cy: 100, r: 40, colour: [255, 0, 0] }]);

t.test("embed: SAM preprocessing (resize 1024, normalise, pad after normalising) reaches the encoder", async (t) => {
  const sam = new OnnxSamSegmenter({ encoderPath, decoderPath, intraOpNumThreads: 1 });
  t.teardown(() => sam.dispose());
  const emb = await sam.embed(image);
  t.same(emb.shape, [256, 64, 64]);
  // Block (0, 63) is in the background (0, 128, 255): normalised means.
  t.ok(Math.abs(emb.get(0, 0, 63) - (0 - 123.675) / 58.395) < 1e-4, "R");
  t.ok(Math.abs(emb.get(1, 0, 63) - (128 - 116.28) / 57.12) < 1e-4, "G");
  t.ok(Math.abs(emb.get(2, 0, 63) - (255 - 103.53) / 57.375) < 1e-4, "B");
  // 375x500 -> 768x1024: embedding rows 48..63 are zero padding (padded after normalising).
  t.equal(emb.get(0, 50, 10), 0);
  t.equal(emb.get(3, 10, 10), 0, "channels >= 3 are zero in the stand-in");
  const pre = samPreprocess(image);
  t.equal(pre.length, 3 * 1024 * 1024);
  t.ok(Math.abs(pre[767 * 1024 + 1023] - (0 - 123.675) / 58.395) < 1e-5, "last image row in the frame");
  t.equal(pre[768 * 1024], 0, "first padding row");
});

t.test("predict: coordinates land on the right low-res cell and the padding point is added", async (t) => {
  const sam = new OnnxSamSegmenter({ encoderPath, decoderPath });
  t.teardown(() => sam.dispose());
  const emb = ndarray(new Float32Array(256 * 64 * 64), [256, 64, 64]); // precomputed embeddings work
  // (x, y) = (250, 100) in 375x500 -> 1024 frame (512, 204.8) -> low-res cell row 51, col 128.
  // (x, y) = (499, 374)             -> (1021.952, 765.952)      -> cell row 191, col 255.
  const out = await sam.predict(emb, {
    points: [
      [250, 100],
      [499, 374],
    ],
    labels: [1, 0],
    imageSize: [H, W],
  });
  t.same(out.lowResLogits.shape, [1, 256, 256]);
  t.same(out.masks.shape, [1, H, W]);
  t.same(Array.from(out.scores), [Math.fround(0.1)], "single-mask output is mask 0");
  t.equal(out.lowResLogits.get(0, 51, 128), 11, "positive click: label 1 + 10");
  t.equal(out.lowResLogits.get(0, 191, 255), 10, "negative click: label 0 + 10");
  t.equal(out.lowResLogits.get(0, 0, 0), 9, "padding point (0, 0) with label -1");
  t.equal(out.lowResLogits.get(0, 51, 129), 0, "neighbouring cell untouched");
  t.equal(out.masks.get(0, 0, 0), 9, "masks come from the decoder at the original size");
});

t.test("predict: multimask returns masks 1..3, mask_input reaches the model only with has_mask_input", async (t) => {
  const sam = new OnnxSamSegmenter({ encoderPath, decoderPath });
  t.teardown(() => sam.dispose());
  const emb = await sam.embed(image);
  const prior = ndarray(new Float32Array(256 * 256), [256, 256]);
  prior.set(100, 30, 5);
  const out = await sam.predict(emb, {
    points: [[250, 100]],
    labels: [1],
    imageSize: [H, W],
    multimask: true,
    maskInput: prior,
  });
  t.same(out.lowResLogits.shape, [3, 256, 256]);
  t.same(out.masks.shape, [3, H, W]);
  t.same(Array.from(out.scores), [0.9, 0.3, 0.5].map(Math.fround));
  t.equal(out.lowResLogits.get(0, 100, 30), 5 + 1, "mask_input added (channel 1 offset 1)");
  t.equal(out.lowResLogits.get(2, 100, 30), 5 + 3);
  t.equal(out.lowResLogits.get(0, 51, 128), 11 + 1);
  const without = await sam.predict(emb, { points: [[250, 100]], labels: [1], imageSize: [H, W] });
  t.equal(without.lowResLogits.get(0, 100, 30), 0, "no maskInput -> zeros, has_mask_input 0");
});

t.test("single-mask export: multimask still returns its one mask", async (t) => {
  const sam = new OnnxSamSegmenter({ decoderPath: write("dec1.onnx", tinySamDecoder({ masks: 1 })) });
  t.teardown(() => sam.dispose());
  const emb = ndarray(new Float32Array(256 * 64 * 64), [256, 64, 64]);
  const out = await sam.predict(emb, { points: [[10, 10]], labels: [1], imageSize: [H, W], multimask: true });
  t.same(out.lowResLogits.shape, [1, 256, 256]);
  await t.rejects(sam.embed(image), /no encoderPath/);
});

t.test("a decoder with a wrong input name is rejected, naming it", async (t) => {
  const bad = write("bad.onnx", tinySamDecoder({ renameInput: ["point_coords", "coords"] }));
  const sam = new OnnxSamSegmenter({ decoderPath: bad });
  const err = await sam.load().then(
    () => null,
    (e: unknown) => e,
  );
  t.ok(err instanceof SegmenterError, "SegmenterError");
  t.match((err as Error).message, /missing input "point_coords"/);
  t.match((err as Error).message, /bad\.onnx/);
  // Using the encoder as the decoder: every decoder input is missing.
  const swapped = new OnnxSamSegmenter({ decoderPath: encoderPath });
  await t.rejects(swapped.load(), /missing input "image_embeddings"[\s\S]*missing output "masks"/);
  await t.rejects(new OnnxSamSegmenter({ decoderPath: join(dir, "nope.onnx") }).load(), SegmenterError);
});

t.test("bad options and bad embeddings throw typed errors", async (t) => {
  t.throws(() => new OnnxSamSegmenter({ decoderPath: "" }), InvalidArgumentError);
  t.throws(() => new OnnxSamSegmenter({ decoderPath, intraOpNumThreads: -1 }), /intraOpNumThreads/);
  const sam = new OnnxSamSegmenter({ decoderPath });
  t.teardown(() => sam.dispose());
  await t.rejects(
    sam.predict(ndarray(new Float32Array(32 * 64 * 64), [32, 64, 64]), { points: [], labels: [], imageSize: [H, W] }),
    /\[256, 64, 64\]/,
  );
});

t.test("without onnxruntime-node: MissingDependencyError telling how to install it", async (t) => {
  const { spawnSync } = await import("node:child_process");
  const fixtures = join(__dirname, "fixtures");
  const r = spawnSync(
    process.execPath,
    ["--import", join(fixtures, "hide-onnxruntime.mjs"), "--import", "tsx", join(fixtures, "missing-onnxruntime.ts")],
    { encoding: "utf8" },
  );
  const line = r.stdout.trim().split("\n").pop() ?? "";
  const got = JSON.parse(line) as { name: string; code: string; message: string };
  t.equal(got.name, "MissingDependencyError", r.stderr);
  t.equal(got.code, "MISSING_DEPENDENCY");
  t.match(got.message, /npm install onnxruntime-node/);
  t.match(got.message, /ONNXRUNTIME_NODE_INSTALL=skip/);
  t.match(got.message, /onnxruntime-node-install=skip/);
});
