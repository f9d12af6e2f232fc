import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { AgentConfig } from "../agents/agent";
import type { EpisodeLog } from "./episode-replay";
import type { PpoHyperparameters } from "../hyperparameters";
import type { ParameterArray } from "../nn/parameters";
import type { PpoTrainerState } from "./trainer-state";
import { checkpointFromBytes, checkpointToBytes } from "./checkpoint-bytes";

/** Everything a training run needs to continue exactly, plus what evaluation needs. */
export interface Checkpoint {
  /** The agent to rebuild (its config) and its weights. */
  agent: AgentConfig;
  params: ParameterArray[];
  /** The env the agent was trained on and how it was built. */
  envId: string;
  envKwargs: Record<string, unknown>;
  vectorMode: "sync" | "async";
  hyperparameters: PpoHyperparameters;
  /** Trainer state: iteration, global step, RNG states, optimizer moments, episode bookkeeping. */
  trainer: PpoTrainerState;
  /** Per env: the current episode's replay log (sync vector envs), for an exact resume. */
  envLogs: EpisodeLog[] | null;
  /** Free-form JSON (backend, creation time, ...). */
  meta: Record<string, unknown>;
}

/**
 * Write a checkpoint atomically: to `${path}.tmp-<pid>`, fsync, then rename over `path`, so a
 * crash or Ctrl-C mid-write never leaves a truncated checkpoint. Format (the bytes of
 * `checkpointToBytes`): the 8-byte magic "ASGCKPT1", a uint32 LE header length, a JSON header,
 * then the float32 arrays (weights and Adam moments) back to back, little-endian.
 */
export function saveCheckpoint(path: string, ckpt: Checkpoint): void {
  const bytes = checkpointToBytes(ckpt);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * Read a checkpoint written by {@link saveCheckpoint} (from bytes: `checkpointFromBytes`).
 * @throws InvalidArgumentError when the file is not a checkpoint or is truncated.
 */
export function loadCheckpoint(path: string): Checkpoint {
  return checkpointFromBytes(readFileSync(path), path);
}

/**
 * Parse the bytes of a checkpoint file (see {@link saveCheckpoint}); `path` names it in errors.
 * The same as {@link checkpointFromBytes}.
 * @throws InvalidArgumentError when the bytes are not a checkpoint or are truncated.
 */
export function parseCheckpoint(bytes: Uint8Array, path = "checkpoint"): Checkpoint {
  return checkpointFromBytes(bytes, path);
}
