// The `alignsam-gym train` run: builds the vector env, agent and PPO trainer, then loops with a
// progress bar, metrics files, learning-curve plots and atomic checkpoints. Loaded lazily by
// commands/train.ts (it imports tfjs through ../ppo).
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { SingleBar } from "cli-progress";
import type { Env } from "../core/env";
import { InvalidArgumentError } from "../core/errors";
import * as registry from "../registry";
import { SyncVectorEnv } from "../vector";
import {
  EpisodeRecorder,
  PpoTrainer,
  captureCheckpoint,
  createAgent,
  defaultAgentConfig,
  loadCheckpoint,
  resumeFromCheckpoint,
  saveCheckpoint,
  selectBackend,
} from "../ppo";
import type { AgentConfig, BackendName, IterationLog, PpoHyperparameters, PpoVectorEnv } from "../ppo";
import { MetricsLog } from "./metrics-log";
import type { MetricsRow } from "./metrics-log";
import { RecordVideo } from "../wrappers/record-video";
import { titleSamSegEnvFrame } from "../envs/sam-seg/video-frame";
import { PeriodicEvaluator, evalScore } from "./periodic-evaluation";
import { checkResumeFlags } from "./resume-flags";
import { DEFAULT_EXP_NAME, chooseRunFolder } from "./run-folder";
import { TensorBoardWriter } from "./tracking/tensorboard-writer";
import { openClipPrior, withClipPriorFlags } from "./prior-provider-options";
import type { ClipPriorFlags } from "./prior-provider-options";
import {
  ENV_DEFAULT_AGENTS,
  ENV_DEFAULT_ENV_KWARGS,
  ENV_DEFAULT_HYPERPARAMETERS,
  envDefaultAgent,
} from "./env-defaults";
import { writeJsonAtomic, writeLearningCurves } from "./learning-curves";

export {
  ENV_DEFAULT_AGENTS,
  ENV_DEFAULT_ENV_KWARGS,
  ENV_DEFAULT_HYPERPARAMETERS,
  envDefaultAgent,
} from "./env-defaults";
export { writeLearningCurves } from "./learning-curves";

/** Options of a training run (the CLI flags, parsed). */
export interface TrainRunOptions {
  /** Registered env id; null: the checkpoint's when resuming, else SamSegEnv-v0. */
  envId: string | null;
  envKwargs: Record<string, unknown>;
  /** Env options applied on top of envKwargs, or of the checkpoint's with `resume` (the dataset/segmenter flags). */
  envOverrides?: Record<string, unknown>;
  hyperparameters: Partial<PpoHyperparameters>;
  agent: AgentConfig | null;
  /** The run folder; null: the checkpoint's folder when resuming, else runs/{env_id}__{exp_name}__{seed}__{unix_time}. */
  outDir: string | null;
  resume: string | null;
  backend: BackendName;
  vectorMode: "sync" | "async";
  checkpointEvery: number;
  plotEvery: number;
  /** A progress bar on a terminal; with false (or when stdout is not a TTY) one text line per iteration. */
  progress: boolean;
  /** --clip-image-encoder / --clip-text-encoder: the explicit agent's CLIP-Surgery prior files. */
  clipPrior?: ClipPriorFlags;
  /** Experiment name of the default run folder (default "ppo", as CleanRL's script name). */
  expName?: string;
  /** "tensorboard": also write TensorBoard event files into the run folder. */
  track?: "tensorboard" | null;
  /** Record GIFs of the first env's episodes (Gymnasium's capped cubic schedule) into <run>/videos. */
  captureVideo?: boolean;
  /** Evaluate the greedy policy on held-out episodes every this many iterations (0: never). */
  evalEvery?: number;
  /** Episodes per evaluation during training (default 10). */
  evalEpisodes?: number;
  /** The effective configuration (every option's value), saved as config.json and in the checkpoint. */
  config?: Record<string, unknown>;
}

/** Where a run writes its files. */
export function runPaths(
  outDir: string,
): Record<"checkpoint" | "best" | "config" | "metricsJsonl" | "metricsCsv" | "curves" | "videos" | "dir", string> {
  const dir = resolve(outDir);
  return {
    dir,
    checkpoint: join(dir, "checkpoint.bin"),
    best: join(dir, "best.bin"),
    config: join(dir, "config.json"),
    metricsJsonl: join(dir, "metrics.jsonl"),
    metricsCsv: join(dir, "metrics.csv"),
    curves: join(dir, "learning-curves.png"),
    videos: join(dir, "videos"),
  };
}

function mean(xs: number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function rowOf(log: IterationLog): MetricsRow {
  const ep = log.episodes;
  const infoMean = (k: string): number | null =>
    mean(ep.map((e) => e.info[k]).filter((v): v is number => v !== undefined));
  return {
    iteration: log.iteration,
    global_step: log.globalStep,
    "charts/episodic_return": mean(ep.map((e) => e.r)),
    "charts/episodic_length": mean(ep.map((e) => e.l)),
    "charts/episodes": ep.length,
    "charts/final_iou": infoMean("iou"),
    "charts/final_dice": infoMean("dice"),
    "charts/learning_rate": log.learningRate,
    "charts/SPS": Math.round(log.sps),
    "losses/value_loss": log.valueLoss,
    "losses/policy_loss": log.policyLoss,
    "losses/entropy": log.entropy,
    "losses/old_approx_kl": log.oldApproxKl,
    "losses/approx_kl": log.approxKl,
    "losses/clipfrac": log.clipfrac,
    "losses/explained_variance": Number.isFinite(log.explainedVariance) ? log.explainedVariance : null,
    "time/rollout_forward_ms": log.time.rolloutForward,
    "time/env_step_ms": log.time.envStep,
    "time/gae_ms": log.time.gae,
    "time/update_ms": log.time.update,
  };
}

/**
 * Build the vector env; sync envs are wrapped in EpisodeRecorders (exact resume). With
 * `videoFolder`, the first env renders rgb_array frames and records GIFs (RecordVideo, titled
 * SamSeg frames) inside its recorder.
 */
function buildVectorEnv(
  envId: string,
  envKwargs: Record<string, unknown>,
  vectorMode: "sync" | "async",
  numEnvs: number,
  videoFolder: string | null,
): { envs: PpoVectorEnv; recorders: EpisodeRecorder[] | null } {
  if (vectorMode === "sync") {
    const recorders: EpisodeRecorder[] = [];
    const fns = Array.from({ length: numEnvs }, (_, i) => (): Env<unknown, unknown> => {
      let env = registry.make<unknown, number>(envId, {
        ...envKwargs,
        ...(videoFolder !== null && i === 0 ? { renderMode: "rgb_array" } : {}),
      });
      if (videoFolder !== null && i === 0) env = new RecordVideo(env, { videoFolder, annotate: titleSamSegEnvFrame });
      const r = new EpisodeRecorder(env);
      recorders.push(r);
      return r as unknown as Env<unknown, unknown>;
    });
    // copy: false: the trainer featurizes each batch before the next step, so the vector env may
    // hand out its own buffers (a copy of 8 SamSegEnv observations is about 10 MB per step).
    return { envs: new SyncVectorEnv(fns, { copy: false }) as unknown as PpoVectorEnv, recorders };
  }
  if (videoFolder !== null)
    throw new InvalidArgumentError("--capture-video needs --vector-mode sync (async envs render in worker threads)");
  // Async: one worker thread per env; exact env replay on resume is not available (envs live in workers).
  return {
    envs: registry.makeVec(envId, numEnvs, {
      ...envKwargs,
      vectorizationMode: "async",
      vectorKwargs: { copy: false },
    }) as unknown as PpoVectorEnv,
    recorders: null,
  };
}

/** One line per iteration, for logs (CI, --no-progress, stdout not a terminal). */
function iterationLine(it: IterationLog, iterations: number, ret: number | null, iou: number | null): string {
  const parts = [
    `iteration ${it.iteration}/${iterations}`,
    `step ${it.globalStep}`,
    `SPS ${Math.round(it.sps)}`,
    `return ${ret === null ? "-" : ret.toFixed(2)}`,
    ...(iou === null ? [] : [`IoU ${iou.toFixed(3)}`]),
    `value_loss ${it.valueLoss.toFixed(4)}`,
    `entropy ${it.entropy.toFixed(3)}`,
    `approx_kl ${it.approxKl.toFixed(4)}`,
  ];
  return parts.join(" | ");
}

/** Run a training session; resolves when done or interrupted (Ctrl-C saves a checkpoint first). */
export async function runTraining(
  opts: TrainRunOptions,
  log: (line: string) => void = (l) => console.log(l),
): Promise<{ iterations: number; interrupted: boolean; runDir: string }> {
  const checkpoint = opts.resume ? loadCheckpoint(opts.resume) : null;
  if (checkpoint)
    checkResumeFlags(
      { envId: opts.envId, envKwargs: opts.envKwargs, hyperparameters: opts.hyperparameters, agent: opts.agent },
      checkpoint,
    );
  const envId = checkpoint?.envId ?? opts.envId ?? "SamSegEnv-v0";
  const hp: Partial<PpoHyperparameters> = checkpoint
    ? {
        ...checkpoint.hyperparameters,
        totalTimesteps: opts.hyperparameters.totalTimesteps ?? checkpoint.hyperparameters.totalTimesteps,
      }
    : { ...ENV_DEFAULT_HYPERPARAMETERS[envId], ...opts.hyperparameters };
  const runDir = chooseRunFolder({
    envId,
    expName: opts.expName ?? DEFAULT_EXP_NAME,
    seed: hp.seed ?? 1,
    outDir: opts.outDir,
    resume: opts.resume,
  });
  const paths = runPaths(runDir);
  mkdirSync(paths.dir, { recursive: true });
  log(`run folder: ${paths.dir}`);
  const backend = await selectBackend(opts.backend);
  const envKwargs = {
    ...(checkpoint ? checkpoint.envKwargs : { ...ENV_DEFAULT_ENV_KWARGS[envId], ...opts.envKwargs }),
    ...opts.envOverrides,
  };
  const numEnvs = hp.numEnvs ?? 4;
  const { envs, recorders } = buildVectorEnv(
    envId,
    envKwargs,
    opts.vectorMode,
    numEnvs,
    opts.captureVideo ? paths.videos : null,
  );
  const where = checkpoint ? `the checkpoint ${opts.resume}` : "the agent config";
  const clipFlags = opts.clipPrior ?? {};
  // With --clip-* flags the default agent keeps its prior slot (the flags fill it); on a real
  // dataset without them, envDefaultAgent drops the synthetic-shapes prior.
  const withClip = clipFlags.clipImageEncoder !== undefined || clipFlags.clipTextEncoder !== undefined;
  const envDefault = withClip ? ENV_DEFAULT_AGENTS[envId] : envDefaultAgent(envId, envKwargs, log);
  const baseConfig = checkpoint?.agent ?? opts.agent ?? envDefault ?? defaultAgentConfig(envs.singleObservationSpace);
  const agentConfig = withClipPriorFlags(baseConfig, clipFlags, where, checkpoint === null);
  const prior = await openClipPrior(agentConfig, where).catch(async (err: unknown) => {
    await envs.close();
    throw err;
  });
  const agent = createAgent(agentConfig, envs.singleObservationSpace, envs.singleActionSpace, hp.seed ?? 1, prior);
  const trainer = new PpoTrainer({ envs, agent, hyperparameters: hp });
  const config = { ...(opts.config ?? {}), envId, outDir: paths.dir };
  writeJsonAtomic(paths.config, config);
  const ctx = { envId, envKwargs, vectorMode: opts.vectorMode, recorders, meta: { backend: backend.backend, config } };
  if (checkpoint) {
    const { exact } = await resumeFromCheckpoint(trainer, checkpoint, recorders, envs.singleObservationSpace);
    log(
      `resumed from ${opts.resume} at iteration ${trainer.iteration} (step ${trainer.globalStep})${exact ? "" : "; envs were reset (exact replay needs --vector-mode sync)"}`,
    );
  } else {
    await trainer.start();
  }
  const metrics = new MetricsLog(paths.metricsJsonl, paths.metricsCsv, checkpoint ? trainer.iteration : null);
  const tensorboard = opts.track === "tensorboard" ? new TensorBoardWriter(paths.dir) : null;
  if (tensorboard)
    log(`TensorBoard events: ${tensorboard.path} (view with: tensorboard --logdir ${dirname(paths.dir)})`);
  const evalEvery = opts.evalEvery ?? 0;
  const evaluator = evalEvery > 0 ? new PeriodicEvaluator(envId, envKwargs, agent, opts.evalEpisodes ?? 10) : null;
  if (evaluator) {
    const where =
      evaluator.heldOut === null ? "the env's own episodes" : `held-out images ${JSON.stringify(evaluator.heldOut)}`;
    log(
      `evaluating the greedy policy every ${evalEvery} iterations on ${evaluator.episodes} episodes (${where}); best -> ${paths.best}`,
    );
  }
  let bestScore =
    checkpoint && typeof checkpoint.meta["bestEvalScore"] === "number"
      ? (checkpoint.meta["bestEvalScore"] as number)
      : -Infinity;
  log(
    `training ${agentConfig.kind} agent (${agent.params.count} parameters) on ${envId} x${numEnvs} (${opts.vectorMode}), backend ${backend.backend}, ${trainer.hp.numIterations} iterations of ${trainer.hp.batchSize} steps`,
  );

  let stop = false;
  const onSigint = (): void => {
    if (stop) process.exit(130);
    stop = true;
    log("\ninterrupt: finishing the current iteration and saving a checkpoint (Ctrl-C again to quit now)");
  };
  process.on("SIGINT", onSigint);
  const total = trainer.hp.numIterations * trainer.hp.batchSize;
  const bar =
    opts.progress && process.stdout.isTTY === true
      ? new SingleBar({
          format: "{bar} {percentage}% | {value}/{total} steps | {sps} SPS | return {ret} {iou}| ETA {eta_formatted}",
          hideCursor: true,
          etaBuffer: 20,
        })
      : null;
  bar?.start(total, trainer.globalStep, { sps: "-", ret: "-", iou: "" });
  const recentReturns: number[] = [];
  const recentIou: number[] = [];
  const capture = (path: string): void =>
    saveCheckpoint(path, captureCheckpoint(trainer, { ...ctx, meta: { ...ctx.meta, bestEvalScore: bestScore } }));
  const save = (): void => capture(paths.checkpoint);
  try {
    while (!trainer.done && !stop) {
      const it = await trainer.iterate();
      const row = rowOf(it);
      if (evaluator && trainer.iteration % evalEvery === 0) {
        const ev = await evaluator.run();
        Object.assign(row, {
          "eval/episodic_return": ev.meanReturn,
          "eval/episodic_length": ev.meanLength,
          "eval/final_iou": ev.finalIou,
          "eval/final_dice": ev.finalDice,
        });
        const score = evalScore(ev);
        const better = score > bestScore;
        if (better) bestScore = score;
        const line = `eval at step ${trainer.globalStep}: return ${ev.meanReturn.toFixed(2)}${ev.finalIou === null ? "" : `, final IoU ${ev.finalIou.toFixed(3)}`}${better ? " (best so far, saved best.bin)" : ""}`;
        if (bar) bar.stop();
        log(line);
        if (better) capture(paths.best);
        if (bar) bar.start(total, trainer.globalStep, { sps: "-", ret: "-", iou: "" });
      }
      metrics.append(row);
      tensorboard?.addScalars(it.globalStep, scalarsOf(row));
      for (const e of it.episodes) {
        recentReturns.push(e.r);
        if (e.info["iou"] !== undefined) recentIou.push(e.info["iou"]);
      }
      recentReturns.splice(0, Math.max(0, recentReturns.length - 100));
      recentIou.splice(0, Math.max(0, recentIou.length - 100));
      const ret = mean(recentReturns);
      const iou = mean(recentIou);
      if (bar)
        bar.update(trainer.globalStep, {
          sps: Math.round(it.sps),
          ret: ret === null ? "-" : ret.toFixed(2),
          iou: iou === null ? "" : `| IoU ${iou.toFixed(3)} `,
        });
      else log(iterationLine(it, trainer.hp.numIterations, ret, iou));
      if (trainer.iteration % opts.plotEvery === 0) writeLearningCurves(metrics, paths.curves, envId);
      if (trainer.iteration % opts.checkpointEvery === 0) save();
      // Sync envs resolve their promises immediately, so the loop would never leave the microtask
      // queue; yield once per iteration so that SIGINT (and timers) get handled.
      await new Promise((r) => setImmediate(r));
    }
    save();
    writeLearningCurves(metrics, paths.curves, envId);
  } finally {
    bar?.stop();
    process.off("SIGINT", onSigint);
    tensorboard?.close();
    await evaluator?.close();
    trainer.dispose();
    agent.dispose();
    await prior?.dispose();
    await envs.close();
  }
  const last = mean(recentReturns);
  log(
    `${stop ? "interrupted" : "done"} at iteration ${trainer.iteration}/${trainer.hp.numIterations} (${trainer.globalStep} steps); mean return of the last ${recentReturns.length} episodes: ${last === null ? "-" : last.toFixed(2)}`,
  );
  log(`checkpoint: ${paths.checkpoint}`);
  if (evaluator) log(`best checkpoint (held-out eval score ${bestScore.toFixed(3)}): ${paths.best}`);
  log(`learning curves: ${paths.curves}`);
  log(`metrics: ${paths.metricsJsonl}, ${paths.metricsCsv}`);
  if (opts.captureVideo) log(`videos: ${paths.videos}`);
  log(`run folder: ${paths.dir}`);
  return { iterations: trainer.iteration, interrupted: stop, runDir: paths.dir };
}

/** The TensorBoard scalars of a metrics row: every tag except the step counters. */
function scalarsOf(row: MetricsRow): Record<string, number | null> {
  const { iteration: _i, global_step: _g, ...scalars } = row;
  return scalars;
}
