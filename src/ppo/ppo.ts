import * as tf from "@tensorflow/tfjs";
import { performance } from "node:perf_hooks";
import type { Space } from "../core/space";
import { Rng } from "../core/rng";
import { InvalidArgumentError } from "../core/errors";
import type { ActorCritic } from "./agents/agent";
import { Adam } from "./nn/adam";
import { sampleCategorical } from "./agents/categorical";
import { EpisodeActionMask } from "./agents/episode-action-mask";
import { computeGae } from "./gae";
import { resolveHyperparameters } from "./hyperparameters";
import type { PpoHyperparameters, PpoSizes } from "./hyperparameters";
import { explainedVariance } from "./masked-statistics";
import { discreteSize, discreteStart } from "./agents/observation-features";
import { PpoUpdate } from "./ppo-update";
import type { UpdateStats } from "./ppo-update";
import { RolloutBuffer } from "./rollout-buffer";
import { finalInfo } from "./episode-info";
import type { PpoTrainerState } from "./persist/trainer-state";

/**
 * The part of a vector env PPO uses (satisfied by SyncVectorEnv / AsyncVectorEnv with the
 * default NEXT_STEP autoreset): Discrete actions, any observations the agent can featurize.
 * The trainer reads each returned observation batch (through `agent.featurize`) before its next
 * call to the env, so a vector env made with `copy: false` is safe and saves a copy per step.
 */
export interface PpoVectorEnv {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space;
  readonly singleActionSpace: Space;
  reset(opts?: { seed?: number | number[] }): Promise<[unknown, Record<string, unknown>]>;
  step(
    actions: Int32Array,
  ): Promise<[unknown, ArrayLike<number>, ArrayLike<boolean>, ArrayLike<boolean>, Record<string, unknown>]>;
  close(): Promise<void>;
}

/** One finished episode seen during a rollout. */
export interface EpisodeRecord {
  /** Undiscounted return. */
  r: number;
  /** Length in steps. */
  l: number;
  /** Final values of the `episodeInfoKeys` found in the last step's infos (e.g. iou, dice). */
  info: Record<string, number>;
}

/** Wall time (ms) of the parts of one iteration. */
export interface TimeSplit {
  rolloutForward: number;
  envStep: number;
  gae: number;
  update: number;
}

/** What one PPO iteration logged: CleanRL's scalars (see {@link UpdateStats}) plus episodes and timing. */
export interface IterationLog extends UpdateStats {
  iteration: number;
  globalStep: number;
  learningRate: number;
  /** 1 - Var(returns - values) / Var(returns) over the rollout (NaN when Var(returns) = 0). */
  explainedVariance: number;
  /** Steps per second since training (or the resume) started. */
  sps: number;
  /** Episodes that ended in this iteration's rollout. */
  episodes: EpisodeRecord[];
  time: TimeSplit;
}

/** Options of {@link PpoTrainer}. */
export interface PpoTrainerOptions {
  envs: PpoVectorEnv;
  agent: ActorCritic;
  hyperparameters?: Partial<PpoHyperparameters>;
  /** Info keys whose value at an episode's last step is reported per episode (default iou, dice). */
  episodeInfoKeys?: string[];
  /** Use the agent's plain-JS forward during rollouts when it has one (default true). */
  fastRolloutForward?: boolean;
}

/**
 * Proximal Policy Optimisation (CleanRL `ppo.py`, discrete actions) in TensorFlow.js, with the
 * corrections CleanRL leaves out: truncated episodes are bootstrapped from V(final obs), and
 * NEXT_STEP reset rows (the step after an episode end, whose action the vector env ignored) are
 * masked out of every loss and of advantage normalisation.
 *
 * Each iteration: anneal the learning rate; collect numSteps x numEnvs steps (actions sampled in
 * JS from the agent's logits, one batched forward per step) into a {@link RolloutBuffer}; GAE;
 * then {@link PpoUpdate}. When the agent declares `noRepeatGroups`, actions are sampled from
 * the policy restricted by an {@link EpisodeActionMask} of the env's current episode, and the
 * update uses the same masked policy. The update keeps tfjs's tensor count constant.
 *
 * @example
 * ```ts
 * const envs = makeVec("CartPole-v1", 4);
 * const agent = new MlpAgent(envs.singleObservationSpace, envs.singleActionSpace, { kind: "mlp" }, 1);
 * const ppo = new PpoTrainer({ envs, agent, hyperparameters: { totalTimesteps: 50_000 } });
 * await ppo.start();
 * while (!ppo.done) console.log((await ppo.iterate()).episodes);
 * ```
 */
export class PpoTrainer {
  readonly hp: PpoHyperparameters & PpoSizes;
  readonly envs: PpoVectorEnv;
  readonly agent: ActorCritic;
  readonly optimizer: Adam;
  /** Iterations completed. */
  iteration = 0;
  /** Env steps taken (over all envs). */
  globalStep = 0;
  private readonly numActions: number;
  private readonly actionStart: number;
  private readonly episodeInfoKeys: string[];
  private readonly useFastForward: boolean;
  private readonly buffer: RolloutBuffer;
  private readonly updater: PpoUpdate;
  private readonly gaeOut: { advantages: Float32Array; returns: Float32Array };
  /** The agent's no-repeat memory of each env's current episode, or null. */
  private readonly actionMask: EpisodeActionMask | null;
  private actionRng: Rng;
  private shuffleRng: Rng;
  private started = false;
  private startTime = 0;
  private startStep = 0;
  // The current observation of every env and per-env episode bookkeeping.
  private readonly nextObs: Float32Array;
  private readonly nextResetRow: Uint8Array;
  private readonly episodeReturn: Float64Array;
  private readonly episodeLength: Int32Array;
  // Scratch buffers for one step.
  private readonly stepLogits: Float32Array;
  private readonly stepValues: Float32Array;
  private readonly stepActions: Int32Array;
  private readonly stepLogProbs: Float32Array;
  private readonly envActions: Int32Array;

  /** @throws InvalidArgumentError on bad hyperparameters or a non-Discrete action space. */
  constructor(opts: PpoTrainerOptions) {
    this.envs = opts.envs;
    this.agent = opts.agent;
    const overrides = { ...opts.hyperparameters };
    if (overrides.numEnvs === undefined) overrides.numEnvs = opts.envs.numEnvs;
    this.hp = resolveHyperparameters(overrides);
    if (this.hp.numEnvs !== opts.envs.numEnvs) {
      throw new InvalidArgumentError(
        `hyperparameters.numEnvs (${this.hp.numEnvs}) does not match the vector env (${opts.envs.numEnvs})`,
      );
    }
    this.numActions = discreteSize(opts.envs.singleActionSpace);
    this.actionStart = discreteStart(opts.envs.singleActionSpace);
    if (this.numActions !== opts.agent.numActions) {
      throw new InvalidArgumentError(`the agent has ${opts.agent.numActions} actions, the env ${this.numActions}`);
    }
    this.episodeInfoKeys = opts.episodeInfoKeys ?? ["iou", "dice"];
    this.useFastForward = (opts.fastRolloutForward ?? true) && opts.agent.fastForward !== undefined;
    const [actionRng, shuffleRng] = new Rng(this.hp.seed).spawn(2) as [Rng, Rng];
    this.actionRng = actionRng;
    this.shuffleRng = shuffleRng;
    this.optimizer = new Adam(opts.agent.params.variables(), { epsilon: this.hp.adamEpsilon });
    const { numSteps: T, numEnvs: N } = this.hp;
    const groups = opts.agent.noRepeatGroups ?? null;
    this.actionMask = groups !== null ? new EpisodeActionMask(N, this.numActions, groups) : null;
    const inputSize = opts.agent.inputShape.reduce((a, b) => a * b, 1);
    this.buffer = new RolloutBuffer({
      numSteps: T,
      numEnvs: N,
      inputSize,
      numActions: this.numActions,
      withActionMasks: this.actionMask !== null,
    });
    this.updater = new PpoUpdate(opts.agent, this.optimizer, this.hp, this.actionMask !== null);
    this.gaeOut = { advantages: new Float32Array(T * N), returns: new Float32Array(T * N) };
    this.nextObs = new Float32Array(N * inputSize);
    this.nextResetRow = new Uint8Array(N);
    this.episodeReturn = new Float64Array(N);
    this.episodeLength = new Int32Array(N);
    this.stepLogits = new Float32Array(N * this.numActions);
    this.stepValues = new Float32Array(N);
    this.stepActions = new Int32Array(N);
    this.stepLogProbs = new Float32Array(N);
    this.envActions = new Int32Array(N);
  }

  /** Whether all numIterations iterations are done. */
  get done(): boolean {
    return this.iteration >= this.hp.numIterations;
  }

  /** The learning rate of the next iteration (linear annealing: lr * (1 - (iter - 1) / numIterations)). */
  learningRateAt(iteration: number): number {
    if (!this.hp.annealLr) return this.hp.learningRate;
    return (1 - (iteration - 1) / this.hp.numIterations) * this.hp.learningRate;
  }

  /**
   * Reset the envs (seeded with hp.seed, as CleanRL) and read the first observations. When
   * resuming, call {@link setState} first and pass the observations of the restored envs.
   */
  async start(restoredObs?: unknown): Promise<void> {
    const obs = restoredObs ?? (await this.envs.reset({ seed: this.hp.seed }))[0];
    await this.agent.featurize(obs, this.hp.numEnvs, this.nextObs);
    this.agent.syncFastForward?.();
    this.started = true;
    this.startTime = performance.now();
    this.startStep = this.globalStep;
  }

  /**
   * Run one iteration: rollout, GAE, update. @throws InvalidArgumentError before start().
   *
   * One iteration of CleanRL's `for iteration in range(1, args.num_iterations + 1)` (ppo.py at
   * vwxyzjn/cleanrl fe8d8a0, lines 185-309), top-down in the same order:
   *   1. anneal the learning rate ............ ppo.py 186-189  (learningRateAt)
   *   2. rollout of numSteps x numEnvs ....... ppo.py 192-215  (rollout, below; policyStep = 197-202)
   *   3. bootstrap value + GAE ............... ppo.py 217-231  (gae.ts)
   *   4. flatten the batch ................... ppo.py 233-239  (the RolloutBuffer is stored flat)
   *   5. epochs of shuffled minibatches ...... ppo.py 241-292  (ppo-update.ts: normalised advantages
   *      261-262, clipped policy and value losses 264-285 in ppo-loss.ts, grad-norm clipping 289,
   *      Adam 290, target-KL stop 292)
   *   6. explained variance and logging ...... ppo.py 294-309  (the IterationLog; cli/metrics-log.ts writes it)
   */
  async iterate(): Promise<IterationLog> {
    if (!this.started) throw new InvalidArgumentError("PpoTrainer.iterate() called before start()");
    // 1. ppo.py 186-189: anneal the learning rate.
    const iteration = this.iteration + 1;
    const lr = this.learningRateAt(iteration);
    const time: TimeSplit = { rolloutForward: 0, envStep: 0, gae: 0, update: 0 };
    // 2. ppo.py 192-215: the rollout.
    const episodes = await this.rollout(time);
    const b = this.buffer;

    // 3. ppo.py 217-231: bootstrap from V(next obs), then GAE (also bootstrapping truncations).
    let t0 = performance.now();
    const nextValues = new Float32Array(this.hp.numEnvs);
    this.policyStep(this.nextObs, null, nextValues);
    const gae = computeGae(
      {
        numSteps: this.hp.numSteps,
        numEnvs: this.hp.numEnvs,
        rewards: b.rewards,
        values: b.values,
        terminated: b.terminated,
        truncated: b.truncated,
        resetRows: b.resetRows,
        nextValues,
        gamma: this.hp.gamma,
        gaeLambda: this.hp.gaeLambda,
      },
      this.gaeOut,
    );
    time.gae = performance.now() - t0;

    // 4-5. ppo.py 233-292: minibatch epochs over the (already flat) batch, clipped losses, Adam.
    t0 = performance.now();
    const stats = this.updater.run(b, gae.advantages, gae.returns, lr, this.shuffleRng);
    this.agent.syncFastForward?.();
    time.update = performance.now() - t0;

    // 6. ppo.py 294-309: explained variance and the logged scalars.
    this.iteration = iteration;
    const elapsed = (performance.now() - this.startTime) / 1000;
    return {
      iteration,
      globalStep: this.globalStep,
      learningRate: lr,
      ...stats,
      explainedVariance: explainedVariance(b.values, gae.returns, b.resetRows),
      sps: (this.globalStep - this.startStep) / Math.max(elapsed, 1e-9),
      episodes,
      time,
    };
  }

  /**
   * Collect numSteps vector steps into the rollout buffer; returns the episodes that ended
   * (ppo.py 192-215: store obs and done flags, act, step the envs, record rewards and episodes).
   */
  private async rollout(time: TimeSplit): Promise<EpisodeRecord[]> {
    const { numSteps: T, numEnvs: N } = this.hp;
    const b = this.buffer;
    const mask = this.actionMask;
    const episodes: EpisodeRecord[] = [];
    for (let t = 0; t < T; t++) {
      const row = t * N;
      b.obs.set(this.nextObs, row * b.inputSize);
      if (mask !== null && b.actionMasks !== null) b.actionMasks.set(mask.blocked, row * this.numActions);
      let t0 = performance.now();
      this.policyStep(this.nextObs, { rng: this.actionRng }, this.stepValues);
      time.rolloutForward += performance.now() - t0;
      for (let i = 0; i < N; i++) {
        const action = this.stepActions[i] as number;
        b.resetRows[row + i] = this.nextResetRow[i] as number;
        b.actions[row + i] = action;
        b.logProbs[row + i] = this.stepLogProbs[i] as number;
        b.values[row + i] = this.stepValues[i] as number;
        this.envActions[i] = action + this.actionStart;
        // A reset row's action is ignored by the env: it is not part of any episode.
        if (mask !== null && !this.nextResetRow[i]) mask.record(i, action);
      }
      t0 = performance.now();
      const [obs, reward, terminated, truncated, infos] = await this.envs.step(this.envActions);
      time.envStep += performance.now() - t0;
      this.globalStep += N;
      for (let i = 0; i < N; i++) {
        const k = row + i;
        const r = reward[i] as number;
        const term = terminated[i] ? 1 : 0;
        const trunc = truncated[i] ? 1 : 0;
        b.rewards[k] = r;
        b.terminated[k] = term;
        b.truncated[k] = trunc;
        if (!this.nextResetRow[i]) {
          this.episodeReturn[i] = (this.episodeReturn[i] as number) + r;
          this.episodeLength[i] = (this.episodeLength[i] as number) + 1;
        }
        if (term || trunc) {
          episodes.push({
            r: this.episodeReturn[i] as number,
            l: this.episodeLength[i] as number,
            info: finalInfo(infos, i, this.episodeInfoKeys),
          });
          this.episodeReturn[i] = 0;
          this.episodeLength[i] = 0;
          mask?.clear(i);
        }
        this.nextResetRow[i] = term || trunc;
      }
      t0 = performance.now();
      await this.agent.featurize(obs, N, this.nextObs);
      time.envStep += performance.now() - t0;
    }
    return episodes;
  }

  /**
   * One batched policy evaluation of `x` `[numEnvs, input]`: values always, and actions/log-probs
   * (sampled with the action RNG from the policy restricted by the action mask, when the agent
   * has one) into the step buffers when `sample` is given (ppo.py 197-202, get_action_and_value).
   */
  private policyStep(x: Float32Array, sample: { rng: Rng } | null, valuesOut: Float32Array): void {
    const N = this.hp.numEnvs;
    if (this.useFastForward) {
      (this.agent.fastForward as NonNullable<ActorCritic["fastForward"]>)(x, N, this.stepLogits, valuesOut);
    } else {
      tf.tidy(() => {
        const { logits, values } = this.agent.forward(tf.tensor(x, [N, ...this.agent.inputShape]));
        this.stepLogits.set(logits.dataSync() as Float32Array);
        valuesOut.set(values.dataSync() as Float32Array);
      });
    }
    if (sample === null) return;
    this.actionMask?.apply(this.stepLogits);
    sampleCategorical(this.stepLogits, N, this.numActions, sample.rng, this.stepActions, this.stepLogProbs);
  }

  /** A snapshot of the trainer (with the agent's weights saved separately, see checkpoint.ts). */
  getState(): PpoTrainerState {
    return {
      iteration: this.iteration,
      globalStep: this.globalStep,
      actionRng: this.actionRng.getState(),
      shuffleRng: this.shuffleRng.getState(),
      optimizer: this.optimizer.getState(),
      nextResetRow: Array.from(this.nextResetRow, (v) => v === 1),
      episodeReturn: Array.from(this.episodeReturn),
      episodeLength: Array.from(this.episodeLength),
      ...(this.actionMask !== null ? { takenActions: this.actionMask.getState() } : {}),
    };
  }

  /**
   * Restore a snapshot from {@link getState} (call before {@link start}).
   * @throws InvalidArgumentError when the snapshot is for another number of envs.
   */
  setState(state: PpoTrainerState): void {
    const N = this.hp.numEnvs;
    if (state.nextResetRow.length !== N || state.episodeReturn.length !== N || state.episodeLength.length !== N) {
      throw new InvalidArgumentError(`trainer state is for ${state.nextResetRow.length} envs, this trainer has ${N}`);
    }
    if (this.actionMask !== null) this.actionMask.setState(state.takenActions ?? Array.from({ length: N }, () => []));
    this.iteration = state.iteration;
    this.globalStep = state.globalStep;
    this.actionRng.setState(state.actionRng);
    this.shuffleRng.setState(state.shuffleRng);
    this.optimizer.setState(state.optimizer);
    state.nextResetRow.forEach((v, i) => (this.nextResetRow[i] = v ? 1 : 0));
    this.episodeReturn.set(state.episodeReturn);
    this.episodeLength.set(state.episodeLength);
  }

  /** Release the optimizer state (the agent and envs belong to the caller). */
  dispose(): void {
    this.optimizer.dispose();
  }
}
