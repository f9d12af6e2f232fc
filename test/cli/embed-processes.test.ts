// Shards as separate processes sharing one cache folder, and a shard killed with SIGKILL.
import t from "tap";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readManifests } from "../../src/cli/embed/manifest";
import { writeEmbedDataset } from "../../scripts/embed-dataset";

t.setTimeout(240_000);
const repo = join(__dirname, "..", "..");
const root = mkdtempSync(join(tmpdir(), "asg-embed-proc-"));
t.teardown(() => rmSync(root, { recursive: true, force: true }));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}
function cli(args: string[], env: NodeJS.ProcessEnv = {}): { child: ReturnType<typeof spawn>; exit: Promise<Exit> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exit = new Promise<Exit>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, out })));
  return { child, exit };
}
const entryDir = (cache: string): string =>
  join(
    cache,
    readdirSync(cache).find((n) => n.startsWith("geodesic"))!,
  );
const countEntries = (cache: string): number => {
  if (!existsSync(cache) || readdirSync(cache).length === 0) return 0;
  return readdirSync(entryDir(cache)).filter((n) => n.endsWith(".emb")).length;
};

t.test("3 processes as shards of one dataset: complete coverage, no image done twice", async (t) => {
  const ds = join(root, "three");
  const names = writeEmbedDataset(ds, 30);
  const cache = join(root, "three-cache");
  const args = ["embed", "--dataset", "grabcut", "--path", ds, "--cache", cache, "--no-progress", "--shard-count", "3"];
  // Shard 0 by flag, shard 1 as a Kubernetes pod, shard 2 as a Slurm array task (ids 7..9).
  const runs = [
    cli([...args, "--shard-index", "0"]),
    cli(args, { JOB_COMPLETION_INDEX: "1" }),
    cli(args.slice(0, -2), { SLURM_ARRAY_TASK_ID: "9", SLURM_ARRAY_TASK_MIN: "7", SLURM_ARRAY_TASK_COUNT: "3" }),
  ];
  const exits = await Promise.all(runs.map((r) => r.exit));
  for (const e of exits) t.equal(e.code, 0, e.out);
  t.match(exits[1].out, /shard 1 of 3 \(kubernetes\)/);
  t.match(exits[2].out, /shard 2 of 3 \(slurm\)/);
  const manifests = await readManifests(join(entryDir(cache), "manifests"));
  t.same(manifests.map((m) => m.shardIndex).sort(), [0, 1, 2]);
  const done = manifests.flatMap((m) => m.done.map((e) => e.image));
  t.equal(done.length, names.length, "no image embedded twice");
  t.same([...done].sort(), [...names].sort(), "every image embedded");
  t.ok(manifests.every((m) => m.skipped.length === 0 && m.failed.length === 0 && m.finished));
  t.equal(countEntries(cache), names.length);
  const verify = await cli(["embed", "verify", "--dataset", "grabcut", "--path", ds, "--cache", cache]).exit;
  t.equal(verify.code, 0, verify.out);
  t.match(verify.out, /30 images, 30 present, 0 missing, 0 corrupt/);
});

t.test("a shard killed with SIGKILL resumes where it stopped", async (t) => {
  const ds = join(root, "kill");
  const n = 240;
  writeEmbedDataset(ds, n, { h: 96, w: 128, seed: 5 });
  const cache = join(root, "kill-cache");
  const args = ["embed", "--dataset", "grabcut", "--path", ds, "--cache", cache, "--no-progress"];
  const first = cli(args);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && countEntries(cache) < 8) await new Promise((r) => setTimeout(r, 25));
  first.child.kill("SIGKILL");
  const killed = await first.exit;
  t.equal(killed.signal, "SIGKILL", "killed mid-run");
  const present = countEntries(cache);
  t.ok(present >= 8 && present < n, `${present} of ${n} entries written before the kill`);
  const again = await cli(args).exit;
  t.equal(again.code, 0, again.out);
  t.match(again.out, new RegExp(`^${n} images, ${n - present} embedded, ${present} already cached, 0 failed`));
  const [m] = await readManifests(join(entryDir(cache), "manifests"));
  t.ok(m.finished);
  t.equal(m.done.length + m.skipped.length, n);
  t.equal(countEntries(cache), n);
  t.equal(
    readdirSync(entryDir(cache)).filter((f) => f.endsWith(".tmp")).length <= 1,
    true,
    "at most the one write the kill interrupted",
  );
});
