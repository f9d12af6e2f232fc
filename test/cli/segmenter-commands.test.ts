import t from "tap";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { Command } from "commander";
import { encodePng } from "../../src/data";
import { addEmbedCommand } from "../../src/cli/commands/embed";
import { addEvaluateSegmenterCommand } from "../../src/cli/commands/evaluate-segmenter";
import { discImage } from "../segmenters/images";

// A two-image dataset in the GrabCut layout: images/*.png, masks/*.png (0 / 128 band / 255).
const root = mkdtempSync(join(tmpdir(), "asg-cli-seg-"));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, "images"));
mkdirSync(join(root, "masks"));
for (const [name, cx] of [
  ["a", 30],
  ["b", 50],
] as const) {
  writeFileSync(
    join(root, "images", `${name}.png`),
    encodePng(discImage(60, 80, [20, 40, 30], [{ cx, cy: 30, r: 15, colour: [230, 200, 40] }])),
  );
  const mask = ndarray(new Uint8Array(60 * 80 * 3), [60, 80, 3]);
  for (let y = 0; y < 60; y++)
    for (let x = 0; x < 80; x++) {
      const d = Math.hypot(x - cx, y - 30);
      const v = d <= 14 ? 255 : d <= 16 ? 128 : 0;
      for (let c = 0; c < 3; c++) mask.set(y, x, c, v);
    }
  writeFileSync(join(root, "masks", `${name}.png`), encodePng(mask));
}

async function run(args: string[]): Promise<string> {
  const program = new Command("alignsam-gym").exitOverride();
  addEmbedCommand(program);
  addEvaluateSegmenterCommand(program);
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => {
    lines.push(a.join(" "));
  };
  try {
    await program.parseAsync(["node", "alignsam-gym", ...args]);
  } finally {
    console.log = log;
  }
  return lines.join("\n");
}

t.test("evaluate-segmenter prints the NoC/NoF/mIoU table and writes the JSON report", async (t) => {
  const json = join(root, "report.json");
  const out = await run([
    "evaluate-segmenter",
    "--dataset",
    "grabcut",
    "--path",
    root,
    "--max-clicks",
    "5",
    "--no-progress",
    "--json",
    json,
  ]);
  t.match(out, /\| NoC@85 \| NoC@90 \| NoF@85 \| NoF@90 \| mIoU@1 \| mIoU@3 \| mIoU@5 \|/);
  t.match(out, /geodesic-v1-lab-half on grabcut \(2 samples\)/);
  const report = JSON.parse(readFileSync(json, "utf8"));
  t.equal(report.samples.length, 2);
  t.same(
    report.samples.map((s: { name: string }) => s.name),
    ["a", "b"],
  );
  t.ok(report.nocAt["0.9"] <= 2, `an easy disc needs at most 2 clicks (NoC@90 ${report.nocAt["0.9"]})`);
});

t.test("embed writes the cache; a second run finds every image on disk", async (t) => {
  const cache = join(root, "cache");
  const first = await run(["embed", "--dataset", "grabcut", "--path", root, "--cache", cache, "--no-progress"]);
  t.match(first, /2 images, 2 embedded, 0 already cached/);
  const second = await run(["embed", "--dataset", "grabcut", "--path", root, "--cache", cache, "--no-progress"]);
  t.match(second, /2 images, 0 embedded, 2 already cached/);
  await t.rejects(run(["embed", "--dataset", "grabcut", "--path", root, "--no-progress"]), /--cache/);
  await t.rejects(
    run(["evaluate-segmenter", "--dataset", "nope", "--path", root, "--no-progress"]),
    /--dataset must be/,
  );
});

t.test("evaluate-segmenter on a mask folder: every object once, tiny ones included, the folder named", async (t) => {
  // c: a 2-object id mask (values 1 and 2) with a 4-pixel object (< 1% of the image); d: per-object folder.
  const dir = mkdtempSync(join(tmpdir(), "asg-cli-maskfolder-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "images"));
  mkdirSync(join(dir, "masks", "d"), { recursive: true });
  const disc = (cx: number, r: number, v: number, m: NdArray<Uint8Array>): void => {
    for (let y = 0; y < 60; y++) for (let x = 0; x < 80; x++) if (Math.hypot(x - cx, y - 30) <= r) m.set(y, x, v);
  };
  writeFileSync(
    join(dir, "images", "c.png"),
    encodePng(discImage(60, 80, [20, 40, 30], [{ cx: 30, cy: 30, r: 15, colour: [230, 200, 40] }])),
  );
  const ids = ndarray(new Uint8Array(60 * 80), [60, 80]);
  disc(30, 15, 1, ids);
  disc(65, 1, 2, ids);
  writeFileSync(join(dir, "masks", "c.png"), encodePng(ids));
  writeFileSync(
    join(dir, "images", "d.png"),
    encodePng(discImage(60, 80, [20, 40, 30], [{ cx: 50, cy: 30, r: 12, colour: [230, 200, 40] }])),
  );
  const one = ndarray(new Uint8Array(60 * 80), [60, 80]);
  disc(50, 12, 255, one);
  writeFileSync(join(dir, "masks", "d", "obj.png"), encodePng(one));
  const json = join(dir, "report.json");
  const out = await run([
    "evaluate-segmenter",
    "--dataset",
    "maskfolder",
    "--path",
    dir,
    "--max-clicks",
    "3",
    "--no-progress",
    "--json",
    json,
  ]);
  t.match(out, /on maskfolder \(3 samples\) from asg-cli-maskfolder-/);
  const report = JSON.parse(readFileSync(json, "utf8"));
  t.same(
    report.samples.map((s: { name: string }) => s.name),
    ["c#1", "c#2", "d/obj"],
  );
});
