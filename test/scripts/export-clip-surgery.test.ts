// scripts/export-clip-surgery.py: a tiny random export (same seed and initialisation as the
// fixtures' make-goldens.py) must follow the contract and reproduce the fixture's numbers.
// Needs a python3 with torch and a CLIP_Surgery checkout in $CLIP_SURGERY_DIR; skipped otherwise.
import t from "tap";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClipSurgeryPrior } from "../../src/priors";
import { clipGolden, maxAbsDiff, nd } from "../priors/clip-fixtures";

t.setTimeout(300_000);

const root = join(__dirname, "..", "..");
const python = ["python3", "/usr/bin/python3"].find(
  (p) => spawnSync(p, ["-c", "import torch"], { stdio: "ignore" }).status === 0,
);
const checkout = process.env["CLIP_SURGERY_DIR"];
const skip =
  python === undefined
    ? "no python3 with torch (e.g. `apt-get install python3-torch`)"
    : checkout === undefined || !existsSync(join(checkout, "clip", "clip_surgery_model.py"))
      ? "set CLIP_SURGERY_DIR to a checkout of xmed-lab/CLIP_Surgery to test the export script"
      : false;

t.test(
  "--tiny-random exports models that load under the contract and match the reference numbers",
  { skip },
  async (t) => {
    const out = mkdtempSync(join(tmpdir(), "asg-clip-export-"));
    t.teardown(() => rmSync(out, { recursive: true, force: true }));
    const r = spawnSync(
      python as string,
      [
        join(root, "scripts", "export-clip-surgery.py"),
        "--clip-surgery-dir",
        checkout as string,
        "--tiny-random",
        "--out-dir",
        out,
      ],
      { encoding: "utf8" },
    );
    t.equal(r.status, 0, r.status === 0 ? "the script exits 0" : r.stderr.slice(-2000));
    t.match(r.stdout, /image_features \[B, 17, 32\]/);
    const prior = await ClipSurgeryPrior.create({
      imageEncoder: join(out, "clip-surgery-image.onnx"),
      textEncoder: join(out, "clip-surgery-text.onnx"),
    });
    t.teardown(() => prior.dispose());
    t.same(prior.modelSizes, { imageSize: 64, imageTokens: 17, imageDim: 32, textDim: 32 });
    const g = clipGolden();
    if (g === null) return;
    const e1 = maxAbsDiff((await prior.encodeImage(nd(g.image_input))).data, nd(g.image_features).data);
    const e2 = maxAbsDiff((await prior.encodeText(g.categories)).data, nd(g.text_features_ensemble).data);
    t.ok(
      e1 < 1e-4 && e2 < 1e-4,
      `the export reproduces the fixture's model: image ${e1.toExponential(2)}, text ensemble ${e2.toExponential(2)}`,
    );
  },
);

t.test(
  "the script refuses a missing checkout with a clear message",
  { skip: python === undefined ? "no python3 with torch" : false },
  async (t) => {
    const r = spawnSync(
      python as string,
      [
        join(root, "scripts", "export-clip-surgery.py"),
        "--clip-surgery-dir",
        "/nonexistent",
        "--tiny-random",
        "--out-dir",
        "/tmp/x",
      ],
      { encoding: "utf8" },
    );
    t.not(r.status, 0);
    t.match(r.stderr, /clip_surgery_model\.py does not exist/);
  },
);
