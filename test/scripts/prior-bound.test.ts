import t from "tap";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const run = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/prior-bound.ts", ...args], { cwd: root, encoding: "utf8" });

t.test("scripts/prior-bound.ts: a row per target, IoU after each click", async (t) => {
  const r = run("--episodes", "2", "--targets", "gt,coarse-gt,prior");
  t.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split("\n");
  t.same(
    rows.map((row) => row.split(/\s+/)[0]),
    ["gt", "coarse-gt", "prior"],
    "one row per target, in order",
  );
  for (const row of rows) {
    const m = /final IoU ([\d.]+)\s+IoU per click ((?:[\d.]+ ?){5})$/.exec(row);
    t.ok(m, `row format: ${row}`);
    const perClick = (m?.[2] ?? "").trim().split(" ").map(Number);
    t.equal(perClick[4], Number(m?.[1]), "the final IoU is the IoU after the fifth click");
    t.ok(
      perClick.every((v) => v >= 0 && v <= 1),
      "IoUs in [0, 1]",
    );
  }
});

t.test("scripts/prior-bound.ts: an unknown target is an error naming it", async (t) => {
  const r = run("--episodes", "1", "--targets", "gt,oracle");
  t.not(r.status, 0);
  t.match(r.stderr, /unknown target oracle; known: gt, coarse-gt, prior, prior-one-view/);
});
