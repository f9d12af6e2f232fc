// Run folders of `alignsam-gym train`, named as CleanRL names them.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InvalidArgumentError } from "../core/errors";

/** The default experiment name (CleanRL uses the script's name, `ppo`). */
export const DEFAULT_EXP_NAME = "ppo";

/** Where run folders go when `--out-dir` is not given. */
export const DEFAULT_RUNS_DIR = "runs";

/**
 * CleanRL's run name: `{env_id}__{exp_name}__{seed}__{unix_time}` (unix time in whole seconds).
 * @throws InvalidArgumentError when the experiment name is empty or holds a path separator.
 */
export function runName(envId: string, expName: string, seed: number, unixTimeSeconds: number): string {
  if (expName === "" || /[/\\]/.test(expName))
    throw new InvalidArgumentError(
      `--exp-name must be a non-empty name without / or \\, got ${JSON.stringify(expName)}`,
    );
  return `${envId}__${expName}__${seed}__${Math.floor(unixTimeSeconds)}`;
}

/** True when `dir` holds files of an earlier run (anything at all). */
function hasRunFiles(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}

/** How a run folder was chosen. */
export interface RunFolderRequest {
  envId: string;
  expName: string;
  seed: number;
  /** `--out-dir`: the exact folder, or null for `runs/<run name>`. */
  outDir: string | null;
  /** `--resume`: the checkpoint being continued, or null. */
  resume: string | null;
  /** Unix time, ms (default Date.now()). */
  now?: number;
}

/**
 * The folder a training run writes to (absolute path):
 * - `--resume ckpt` without `--out-dir`: the checkpoint's own folder (the run continues there);
 * - `--out-dir DIR`: DIR, which must be empty or absent unless resuming;
 * - otherwise `runs/{env_id}__{exp_name}__{seed}__{unix_time}`; if that exists (two runs in the
 *   same second), `__2`, `__3`, ... is appended. Nothing is ever overwritten silently.
 * @throws InvalidArgumentError when `--out-dir` already holds a run and this is not a resume.
 */
export function chooseRunFolder(req: RunFolderRequest): string {
  if (req.resume !== null) return resolve(req.outDir ?? dirname(req.resume));
  if (req.outDir !== null) {
    const dir = resolve(req.outDir);
    if (hasRunFiles(dir)) {
      throw new InvalidArgumentError(
        `--out-dir ${dir} already holds files of another run; pick a new folder, or continue that run with --resume ${join(dir, "checkpoint.bin")}`,
      );
    }
    return dir;
  }
  const base = resolve(DEFAULT_RUNS_DIR, runName(req.envId, req.expName, req.seed, (req.now ?? Date.now()) / 1000));
  let dir = base;
  for (let n = 2; hasRunFiles(dir); n++) dir = `${base}__${n}`;
  return dir;
}
