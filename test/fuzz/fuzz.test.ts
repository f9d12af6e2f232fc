// The fuzz suite with the small budget of `npm test` (the large one: `npm run fuzz`): every
// target must show 0 wrong, 0 crash (untyped error), 0 hang, and every bomb or crafted file
// must stay under the peak-RSS cap, measured in its own child process.
import t from "tap";
import { formatTable } from "./harness";
import { runAll } from "./run";

t.setTimeout(120_000);

t.test("fuzz, small budget: no wrong result, no untyped error, no hang, bombs under the RSS cap", async (t) => {
  const reports = await runAll({ cases: 60, secondsPerTarget: 4, caseTimeoutMs: 20_000, seed: 1 }, false);
  t.comment(`\n${formatTable(reports)}`);
  for (const r of reports) {
    t.ok(r.tried > 0, `${r.target}: tried ${r.tried}`);
    t.same(r.findings, [], `${r.target}: no findings`);
  }
  t.ok(
    reports.some((r) => r.typed > 0),
    "bad inputs were generated and refused",
  );
});
