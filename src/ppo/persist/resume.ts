import type { Space } from "../../core/space";
import { InvalidArgumentError } from "../../core/errors";
import { concatenate, createEmptyArray } from "../../spaces";
import type { Checkpoint } from "./checkpoint";
import type { EpisodeLog, EpisodeRecorder } from "./episode-replay";
import type { PpoTrainer } from "../ppo";

/** What a checkpoint records besides the trainer and the agent. */
export interface CheckpointContext {
  envId: string;
  envKwargs: Record<string, unknown>;
  vectorMode: "sync" | "async";
  /** The recorders wrapping each env (sync vector envs), or null when envs are out of reach. */
  recorders: EpisodeRecorder[] | null;
  meta?: Record<string, unknown>;
}

/** Snapshot a trainer, its agent and (when recorders are given) its envs' current episodes. */
export function captureCheckpoint(trainer: PpoTrainer, ctx: CheckpointContext): Checkpoint {
  const { numEnvs: _n, batchSize: _b, minibatchSize: _m, numIterations: _i, ...rest } = trainer.hp;
  return {
    agent: trainer.agent.config,
    params: trainer.agent.params.toArrays(),
    envId: ctx.envId,
    envKwargs: ctx.envKwargs,
    vectorMode: ctx.vectorMode,
    hyperparameters: { ...rest, numEnvs: trainer.hp.numEnvs },
    trainer: trainer.getState(),
    envLogs: ctx.recorders ? ctx.recorders.map((r) => r.episodeLog()) : null,
    meta: { ...ctx.meta, savedAt: new Date().toISOString() },
  };
}

/**
 * Load a checkpoint into a freshly built trainer (same agent config and numEnvs) and start it.
 * With recorders and env logs, every env replays its current episode, so training continues
 * exactly as if it had never stopped (same observations, same RNG streams); otherwise the envs
 * are reset with a seed derived from the checkpoint's seed and iteration.
 * @throws InvalidArgumentError when the checkpoint does not fit the trainer.
 */
export async function resumeFromCheckpoint(
  trainer: PpoTrainer,
  ckpt: Checkpoint,
  recorders: EpisodeRecorder[] | null,
  observationSpace: Space,
): Promise<{ exact: boolean }> {
  if (ckpt.trainer.optimizer.m.length === 0 && ckpt.params.some((p) => p.data.length > 0)) {
    throw new InvalidArgumentError(
      "the checkpoint has no optimizer state (an inference-only checkpoint, e.g. the web demo's): it can be evaluated, not resumed",
    );
  }
  trainer.agent.params.load(ckpt.params);
  trainer.setState(ckpt.trainer);
  const n = trainer.hp.numEnvs;
  if (recorders !== null && ckpt.envLogs !== null) {
    if (recorders.length !== n || ckpt.envLogs.length !== n) {
      throw new InvalidArgumentError(
        `checkpoint has ${ckpt.envLogs.length} env logs, the run has ${recorders.length} envs`,
      );
    }
    // A plain reset first puts the vector env in a clean state; then each env replays its episode.
    await trainer.envs.reset({ seed: trainer.hp.seed });
    const items: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const [obs] = await (recorders[i] as EpisodeRecorder).restore(ckpt.envLogs[i] as EpisodeLog);
      items.push(obs);
    }
    await trainer.start(concatenate(observationSpace, items, createEmptyArray(observationSpace, n)));
    return { exact: true };
  }
  const seed = (trainer.hp.seed + 7919 * ckpt.trainer.iteration) % 2 ** 31;
  const [obs] = await trainer.envs.reset({ seed });
  // Episodes in progress were lost with the envs: their bookkeeping restarts.
  trainer.setState({
    ...ckpt.trainer,
    nextResetRow: ckpt.trainer.nextResetRow.map(() => false),
    episodeReturn: ckpt.trainer.episodeReturn.map(() => 0),
    episodeLength: ckpt.trainer.episodeLength.map(() => 0),
    ...(ckpt.trainer.takenActions ? { takenActions: ckpt.trainer.takenActions.map(() => []) } : {}),
  });
  await trainer.start(obs);
  return { exact: false };
}
