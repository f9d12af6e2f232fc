// Runs the bomb cases one child process at a time and reports their outcome and peak RSS.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Finding, Outcome, TargetReport } from "./harness";
import { BOMBS } from "./bombs";

/** One bomb's result. */
export interface BombResult {
  name: string;
  kind: Outcome;
  detail: string;
  rssMb: number;
  seconds: number;
}

const CHILD = join(__dirname, "bomb-child.ts");

function runChild(name: string, dir: string, timeoutMs: number): Promise<BombResult> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", CHILD, name, dir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const seconds = (Date.now() - start) / 1000;
      const line = out.trim().split("\n").pop() ?? "";
      try {
        const r = JSON.parse(line) as { kind: Outcome; detail: string; rssMb: number };
        resolve({ name, kind: r.kind, detail: r.detail, rssMb: r.rssMb, seconds });
      } catch {
        const kind: Outcome = signal === "SIGKILL" ? "hang" : "crash";
        resolve({ name, kind, detail: `exit ${code ?? signal}: ${err.slice(-300)}`, rssMb: NaN, seconds });
      }
    });
  });
}

/**
 * Run the bombs (all, or those not marked largeOnly) and fold them into one table row; a case
 * whose peak RSS is above `capMb` counts as wrong.
 */
export async function runBombs(large: boolean, capMb: number, timeoutMs = 180_000): Promise<{ report: TargetReport; results: BombResult[] }> {
  const dir = mkdtempSync(join(tmpdir(), "asg-bombs-"));
  const start = Date.now();
  const results: BombResult[] = [];
  try {
    for (const b of BOMBS) {
      if (b.largeOnly && !large) continue;
      b.prepare?.(dir);
      const r = await runChild(b.name, dir, timeoutMs);
      if (r.kind !== "hang" && r.kind !== "crash" && !(r.rssMb <= capMb)) {
        r.detail = `peak RSS ${r.rssMb.toFixed(0)} MB above the ${capMb} MB cap; ${r.detail}`;
        r.kind = "wrong";
      }
      results.push(r);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const count = (k: Outcome): number => results.filter((r) => r.kind === k).length;
  const findings: Finding[] = results
    .filter((r) => r.kind !== "ok" && r.kind !== "typed")
    .map((r) => ({ target: "bombs", outcome: r.kind, input: r.name, detail: r.detail }));
  const report: TargetReport = {
    target: "bombs and crafted files (child processes)",
    tried: results.length,
    ok: count("ok"),
    typed: count("typed"),
    wrong: count("wrong"),
    crash: count("crash"),
    hang: count("hang"),
    peakRssMb: Math.max(0, ...results.map((r) => (Number.isFinite(r.rssMb) ? r.rssMb : 0))),
    seconds: (Date.now() - start) / 1000,
    findings,
  };
  return { report, results };
}
