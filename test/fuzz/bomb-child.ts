// Child process of the bomb runner: runs one case of bombs.ts and prints one JSON line with
// its outcome and the peak RSS above the baseline taken just before the case (MB).
import { classify } from "./harness";
import { BOMBS } from "./bombs";

async function main(): Promise<void> {
  const [name, dir] = process.argv.slice(2) as [string, string];
  const bomb = BOMBS.find((b) => b.name === name);
  if (bomb === undefined) throw new Error(`unknown bomb ${name}`);
  // Every module a case needs is loaded by the static imports of bombs.ts, before the baseline.
  global.gc?.();
  const baseline = process.memoryUsage().rss / 1048576;
  const outcome = await classify(() => bomb.run(dir) as Promise<void>, 120_000);
  const peak = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...outcome, baselineMb: baseline, rssMb: Math.max(0, peak - baseline) })}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(String(e));
    process.exit(2);
  },
);
