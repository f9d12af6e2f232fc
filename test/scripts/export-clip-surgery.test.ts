// scripts/export-clip-surgery.py (self-contained: our own torch definition of CLIP Surgery) run
// with a tiny random config: the ONNX files it writes must pass ClipSurgeryPrior's contract check,
// reproduce the torch outputs the script saves (--reference) and, with --seed 0, the fixture
// model made with the original CLIP_Surgery code (../shared/fixtures/clip-surgery).
// Needs a python3 with torch (Debian: apt-get install python3-torch); skipped otherwise.
import t from "tap";
import { spawnSync } from "node:child_process";
import type { SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { ClipSurgeryPrior, clipFeatureSurgery, clipSimilarityMaps, clipTokenize } from "../../src/priors";
import { clipGolden, maxAbsDiff, nd } from "../priors/clip-fixtures";

t.setTimeout(600_000);

const root = join(__dirname, "..", "..");
const script = join(root, "scripts", "export-clip-surgery.py");
const python = ["python3", "/usr/bin/python3"].find(
  (p) => spawnSync(p, ["-c", "import torch"], { stdio: "ignore" }).status === 0,
);
const skip =
  python === undefined
    ? "no python3 with torch (python3, /usr/bin/python3; e.g. `apt-get install python3-torch`): export script untested"
    : false;

const out = mkdtempSync(join(tmpdir(), "asg-clip-export-"));
t.teardown(() => rmSync(out, { recursive: true, force: true }));

function run(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(python as string, [script, ...args], { encoding: "utf8" });
}

/** What the script's --reference file holds. */
interface Reference {
  image_size: number;
  image_input: number[][][][];
  image_features: number[][][];
  texts: string[];
  tokens: number[][];
  text_features: number[][];
}

const readReference = (file: string): Reference => JSON.parse(readFileSync(file, "utf8")) as Reference;

/** Python: trace a saved state dict's model (argv: script, state dict, out) into a JIT archive. */
const TRACE_JIT = `
import importlib.util, sys, torch
spec = importlib.util.spec_from_file_location("export_clip_surgery", sys.argv[1])
exp = importlib.util.module_from_spec(spec); spec.loader.exec_module(exp)
model = exp.define_model(torch)(**exp.TINY_CONFIG)
model.load_state_dict(torch.load(sys.argv[2]))
tokens = torch.zeros(1, 77, dtype=torch.int64); tokens[0, :2] = torch.tensor([exp.SOT, exp.EOT])
torch.jit.save(torch.jit.trace_module(model.eval(), {"encode_text": tokens}), sys.argv[3])
`;

/** A deterministic [H, W, 3] uint8 image. */
function image(h: number, w: number): ndarray.NdArray<Uint8Array> {
  const data = new Uint8Array(h * w * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + ((i / 3) | 0) * 11) & 255;
  return ndarray(data, [h, w, 3]);
}

t.test("--tiny: the ONNX files follow the contract and reproduce torch", { skip }, async (t) => {
  const ref = join(out, "tiny-ref.json");
  const r = run(["--tiny", "--seed", "0", "--out-dir", out, "--reference", ref]);
  t.equal(r.status, 0, r.status === 0 ? "the script exits 0" : r.stderr.slice(-2000));
  t.match(r.stdout, /image_features \[B, 17, 32\]/);
  t.match(r.stdout, /text_features \[B, 32\]/);
  const prior = await ClipSurgeryPrior.create({
    imageEncoder: join(out, "clip-surgery-image.onnx"),
    textEncoder: join(out, "clip-surgery-text.onnx"),
  });
  t.teardown(() => prior.dispose());
  t.same(prior.modelSizes, { imageSize: 64, imageTokens: 17, imageDim: 32, textDim: 32 }, "contract sizes");

  const want = readReference(ref);
  const features = await prior.encodeImage(nd(want.image_input));
  t.same(features.shape, [1, 17, 32]);
  const eImage = maxAbsDiff(features.data, nd(want.image_features).data);
  t.ok(eImage <= 1e-4, `image_features: ONNX vs torch max |diff| ${eImage.toExponential(2)} <= 1e-4`);
  const tokens = clipTokenize(want.texts);
  t.same(Array.from(tokens.data), want.tokens.flat(), "the reference tokens are CLIP's BPE ids of its texts");
  const eText = maxAbsDiff((await prior.encodePrompts(want.texts)).data, nd(want.text_features).data);
  t.ok(eText <= 1e-4, `text_features: ONNX vs torch max |diff| ${eText.toExponential(2)} <= 1e-4`);

  // Feature surgery on the exported encoders: shapes right, every value finite, maps in [0, 1].
  const img = image(40, 56);
  const f = await prior.encodeImage(img);
  const text = await prior.encodeText(["dog", "cat"]);
  const similarity = clipFeatureSurgery(f, text, await prior.redundantFeatures());
  t.same(similarity.shape, [1, 17, 2]);
  t.ok(similarity.data.every(Number.isFinite), "similarity finite");
  const maps = clipSimilarityMaps(similarity, [30, 50]);
  t.same(maps.shape, [1, 30, 50, 2]);
  t.ok(
    maps.data.every((v) => Number.isFinite(v) && v >= 0 && v <= 1),
    "maps finite, in [0, 1]",
  );
  t.ok(Math.max(...maps.data) - Math.min(...maps.data) > 0.5, "maps not constant (min-max normalised per category)");
  const p = await prior.prior(img, "dog");
  t.same([p.height, p.width, p.data.length], [40, 56, 40 * 56], "prior map [1, H, W]");
  t.ok(
    p.data.every((v) => Number.isFinite(v) && v >= 0 && v <= 1),
    "prior map finite, in [0, 1]",
  );

  const g = clipGolden();
  if (g === null) {
    t.comment("../shared/fixtures/clip-surgery absent: the comparison with the original code is skipped");
    return;
  }
  const e1 = maxAbsDiff((await prior.encodeImage(nd(g.image_input))).data, nd(g.image_features).data);
  const e2 = maxAbsDiff(
    (await prior.encodePrompts(g.text_onnx_check.texts)).data,
    nd(g.text_onnx_check.text_features).data,
  );
  const e3 = maxAbsDiff((await prior.encodeText(g.categories)).data, nd(g.text_features_ensemble).data);
  const e4 = maxAbsDiff((await prior.redundantFeatures()).data, nd(g.redundant_features).data);
  for (const [what, e] of [
    ["image_features", e1],
    ["text_features", e2],
    ["prompt ensemble", e3],
    ["redundant features", e4],
  ] as const) {
    t.ok(e <= 1e-4, `--seed 0 = the fixture's model (original CLIP_Surgery code): ${what} ${e.toExponential(2)}`);
  }
});

t.test("--checkpoint: the saved state dict exports the same model, at another image size", { skip }, async (t) => {
  const ckpt = join(out, "tiny.pt");
  const first = run(["--tiny", "--seed", "3", "--out-dir", join(out, "a"), "--save-checkpoint", ckpt]);
  t.equal(first.status, 0, first.status === 0 ? "--save-checkpoint exits 0" : first.stderr.slice(-2000));
  const noHeads = run(["--checkpoint", ckpt, "--out-dir", join(out, "b")]);
  t.not(noHeads.status, 0, "a text width of 16 has 16 // 64 = 0 heads by OpenAI's rule");
  t.match(noHeads.stderr, /0 attention heads do not divide the width 16 of .*tiny\.pt: pass --text-heads/);
  const ref = join(out, "b", "ref.json");
  const r = run([
    ...["--checkpoint", ckpt, "--text-heads", "2", "--image-size", "96"],
    ...["--out-dir", join(out, "b"), "--reference", ref],
  ]);
  t.equal(r.status, 0, r.status === 0 ? "--checkpoint exits 0" : r.stderr.slice(-2000));
  t.match(r.stdout, /image \[B, 3, 96, 96\] -> image_features \[B, 37, 32\]/, "a 6x6 grid: positions resized");
  const prior = await ClipSurgeryPrior.create({
    imageEncoder: join(out, "b", "clip-surgery-image.onnx"),
    textEncoder: join(out, "b", "clip-surgery-text.onnx"),
  });
  t.teardown(() => prior.dispose());
  t.same(prior.modelSizes, { imageSize: 96, imageTokens: 37, imageDim: 32, textDim: 32 });
  const want = readReference(ref);
  const e1 = maxAbsDiff((await prior.encodeImage(nd(want.image_input))).data, nd(want.image_features).data);
  const e2 = maxAbsDiff((await prior.encodePrompts(want.texts)).data, nd(want.text_features).data);
  t.ok(e1 <= 1e-4 && e2 <= 1e-4, `ONNX vs torch: image ${e1.toExponential(2)}, text ${e2.toExponential(2)}`);

  // The same weights as a JIT archive (the format of OpenAI's ViT-B-16.pt): the same outputs.
  const jit = join(out, "tiny-jit.pt");
  const traced = spawnSync(python as string, ["-c", TRACE_JIT, script, ckpt, jit], { encoding: "utf8" });
  t.equal(traced.status, 0, traced.status === 0 ? "a JIT archive traced" : traced.stderr.slice(-2000));
  const refJit = join(out, "c", "ref.json");
  const rj = run([
    ...["--checkpoint", jit, "--text-heads", "2", "--image-size", "96"],
    ...["--out-dir", join(out, "c"), "--reference", refJit],
  ]);
  t.equal(rj.status, 0, rj.status === 0 ? "--checkpoint <JIT archive> exits 0" : rj.stderr.slice(-2000));
  const fromJit = readReference(refJit);
  t.same(fromJit.image_features, want.image_features, "JIT archive: the same image features");
  t.same(fromJit.text_features, want.text_features, "JIT archive: the same text features");
});

t.test("bad input gets a clear message", { skip }, async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [["--out-dir", out], /one of the arguments --checkpoint --tiny/],
    [
      ["--checkpoint", "/nonexistent/ViT-B-16.pt", "--out-dir", out],
      /checkpoint \/nonexistent\/ViT-B-16\.pt does not exist/,
    ],
    [
      ["--tiny", "--image-size", "70", "--out-dir", out],
      /--image-size 70 must be a positive multiple of the patch size 16/,
    ],
  ];
  const junk = join(out, "junk.pt");
  writeFileSync(junk, "not a checkpoint");
  cases.push([["--checkpoint", junk, "--out-dir", out], /cannot read .*junk\.pt as a CLIP checkpoint/]);
  for (const [args, message] of cases) {
    const r = run(args);
    t.not(r.status, 0, `${args.join(" ")}: fails`);
    t.match(r.stderr, message, `${args.join(" ")}: says why`);
  }
});
