// Builds the small trained checkpoint the web demo ships (web/public/agent.ckpt): a short PPO run
// of SamSegEnv-v0's default agent (explicit agent with the bundled synthetic-shapes prior) through
// the `train` command, then the checkpoint without what only resuming needs (Adam moments,
// episode replay logs), so the page downloads the weights alone.
//
//   npx tsx scripts/build-demo-checkpoint.ts [--total-timesteps 6144] [--seed 1]
//       [--out web/public/agent.ckpt] [--run-dir <tmp>]
//   npx tsx scripts/build-demo-checkpoint.ts --from <run>/checkpoint.bin   # slim an existing run's
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProgram } from "../src/cli/main";
import { checkpointFromBytes, checkpointToBytes } from "../src/ppo/persist/checkpoint-bytes";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

function newest(dir: string, name: string): string | null {
  let best: { path: string; mtime: number } | null = null;
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    if (!entry.endsWith(name)) continue;
    const path = join(dir, entry);
    const mtime = statSync(path).mtimeMs;
    if (best === null || mtime > best.mtime) best = { path, mtime };
  }
  return best?.path ?? null;
}

/** Train the default SamSegEnv-v0 agent into `dir`; the path of its newest checkpoint. */
async function trainCheckpoint(steps: string, seed: string, dir: string): Promise<string> {
  await createProgram().parseAsync(
    [
      "train",
      "--env-id",
      "SamSegEnv-v0",
      "--total-timesteps",
      steps,
      "--seed",
      seed,
      "--out-dir",
      dir,
      "--no-progress",
      "--plot-every",
      "1000",
    ],
    { from: "user" },
  );
  const file = newest(dir, ".bin");
  if (file === null) throw new Error(`no checkpoint written under ${dir}`);
  return file;
}

async function main(): Promise<void> {
  const out = option("out", join(__dirname, "..", "web", "public", "agent.ckpt"));
  const from = option("from", "");
  const runDir = option("run-dir", "");
  const started = Date.now();
  // --from: an existing run's checkpoint; else a new run (in --run-dir, or a temporary folder removed after).
  const dir = from ? null : runDir || mkdtempSync(join(tmpdir(), "asg-demo-ckpt-"));
  const file = dir === null ? from : await trainCheckpoint(option("total-timesteps", "6144"), option("seed", "1"), dir);
  const ckpt = checkpointFromBytes(new Uint8Array(readFileSync(file)), file);
  const empty = new Float32Array(0);
  const slim = {
    ...ckpt,
    trainer: { ...ckpt.trainer, optimizer: { step: ckpt.trainer.optimizer.step, m: empty, v: empty } },
    envLogs: null,
    meta: {
      ...ckpt.meta,
      builtBy: "scripts/build-demo-checkpoint.ts",
      totalTimesteps: ckpt.hyperparameters.totalTimesteps,
      seed: ckpt.hyperparameters.seed,
    },
  };
  const bytes = checkpointToBytes(slim);
  writeFileSync(out, bytes);
  if (dir !== null && !runDir) rmSync(dir, { recursive: true, force: true });
  if (from) console.log(`from ${from}`);
  console.log(
    `wrote ${out}: ${bytes.length} bytes (${ckpt.params.length} weight arrays), ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
