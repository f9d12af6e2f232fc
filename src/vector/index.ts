// Vector environments (Gymnasium's gymnasium.vector): batches of sub-envs stepped together,
// in this thread (SyncVectorEnv) or in worker threads (AsyncVectorEnv), with Gymnasium 1.x
// autoreset semantics, plus vector wrappers.
export { AutoresetMode, parseAutoresetMode } from "./autoreset-mode";
export type { Infos, VectorMetadata, VectorResetOptions, VectorStepOptions, VectorStepResult } from "./types";
export { addInfo } from "./batch-infos";
export { VectorEnv } from "./vector-env";
export { SyncVectorEnv } from "./sync-vector-env";
export type { SyncVectorEnvOptions } from "./sync-vector-env";
export { AsyncVectorEnv } from "./async-vector-env";
export type { AsyncVectorEnvOptions } from "./async-vector-env";
export type { VectorEnvSpec, RegistryEnvSpec, ModuleEnvSpec } from "./env-spec";
export { VectorWrapper } from "./vector-wrapper";
export { VectorRecordEpisodeStatistics } from "./record-episode-statistics";
export type { VectorRecordEpisodeStatisticsOptions } from "./record-episode-statistics";
export { VectorTransformReward } from "./transform-reward";
export { VectorNormalizeReward } from "./normalize-reward";
export type { VectorNormalizeRewardOptions } from "./normalize-reward";
export { checkVectorEnv } from "./check-vector-env";
export type { CheckVectorEnvOptions, VectorEnvCheckReport } from "./check-vector-env";
