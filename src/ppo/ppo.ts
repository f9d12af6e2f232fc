import * as tf from "@tensorflow/tfjs";
import { performance } from "node:perf_hooks";
import type { Space } from "../core/space";
import { Rng } from "../core/rng";
import type { RngState } from "../core/rng";
import { InvalidArgumentError } from "../core/errors";
import type { ActorCritic } from "./agent";
import { Adam } from "./adam";
import type { AdamState } from "./adam";
import { sampleCategorical } from "./categorical";
import { computeGae } from "./gae";
import { ppoLossGradient } from "./ppo-loss";
import { resolveHyperparameters } from "./hyperparameters";
import type { PpoHyperparameters, PpoSizes } from "./hyperparameters";
import { discreteSize, discreteStart } from "./observation-features";

/**
 * The part of a vector env PPO uses (satisfied by SyncVectorEnv / AsyncVectorEnv with the
 * default NEXT_STEP autoreset): Discrete actions, any observations the agent can featurize.
 */
export interface PpoVectorEnv {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space;
  readonly singleActionSpace: Space;
  reset(opts?: { seed?: number | number[] }): Promise<[unknown, Record<string, unknown>]>;
  step(actions: Int32Array): Promise<[unknown, ArrayLike<number>, ArrayLike<boolean>, ArrayLike<boolean>, Record<string, unknown>]>;
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

/** What one PPO iteration logged: CleanRL's scalars plus episodes and timing. */
export interface IterationLog {
  iteration: number;
  globalStep: number;
  learningRate: number;
  /** losses/value_loss, policy_loss, entropy, old_approx_kl, approx_kl (last minibatch, as CleanRL). */
  valueLoss: number;
  policyLoss: number;
  entropy: number;
  oldApproxKl: number;
  approxKl: number;
  /** Mean over all minibatches of the fraction of clipped ratios. */
  clipfrac: number;
  /** 1 - Var(returns - values) / Var(returns) over the rollout (NaN when Var(returns) = 0). */
  explainedVariance: number;
  /** Steps per second since training (or the resume) started. */
  sps: number;
  /** Episodes that ended in this iteration's rollout. */
  episodes: EpisodeRecord[];
  /** Epochs actually run (fewer than updateEpochs when targetKl stopped the update). */
  epochs: number;
  time: TimeSplit;
}

/** Everything needed to continue training exactly where it stopped (see checkpoint.ts). */
export interface PpoTrainerState {
  /** Iterations completed. */
  iteration: number;
  globalStep: number;
  actionRng: RngState;
  shuffleRng: RngState;
  optimizer: AdamState;
  /** Per env: whether its next row is a NEXT_STEP reset row (its last step ended an episode). */
  nextResetRow: boolean[];
  /** Per env: return and length of the episode in progress. */
  episodeReturn: number[];
  episodeLength: number[];
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
 * JS from the agent's logits, one batched forward per step); GAE; updateEpochs epochs over
 * shuffled minibatches of the clipped surrogate, the clipped value loss and the entropy bonus,
 * with global-norm gradient clipping and Adam. The update keeps tfjs's tensor count constant.
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
  private readonly inputSize: number;
  private readonly episodeInfoKeys: string[];
  private readonly useFastForward: boolean;
  private actionRng: Rng;
  private shuffleRng: Rng;
  private started = false;
  private startTime = 0;
  private startStep = 0;
  // Rollout storage, [numSteps * numEnvs] rows (row t * numEnvs + i); allocated once.
  private readonly obs: Float32Array;
  private readonly actions: Int32Array;
  private readonly logProbs: Float32Array;
  private readonly values: Float32Array;
  private readonly rewards: Float32Array;
  private readonly terminated: Uint8Array;
  private readonly truncated: Uint8Array;
  private readonly resetRows: Uint8Array;
  private readonly gaeOut: { advantages: Float32Array; returns: Float32Array };
  // The current observation of every env and per-env episode bookkeeping.
  private readonly nextObs: Float32Array;
  private readonly nextResetRow: Uint8Array;
  private readonly episodeReturn: Float64Array;
  private readonly episodeLength: Int32Array;
  // Scratch buffers for one step / one minibatch.
  private readonly stepLogits: Float32Array;
  private readonly stepValues: Float32Array;
  private readonly stepActions: Int32Array;
  private readonly stepLogProbs: Float32Array;

  /** @throws InvalidArgumentError on bad hyperparameters or a non-Discrete action space. */
  constructor(opts: PpoTrainerOptions) {
    this.envs = opts.envs;
    this.agent = opts.agent;
    const overrides = { ...opts.hyperparameters };
    if (overrides.numEnvs === undefined) overrides.numEnvs = opts.envs.numEnvs;
    this.hp = resolveHyperparameters(overrides);
    if (this.hp.numEnvs !== opts.envs.numEnvs) {
      throw new InvalidArgumentError(`hyperparameters.numEnvs (${this.hp.numEnvs}) does not match the vector env (${opts.envs.numEnvs})`);
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
    const rows = T * N;
    this.inputSize = opts.agent.inputShape.reduce((a, b) => a * b, 1);
    this.obs = new Float32Array(rows * this.inputSize);
    this.actions = new Int32Array(rows);
    this.logProbs = new Float32Array(rows);
    this.values = new Float32Array(rows);
    this.rewards = new Float32Array(rows);
    this.terminated = new Uint8Array(rows);
    this.truncated = new Uint8Array(rows);
    this.resetRows = new Uint8Array(rows);
    this.gaeOut = { advantages: new Float32Array(rows), returns: new Float32Array(rows) };
    this.nextObs = new Float32Array(N * this.inputSize);
    this.nextResetRow = new Uint8Array(N);
    this.episodeReturn = new Float64Array(N);
    this.episodeLength = new Int32Array(N);
    this.stepLogits = new Float32Array(N * this.numActions);
    this.stepValues = new Float32Array(N);
    this.stepActions = new Int32Array(N);
    this.stepLogProbs = new Float32Array(N);
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

  /** Run one iteration: rollout, GAE, update. @throws InvalidArgumentError before start(). */
  async iterate(): Promise<IterationLog> {
    if (!this.started) throw new InvalidArgumentError("PpoTrainer.iterate() called before start()");
    const iteration = this.iteration + 1;
    const lr = this.learningRateAt(iteration);
    const time: TimeSplit = { rolloutForward: 0, envStep: 0, gae: 0, update: 0 };
    const episodes = await this.rollout(time);

    let t0 = performance.now();
    const nextValues = new Float32Array(this.hp.numEnvs);
    this.policyStep(this.nextObs, null, nextValues);
    const gae = computeGae(
      {
        numSteps: this.hp.numSteps, numEnvs: this.hp.numEnvs, rewards: this.rewards, values: this.values,
        terminated: this.terminated, truncated: this.truncated, resetRows: this.resetRows, nextValues,
        gamma: this.hp.gamma, gaeLambda: this.hp.gaeLambda,
      },
      this.gaeOut,
    );
    time.gae = performance.now() - t0;

    t0 = performance.now();
    const stats = this.update(gae.advantages, gae.returns, lr);
    this.agent.syncFastForward?.();
    time.update = performance.now() - t0;

    this.iteration = iteration;
    const elapsed = (performance.now() - this.startTime) / 1000;
    return {
      iteration,
      globalStep: this.globalStep,
      learningRate: lr,
      ...stats,
      explainedVariance: explainedVariance(this.values, gae.returns, this.resetRows),
      sps: (this.globalStep - this.startStep) / Math.max(elapsed, 1e-9),
      episodes,
      time,
    };
  }

  /**
   * One batched policy evaluation of `x` `[numEnvs, input]`: values always, and actions/log-probs
   * (sampled with the action RNG) into the step buffers when `sample` is given.
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
    if (sample !== null) sampleCategorical(this.stepLogits, N, this.numActions, sample.rng, this.stepActions, this.stepLogProbs);
  }

  /** Collect numSteps vector steps into the rollout buffers; returns the episodes that ended. */
  private async rollout(time: TimeSplit): Promise<EpisodeRecord[]> {
    const { numSteps: T, numEnvs: N } = this.hp;
    const episodes: EpisodeRecord[] = [];
    const envActions = new Int32Array(N);
    for (let t = 0; t < T; t++) {
      const row = t * N;
      this.obs.set(this.nextObs, row * this.inputSize);
      let t0 = performance.now();
      this.policyStep(this.nextObs, { rng: this.actionRng }, this.stepValues);
      time.rolloutForward += performance.now() - t0;
      for (let i = 0; i < N; i++) {
        this.resetRows[row + i] = this.nextResetRow[i] as number;
        this.actions[row + i] = this.stepActions[i] as number;
        this.logProbs[row + i] = this.stepLogProbs[i] as number;
        this.values[row + i] = this.stepValues[i] as number;
        envActions[i] = (this.stepActions[i] as number) + this.actionStart;
      }
      t0 = performance.now();
      const [obs, reward, terminated, truncated, infos] = await this.envs.step(envActions);
      time.envStep += performance.now() - t0;
      this.globalStep += N;
      for (let i = 0; i < N; i++) {
        const k = row + i;
        const r = reward[i] as number;
        const term = terminated[i] ? 1 : 0;
        const trunc = truncated[i] ? 1 : 0;
        this.rewards[k] = r;
        this.terminated[k] = term;
        this.truncated[k] = trunc;
        if (!this.nextResetRow[i]) {
          this.episodeReturn[i] = (this.episodeReturn[i] as number) + r;
          this.episodeLength[i] = (this.episodeLength[i] as number) + 1;
        }
        if (term || trunc) {
          episodes.push({ r: this.episodeReturn[i] as number, l: this.episodeLength[i] as number, info: finalInfo(infos, i, this.episodeInfoKeys) });
          this.episodeReturn[i] = 0;
          this.episodeLength[i] = 0;
        }
        this.nextResetRow[i] = term || trunc;
      }
      t0 = performance.now();
      await this.agent.featurize(obs, N, this.nextObs);
      time.envStep += performance.now() - t0;
    }
    return episodes;
  }

  /** updateEpochs epochs of minibatch PPO updates; returns CleanRL's logged loss scalars. */
  private update(advantages: Float32Array, returns: Float32Array, lr: number): Omit<IterationLog, "iteration" | "globalStep" | "learningRate" | "explainedVariance" | "sps" | "episodes" | "time"> {
    const { batchSize, minibatchSize: M, updateEpochs } = this.hp;
    const F = this.inputSize;
    const mbObs = new Float32Array(M * F);
    const mbActions = new Int32Array(M);
    const mbLogProbs = new Float32Array(M);
    const mbAdvantages = new Float32Array(M);
    const mbReturns = new Float32Array(M);
    const mbValues = new Float32Array(M);
    const mbMask = new Float32Array(M);
    const variables = this.agent.params.variables();
    const buffers: LossBuffers = {
      weights: new Float32Array(M), dLogits: new Float64Array(M * this.numActions), dValues: new Float64Array(M),
      dLogits32: new Float32Array(M * this.numActions), dValues32: new Float32Array(M),
    };
    let last: Float32Array = new Float32Array(6);
    let clipfracSum = 0;
    let minibatches = 0;
    let epochs = 0;
    for (let epoch = 0; epoch < updateEpochs; epoch++) {
      epochs++;
      const order = this.shuffleRng.permutation(batchSize);
      for (let start = 0; start < batchSize; start += M) {
        let count = 0;
        for (let j = 0; j < M; j++) {
          const k = order[start + j] as number;
          mbObs.set(this.obs.subarray(k * F, (k + 1) * F), j * F);
          mbActions[j] = this.actions[k] as number;
          mbLogProbs[j] = this.logProbs[k] as number;
          mbAdvantages[j] = advantages[k] as number;
          mbReturns[j] = returns[k] as number;
          mbValues[j] = this.values[k] as number;
          mbMask[j] = this.resetRows[k] ? 0 : 1;
          count += mbMask[j] as number;
        }
        if (count === 0) continue;
        if (this.hp.normAdv) normalizeMasked(mbAdvantages, mbMask, count);
        for (let j = 0; j < M; j++) buffers.weights[j] = (mbMask[j] as number) / count;
        const stats = this.minibatchStep(buffers, mbObs, mbActions, mbLogProbs, mbAdvantages, mbReturns, mbValues, variables, lr);
        last = stats;
        clipfracSum += stats[5] as number;
        minibatches++;
      }
      if (this.hp.targetKl !== null && (last[4] as number) > this.hp.targetKl) break;
    }
    return {
      policyLoss: last[0] as number,
      valueLoss: last[1] as number,
      entropy: last[2] as number,
      oldApproxKl: last[3] as number,
      approxKl: last[4] as number,
      clipfrac: minibatches > 0 ? clipfracSum / minibatches : 0,
      epochs,
    };
  }

  /**
   * One gradient step on a minibatch; returns [policy loss, value loss, entropy, old approx-KL,
   * approx-KL, clipfrac] (means over the unmasked rows, weighted by `buf.weights` = mask / count).
   *
   * The network runs in tfjs; the PPO loss and its gradient with respect to the network's
   * outputs are computed in plain JS ({@link ppoLossGradient}: at minibatch sizes, dozens of
   * tiny tfjs ops cost far more than the arithmetic), and tfjs backpropagates them through the
   * network via the surrogate sum(logits * dLogits) + sum(values * dValues), whose parameter
   * gradient is exactly the loss's. Then global-norm clipping and Adam, in tfjs.
   */
  private minibatchStep(
    buf: LossBuffers, obs: Float32Array, actions: Int32Array, oldLogProbs: Float32Array, advantages: Float32Array,
    returns: Float32Array, oldValues: Float32Array, variables: tf.Variable[], lr: number,
  ): Float32Array {
    const M = actions.length;
    const n = this.numActions;
    let stats: Float32Array = new Float32Array(6);
    tf.tidy(() => {
      const x = tf.tensor(obs, [M, ...this.agent.inputShape]);
      const { grads } = tf.variableGrads(() => {
        const { logits, values } = this.agent.forward(x);
        stats = ppoLossGradient(
          { rows: M, numActions: n, logits: logits.dataSync() as Float32Array, values: values.dataSync() as Float32Array, actions, oldLogProbs, oldValues, advantages, returns, weights: buf.weights },
          this.hp, buf.dLogits, buf.dValues,
        );
        buf.dLogits32.set(buf.dLogits);
        buf.dValues32.set(buf.dValues);
        return tf.add(tf.sum(tf.mul(logits, tf.tensor2d(buf.dLogits32, [M, n]))), tf.sum(tf.mul(values, tf.tensor1d(buf.dValues32)))) as tf.Scalar;
      }, variables);
      const flat = this.optimizer.flatten(variables.map((v) => grads[v.name] as tf.Tensor));
      // Global-norm clipping (torch.nn.utils.clip_grad_norm_): scale = min(1, max / (norm + 1e-6)).
      const norm = tf.sqrt(tf.sum(tf.square(flat)));
      const scale = tf.minimum(tf.div(this.hp.maxGradNorm, tf.add(norm, 1e-6)), 1);
      this.optimizer.applyFlat(tf.mul(flat, scale), lr);
    });
    return stats;
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
    };
  }

  /** Restore a snapshot from {@link getState} (call before {@link start}). */
  setState(state: PpoTrainerState): void {
    const N = this.hp.numEnvs;
    if (state.nextResetRow.length !== N || state.episodeReturn.length !== N || state.episodeLength.length !== N) {
      throw new InvalidArgumentError(`trainer state is for ${state.nextResetRow.length} envs, this trainer has ${N}`);
    }
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

/** Per-minibatch buffers of the loss (allocated once per update). */
interface LossBuffers {
  /** Row weights mask / count [M]. */
  weights: Float32Array;
  /** dLoss/dlogits [M, numActions] and dLoss/dvalues [M], and their float32 copies for upload. */
  dLogits: Float64Array;
  dValues: Float64Array;
  dLogits32: Float32Array;
  dValues32: Float32Array;
}

/** In place: (x - mean) / (std + 1e-8) over the rows with mask 1 (unbiased std, as torch). */
function normalizeMasked(x: Float32Array, mask: Float32Array, count: number): void {
  let mean = 0;
  for (let j = 0; j < x.length; j++) mean += (x[j] as number) * (mask[j] as number);
  mean /= count;
  let sq = 0;
  for (let j = 0; j < x.length; j++) if (mask[j]) sq += ((x[j] as number) - mean) ** 2;
  const std = count > 1 ? Math.sqrt(sq / (count - 1)) : 0;
  for (let j = 0; j < x.length; j++) x[j] = mask[j] ? ((x[j] as number) - mean) / (std + 1e-8) : 0;
}

/** CleanRL's explained variance over the unmasked rows. */
function explainedVariance(pred: Float32Array, target: Float32Array, resetRows: Uint8Array): number {
  let n = 0, my = 0, md = 0;
  for (let k = 0; k < pred.length; k++) {
    if (resetRows[k]) continue;
    n++;
    my += target[k] as number;
    md += (target[k] as number) - (pred[k] as number);
  }
  if (n === 0) return NaN;
  my /= n;
  md /= n;
  let vy = 0, vd = 0;
  for (let k = 0; k < pred.length; k++) {
    if (resetRows[k]) continue;
    vy += ((target[k] as number) - my) ** 2;
    vd += ((target[k] as number) - (pred[k] as number) - md) ** 2;
  }
  return vy === 0 ? NaN : 1 - vd / vy;
}

/** Numeric values of `keys` that env i supplied in a vector env's infos (dict of arrays + `_key` masks). */
function finalInfo(infos: Record<string, unknown>, i: number, keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of keys) {
    const values = infos[key] as ArrayLike<unknown> | undefined;
    const mask = infos[`_${key}`] as ArrayLike<unknown> | undefined;
    if (values === undefined || (mask !== undefined && !mask[i])) continue;
    const v = values[i];
    if (typeof v === "number" && Number.isFinite(v)) out[key] = v;
  }
  return out;
}
