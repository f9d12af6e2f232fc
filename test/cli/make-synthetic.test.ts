import t from "tap";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { addMakeSyntheticCommand } from "../../src/cli/commands/make-synthetic";

const run = async (args: string[]): Promise<void> => {
  const program = new Command().exitOverride();
  addMakeSyntheticCommand(program);
  await program.parseAsync(["node", "alignsam-gym", ...args]);
};

t.test("make-synthetic writes a COCO dataset and validates its options", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "alignsam-cli-syn-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const logs: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void logs.push(a.join(" "));
  t.teardown(() => void (console.log = log));
  await run([
    "make-synthetic",
    "--out",
    dir,
    "--images",
    "3",
    "--seed",
    "5",
    "--size",
    "48x64",
    "--categories",
    "disc,star",
    "--no-progress",
  ]);
  const json = JSON.parse(readFileSync(join(dir, "annotations", "instances_train.json"), "utf8"));
  t.equal(json.images.length, 3);
  t.same(
    json.categories.map((c: { name: string }) => c.name),
    ["disc", "star"],
  );
  t.equal(readdirSync(join(dir, "images", "train")).length, 3);
  t.match(logs.join("\n"), /3 images, \d+ annotations, categories disc, star/);
  await t.rejects(
    run(["make-synthetic", "--out", dir, "--size", "48by64", "--no-progress"]),
    /--size must look like HxW/,
  );
  await t.rejects(
    run(["make-synthetic", "--out", dir, "--images", "0", "--no-progress"]),
    /--images must be an integer/,
  );
});
