import type { Space } from "../../core/space";
import { InvalidArgumentError } from "../../core/errors";
import type { ActorCritic, AgentConfig } from "./agent";
import { ExplicitAgent } from "./explicit-agent";
import type { SemanticPriorProvider } from "../../priors/semantic-prior";
import { ImplicitAgent } from "./implicit-agent";
import { MlpAgent } from "./mlp-agent";
import { checkAgentConfig } from "./agent-config-check";

/**
 * Build the agent a config describes (as stored in checkpoints).
 * @throws InvalidArgumentError on an unknown kind, a wrong-typed field (see checkAgentConfig) or
 *   a config that does not fit the spaces.
 */
export function createAgent(
  config: AgentConfig,
  observationSpace: Space,
  actionSpace: Space,
  seed: number,
  priorProvider: SemanticPriorProvider | null = null,
): ActorCritic {
  checkAgentConfig(config, "createAgent");
  switch (config.kind) {
    case "mlp":
      return new MlpAgent(observationSpace, actionSpace, config, seed);
    case "implicit":
      return new ImplicitAgent(observationSpace, actionSpace, config, seed);
    case "explicit":
      return new ExplicitAgent(observationSpace, actionSpace, config, seed, priorProvider);
    default:
      throw new InvalidArgumentError(
        `unknown agent kind ${JSON.stringify((config as { kind?: unknown }).kind)}; expected mlp, implicit or explicit`,
      );
  }
}

/** The default agent for an observation space: implicit for SamSegEnv-style Dicts, else the MLP. */
export function defaultAgentConfig(observationSpace: Space): AgentConfig {
  const keys = (observationSpace as unknown as { keys?: readonly string[] }).keys;
  return Array.isArray(keys) && keys.includes("samImageEmbeddings") && keys.includes("samPredMaskProb")
    ? { kind: "implicit" }
    : { kind: "mlp" };
}
