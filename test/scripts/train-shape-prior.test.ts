import t from "tap";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ShapePriorNet } from "../../src/ppo/priors/shape-prior-net";
import { selectBackend } from "../../src/ppo/nn/backend";
import { readShapePriorWeightsFile } from "../../scripts/shape-prior-weights-file";

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
    /--images 8 --epochs 1 --batch 4 --lr 0\.002 --seed 5 --val-seed 6 --val-images 4\n/,
    "the header records the command",
  );
  await selectBackend("cpu");
  const net = new ShapePriorNet(0);
  const bits = readShapePriorWeightsFile(out);
  t.equal(bits.length, net.params.count, "one float16 per parameter");
  net.loadFloat16(bits);
  t.same(Array.from(net.toFloat16().subarray(0, 64)), Array.from(bits.subarray(0, 64)), "loaded as written");

  // --init from that file with no epochs: the same weights come back out, under the new header.
  const again = join(dir, "again.ts");
  const r2 = spawnSync(
    process.execPath,
    [...args.slice(0, -2).map((a, i, all) => (all[i - 1] === "--epochs" ? "0" : a)), "--init", out, "--out", again],
    { cwd: root, encoding: "utf8" },
  );
  t.equal(r2.status, 0, r2.stderr);
  t.ok(r2.stdout.includes(`start (${out}): val loss`), "it starts from the file's weights");
  t.match(readFileSync(again, "utf8"), /--epochs 0 .*--init /, "the header records --init");
  const same = readShapePriorWeightsFile(again);
  t.ok(
    same.length === bits.length && same.every((b, i) => b === bits[i]),
    "the weights round-trip through --init unchanged",
  );
  t.throws(() => readShapePriorWeightsFile(join(root, "package.json")), /no SHAPE_PRIOR_WEIGHTS_BASE64 constant/);
  net.dispose();
});
