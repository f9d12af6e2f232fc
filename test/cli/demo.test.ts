import t from "tap";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { addDemoCommand } from "../../src/cli/commands/demo";
import { generateSyntheticCoco } from "../../src/data";
import { decodeGif } from "../data/gif-decoder";

const run = async (args: string[]): Promise<void> => {
  const program = new Command().exitOverride();
  addDemoCommand(program);
  await program.parseAsync(["node", "alignsam-gym", ...args]);
};

t.test("demo runs scripted and random agents and writes one PNG per reset and step", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "alignsam-cli-demo-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await generateSyntheticCoco({
    outDir: join(dir, "data"),
    images: 3,
    size: [60, 80],
    seed: 2,
    split: "val2017",
    categories: ["disc", "box"],
  });
  const logs: string[] = [];
  const log = console.log;
  const errWrite = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => void logs.push(a.join(" "));
  process.stderr.write = (() => true) as typeof process.stderr.write;
  t.teardown(() => {
    console.log = log;
    process.stderr.write = errWrite;
  });
  const frames = join(dir, "frames");
  await run([
    "demo",
    "--dataset",
    "coco",
    "--path",
    join(dir, "data"),
    "--episodes",
    "2",
    "--max-steps",
    "2",
    "--out",
    frames,
    "--seed",
    "4",
  ]);
  const files = readdirSync(frames).sort();
  t.equal(files.length, 2 * (1 + 2), "reset + 2 steps, 2 episodes");
  t.equal(files[0], "episode-0001-step-000.png");
  t.match(logs[0], /^episode 1: \w+, rewards \[[-\d., ]+\], return -?[\d.]+, final Dice [\d.]+, IoU [\d.]+$/);
  t.equal(logs.length, 2);
  logs.length = 0;
  await run([
    "demo",
    "--dataset",
    "coco",
    "--path",
    join(dir, "data"),
    "--split",
    "val2017",
    "--episodes",
    "1",
    "--max-steps",
    "1",
    "--agent",
    "random",
    "--out",
    join(dir, "rnd"),
  ]);
  t.equal(readdirSync(join(dir, "rnd")).length, 2);
  t.equal(logs.length, 1);
  await t.rejects(
    run(["demo", "--data", join(dir, "data")]),
    /--data was renamed: use --dataset coco --path <dir> --split <name>/,
  );
  await t.rejects(run(["demo", "--annotations", join(dir, "x.json")]), /--annotations needs --dataset coco/);
  await t.rejects(run(["demo", "--agent", "smart"]), /--agent must be "random" or "scripted", got "smart"/);
  await t.rejects(run(["demo", "--episodes", "0"]), /--episodes must be a positive integer/);
});

t.test("demo --gif writes one titled GIF per episode (decoded back to frames)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "alignsam-cli-demo-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await generateSyntheticCoco({
    outDir: join(dir, "data"),
    images: 2,
    size: [60, 80],
    seed: 2,
    split: "val2017",
    categories: ["disc"],
  });
  const logs: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void logs.push(a.join(" "));
  t.teardown(() => void (console.log = log));
  const out = join(dir, "gifs");
  await run([
    "demo",
    "--dataset",
    "coco",
    "--path",
    join(dir, "data"),
    "--split",
    "val2017",
    "--episodes",
    "2",
    "--max-clicks",
    "3",
    "--out-dir",
    out,
    "--gif",
  ]);
  t.same(readdirSync(out).sort(), ["demo-episode-0.gif", "demo-episode-1.gif"]);
  const gif = decodeGif(readFileSync(join(out, "demo-episode-0.gif")));
  t.equal(gif.frames.length, 4, "reset + 3 clicks");
  t.equal(gif.width, 3 * 426);
  t.equal(gif.height, 320 + 24, "render frame plus the title strip");
  t.equal(gif.frames[0]!.delayMs, 500, "2 frames per second");
  t.ok(
    logs.some((l) => l === `wrote ${join(out, "demo-episode-0.gif")}`),
    "says where each GIF went",
  );
});
