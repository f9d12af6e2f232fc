import t from "tap";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ShapePriorNet } from "../../src/ppo/priors/shape-prior-net";
import { selectBackend } from "../../src/ppo/nn/backend";

const root = join(__dirname, "..", "..");

t.test("scripts/train-shape-prior.ts runs end to end and writes loadable weights (tiny settings)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-prior-script-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, "weights.ts");
  const args = [
    "--import",
    "tsx",
    "scripts/train-shape-prior.ts",
    "--images",
    "8",
    "--epochs",
    "1",
    "--batch",
    "4",
    "--val-images",
    "4",
    "--seed",
    "5",
    "--data-dir",
    join(dir, "data"),
    "--out",
    out,
  ];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /epoch 1\/1: train loss [\d.]+, val loss [\d.]+/);
  const text = readFileSync(out, "utf8");
  t.match(
    text,
    /--images 8 --epochs 1 --batch 4 --lr 0\.002 --seed 5 --val-images 4/,
    "the header records the command",
  );
  const body = text.slice(text.indexOf("SHAPE_PRIOR_WEIGHTS_BASE64 ="));
  const b64 = Array.from(body.matchAll(/"([A-Za-z0-9+/=]*)"/g), (m) => m[1]).join("");
  await selectBackend("cpu");
  const net = new ShapePriorNet(0);
  const bytes = Buffer.from(b64, "base64");
  t.equal(bytes.length, 2 * net.params.count, "one float16 per parameter");
  net.loadFloat16(new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)));
  net.dispose();
});
