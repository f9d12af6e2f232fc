// Per-env defaults of `alignsam-gym train`: hyperparameters and the agent when none is given.
import type { AgentConfig, PpoHyperparameters } from "../ppo";

/** Per-env defaults: CleanRL's for CartPole; a CPU-sized budget for SamSegEnv (<= 10 min on 2 cores). */
export const ENV_DEFAULT_HYPERPARAMETERS: Record<string, Partial<PpoHyperparameters>> = {
  "SamSegEnv-v0": {
    totalTimesteps: 6_144,
    numEnvs: 8,
    numSteps: 16,
    learningRate: 1e-3,
    numMinibatches: 4,
    updateEpochs: 4,
    entCoef: 0.01,
    gamma: 0.99,
  },
};

/**
 * Per-env default agents: for SamSegEnv-v0 the CPU-sized explicit agent with the bundled
 * synthetic-shapes prior (the stand-in for the reference's CLIP-Surgery prior: a map of where
 * the target category is), reading the geodesic segmenter's 8 summary channels pooled to 16x16,
 * with the spatial click head (which reads the prior map too), category planes, the
 * agent-side no-repeat rule on click patches (never the same patch twice in an episode), and the
 * prior-vs-mask disagreement planes with their trainable skip into the click logits (gain 10 at
 * the start: the untrained policy already clicks where prior and mask disagree; PPO refines it).
 */
export const ENV_DEFAULT_AGENTS: Record<string, AgentConfig> = {
  "SamSegEnv-v0": {
    kind: "explicit",
    priorProvider: "synthetic-shapes",
    inputGrid: [16, 16],
    embeddingChannels: 8,
    hidden: 128,
    actorHead: "spatial",
    spatialFilters: 32,
    patchLogits: "bilinear",
    noRepeat: "patch",
    correctionPlanes: "difference",
    correctionGain: 10,
  },
};

/**
 * Per-env default options of the env `train` makes (under `--env-kwargs`, which wins): SamSegEnv-v0
 * trains on the dice-gain reward (each click is rewarded by how much it moved the soft Dice, so
 * an episode's return is its final Dice). The reference reward stays one flag away:
 * `--env-kwargs '{"reward": "alignsam"}'` (see docs/07's ablation).
 */
export const ENV_DEFAULT_ENV_KWARGS: Record<string, Record<string, unknown>> = {
  "SamSegEnv-v0": { reward: "dice-gain" },
};

/**
 * The env's default agent for these env options: {@link ENV_DEFAULT_AGENTS}, except that on a real
 * dataset (a `dataset` spec other than synthetic) the bundled synthetic-shapes prior knows none of
 * the categories, so SamSegEnv-v0's explicit agent runs without a prior (the implicit stream)
 * until a semantic prior is configured.
 */
export function envDefaultAgent(
  envId: string,
  envKwargs: Record<string, unknown>,
  log: (line: string) => void = () => {},
): AgentConfig | undefined {
  const config = ENV_DEFAULT_AGENTS[envId];
  const dataset = envKwargs.dataset as { kind?: unknown } | undefined;
  if (
    config?.kind !== "explicit" ||
    config.priorProvider !== "synthetic-shapes" ||
    dataset === undefined ||
    dataset.kind === "synthetic"
  )
    return config;
  const { priorProvider: _synthetic, correctionPlanes: _planes, correctionGain: _gain, ...rest } = config;
  log(
    "real dataset: the default explicit agent runs without a semantic prior (the synthetic-shapes prior knows only the synthetic shapes)",
  );
  return rest;
}
