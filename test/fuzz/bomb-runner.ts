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

/** Run the bombs of `indices` in one child; a case with no result line is a crash or a hang. */
function runChild(indices: number[], dir: string, timeoutMs: number): Promise<BombResult[]> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", CHILD, indices.join(","), dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const seconds = (Date.now() - start) / 1000;
      const lines = new Map<number, { kind: Outcome; detail: string; rssMb: number }>();
      for (const line of out.trim().split("\n")) {
        try {
          const r = JSON.parse(line) as { index: number; kind: Outcome; detail: string; rssMb: number };
          lines.set(r.index, r);
        } catch {
          // not a result line
        }
      }
      resolve(
        indices.map((i) => {
          const name = (BOMBS[i] as { name: string }).name;
          const r = lines.get(i);
          if (r !== undefined)
            return { name, kind: r.kind, detail: r.detail, rssMb: r.rssMb, seconds: seconds / indices.length };
          const kind: Outcome = signal === "SIGKILL" ? "hang" : "crash";
          return {
            name,
            kind,
            detail: `exit ${code ?? signal}: ${err.slice(-300)}`,
            rssMb: NaN,
            seconds: seconds / indices.length,
          };
        }),
      );
    });
  });
}

/**
 * Run the bombs (all, each in its own child, or those not marked largeOnly in one child) and
 * fold them into one table row; a case whose peak RSS is above `capMb` counts as wrong.
 */
export async function runBombs(
  large: boolean,
  capMb: number,
  timeoutMs = 180_000,
): Promise<{ report: TargetReport; results: BombResult[] }> {
  const dir = mkdtempSync(join(tmpdir(), "asg-bombs-"));
  const start = Date.now();
  const results: BombResult[] = [];
  try {
    const chosen = BOMBS.flatMap((b, i) => (b.largeOnly && !large ? [] : [i]));
    for (const i of chosen) BOMBS[i]!.prepare?.(dir);
    // Large budget: one child per case (its own peak RSS); small: one child for the light
    // cases (faster; the high-water mark bounds each) and one per heavy case.
    const light = chosen.filter((i) => !BOMBS[i]!.heavy);
    const groups = large ? chosen.map((i) => [i]) : [light, ...chosen.filter((i) => BOMBS[i]!.heavy).map((i) => [i])];
    for (const g of groups) {
      for (const r of await runChild(g, dir, timeoutMs * g.length)) {
        if (r.kind !== "hang" && r.kind !== "crash" && !(r.rssMb <= capMb)) {
          r.detail = `peak RSS ${r.rssMb.toFixed(0)} MB above the ${capMb} MB cap; ${r.detail}`;
          r.kind = "wrong";
        }
        results.push(r);
      }
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
