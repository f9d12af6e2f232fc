// Vector environments (Gymnasium's gymnasium.vector): batches of sub-envs stepped together,
// in this thread (SyncVectorEnv) or in worker threads (AsyncVectorEnv), with Gymnasium 1.x
// autoreset semantics, plus vector wrappers.
export { AutoresetMode, parseAutoresetMode } from "./autoreset-mode";
export type { Infos, VectorMetadata, VectorResetOptions, VectorStepOptions, VectorStepResult } from "./types";
export { addInfo } from "./batch-infos";
export { VectorEnv } from "./vector-env";
export { SyncVectorEnv } from "./sync-vector-env";
export type { SyncVectorEnvOptions } from "./sync-vector-env";
export { AsyncVectorEnv } from "./async/async-vector-env";
export type { AsyncVectorEnvOptions } from "./async/async-vector-env-options";
export type { VectorEnvSpec, RegistryEnvSpec, ModuleEnvSpec } from "./async/env-spec";
export { VectorWrapper } from "./wrappers/vector-wrapper";
export { VectorRecordEpisodeStatistics } from "./wrappers/record-episode-statistics";
export type { VectorRecordEpisodeStatisticsOptions } from "./wrappers/record-episode-statistics";
export { VectorTransformReward } from "./wrappers/transform-reward";
export { VectorNormalizeReward } from "./wrappers/normalize-reward";
export type { VectorNormalizeRewardOptions } from "./wrappers/normalize-reward";
export { checkVectorEnv } from "./check-vector-env";
export type { CheckVectorEnvOptions, VectorEnvCheckReport } from "./check-vector-env";
