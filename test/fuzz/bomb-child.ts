// Child process of the bomb runner: runs the cases of bombs.ts given by index (comma-separated)
// in order and prints one JSON line per case with its outcome and the peak RSS so far above
// the baseline taken before the first case (MB). With one case per child that is the case's
// own peak; with several, an upper bound of each (enough to check a cap).
import { classify } from "./harness";
import { BOMBS } from "./bombs";

async function main(): Promise<void> {
  const [indices, dir] = process.argv.slice(2) as [string, string];
  // Every module a case needs is loaded by the static imports of bombs.ts, before the baseline.
  global.gc?.();
  const baseline = process.memoryUsage().rss / 1048576;
  for (const i of indices.split(",").map(Number)) {
    const bomb = BOMBS[i];
    if (bomb === undefined) throw new Error(`unknown bomb ${i}`);
    const outcome = await classify(async () => void (await bomb.run(dir)), 120_000);
    const peak = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify({ index: i, ...outcome, rssMb: Math.max(0, peak - baseline) })}\n`);
    global.gc?.();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(String(e));
    process.exit(2);
  },
);
