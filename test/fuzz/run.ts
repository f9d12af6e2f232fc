// `npm run fuzz`: every fuzz target with the large budget (bounded in cases and time), then the
// bombs one child process each; prints the table tried / typed error / wrong / crash / hang /
// peak RSS and exits non-zero on any wrong, crash, hang or case above the memory cap.
// Budget from the environment: FUZZ_CASES (default 2000 per target), FUZZ_SECONDS (per target,
// default 120), FUZZ_SEED (default 14).
import { formatTable, runTarget } from "./harness";
import type { Budget, TargetReport } from "./harness";
import { runBombs } from "./bomb-runner";
import { allTargets } from "./targets";

/** Peak RSS cap above the baseline for every bomb and crafted input (issue 14). */
export const RSS_CAP_MB = 300;

/** Run every target and the bombs with `budget`; `large` adds the costly bombs. */
export async function runAll(
  budget: Budget,
  large: boolean,
  log: (s: string) => void = () => {},
): Promise<TargetReport[]> {
  const reports: TargetReport[] = [];
  for (const make of allTargets()) {
    const r = await runTarget(make(), budget);
    log(`${r.target}: ${r.tried} tried in ${r.seconds.toFixed(1)} s`);
    reports.push(r);
  }
  const { report, results } = await runBombs(large, RSS_CAP_MB);
  for (const b of results)
    log(
      `  bomb ${b.kind.padEnd(5)} ${Number.isFinite(b.rssMb) ? b.rssMb.toFixed(0).padStart(4) : "   ?"} MB  ${b.name}`,
    );
  reports.push(report);
  return reports;
}

async function main(): Promise<void> {
  const budget: Budget = {
    cases: Number(process.env.FUZZ_CASES ?? 2000),
    secondsPerTarget: Number(process.env.FUZZ_SECONDS ?? 120),
    caseTimeoutMs: 30_000,
    seed: Number(process.env.FUZZ_SEED ?? 14),
  };
  const start = Date.now();
  const reports = await runAll(budget, true, (s) => console.log(s));
  console.log(
    `\nfuzz: ${budget.cases} cases / ${budget.secondsPerTarget} s per target, seed ${budget.seed}, ${((Date.now() - start) / 1000).toFixed(0)} s total\n`,
  );
  console.log(formatTable(reports));
  const findings = reports.flatMap((r) => r.findings);
  for (const f of findings) console.log(`\n[${f.outcome}] ${f.target}: ${f.input}\n  ${f.detail}`);
  process.exitCode = findings.length > 0 ? 1 : 0;
}

if (require.main === module) void main();
