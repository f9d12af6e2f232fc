import { InvalidArgumentError } from "../core/errors";

/**
 * PPO hyperparameters, named as CleanRL's `ppo.py` arguments (camelCase here, kebab-case on the
 * command line: `learningRate` <-> `--learning-rate`).
 */
export interface PpoHyperparameters {
  /** Total env steps over all envs (500000). */
  totalTimesteps: number;
  /** Adam learning rate at iteration 1 (2.5e-4). */
  learningRate: number;
  /** Parallel envs (4). */
  numEnvs: number;
  /** Steps per env per rollout (128). */
  numSteps: number;
  /** Linearly anneal the learning rate to 0 over the iterations (true). */
  annealLr: boolean;
  /** Discount (0.99). */
  gamma: number;
  /** GAE lambda (0.95). */
  gaeLambda: number;
  /** Minibatches per epoch (4). */
  numMinibatches: number;
  /** Epochs over each rollout (4). */
  updateEpochs: number;
  /** Normalise advantages per minibatch (true). */
  normAdv: boolean;
  /** Surrogate clipping coefficient (0.2). */
  clipCoef: number;
  /** Clip the value loss around the old values (true). */
  clipVloss: boolean;
  /** Entropy bonus coefficient (0.01). */
  entCoef: number;
  /** Value loss coefficient (0.5). */
  vfCoef: number;
  /** Global gradient-norm clipping threshold (0.5). */
  maxGradNorm: number;
  /** Stop the epochs of an update early when approx-KL exceeds this (null: never). */
  targetKl: number | null;
  /** Adam epsilon (1e-5, as CleanRL). */
  adamEpsilon: number;
  /** Seed of env resets, action sampling, minibatch shuffling and weight init (1). */
  seed: number;
}

/** CleanRL ppo.py's defaults. */
export const CLEANRL_PPO_DEFAULTS: Readonly<PpoHyperparameters> = Object.freeze({
  totalTimesteps: 500_000,
  learningRate: 2.5e-4,
  numEnvs: 4,
  numSteps: 128,
  annealLr: true,
  gamma: 0.99,
  gaeLambda: 0.95,
  numMinibatches: 4,
  updateEpochs: 4,
  normAdv: true,
  clipCoef: 0.2,
  clipVloss: true,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  targetKl: null,
  adamEpsilon: 1e-5,
  seed: 1,
});

/** Sizes derived from the hyperparameters (CleanRL's runtime-computed arguments). */
export interface PpoSizes {
  /** numEnvs * numSteps. */
  batchSize: number;
  /** batchSize / numMinibatches. */
  minibatchSize: number;
  /** floor(totalTimesteps / batchSize). */
  numIterations: number;
}

/**
 * Fill in CleanRL's defaults and validate.
 * @throws InvalidArgumentError naming the first bad value (also when numMinibatches does not
 * divide numEnvs * numSteps, or the budget is smaller than one batch).
 */
export function resolveHyperparameters(overrides: Partial<PpoHyperparameters> = {}): PpoHyperparameters & PpoSizes {
  const h: PpoHyperparameters = { ...CLEANRL_PPO_DEFAULTS, ...stripUndefined(overrides) };
  const positiveInt = ["totalTimesteps", "numEnvs", "numSteps", "numMinibatches", "updateEpochs"] as const;
  for (const k of positiveInt) {
    if (!Number.isSafeInteger(h[k]) || h[k] <= 0)
      throw new InvalidArgumentError(`${k} must be a positive integer, got ${h[k]}`);
  }
  for (const k of ["gamma", "gaeLambda"] as const) {
    if (!(h[k] >= 0 && h[k] <= 1)) throw new InvalidArgumentError(`${k} must be in [0, 1], got ${h[k]}`);
  }
  for (const k of ["learningRate", "clipCoef", "maxGradNorm", "adamEpsilon"] as const) {
    if (!(h[k] > 0 && Number.isFinite(h[k])))
      throw new InvalidArgumentError(`${k} must be a positive number, got ${h[k]}`);
  }
  for (const k of ["entCoef", "vfCoef"] as const) {
    if (!(h[k] >= 0 && Number.isFinite(h[k])))
      throw new InvalidArgumentError(`${k} must be a non-negative number, got ${h[k]}`);
  }
  if (h.targetKl !== null && !(h.targetKl > 0))
    throw new InvalidArgumentError(`targetKl must be null or > 0, got ${h.targetKl}`);
  if (!Number.isSafeInteger(h.seed) || h.seed < 0)
    throw new InvalidArgumentError(`seed must be a non-negative integer, got ${h.seed}`);
  const batchSize = h.numEnvs * h.numSteps;
  if (batchSize % h.numMinibatches !== 0) {
    throw new InvalidArgumentError(
      `numMinibatches (${h.numMinibatches}) must divide numEnvs * numSteps (${batchSize})`,
    );
  }
  const numIterations = Math.floor(h.totalTimesteps / batchSize);
  if (numIterations < 1) {
    throw new InvalidArgumentError(
      `totalTimesteps (${h.totalTimesteps}) is smaller than one batch (numEnvs * numSteps = ${batchSize})`,
    );
  }
  return { ...h, batchSize, minibatchSize: batchSize / h.numMinibatches, numIterations };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
