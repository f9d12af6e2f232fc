// `train --resume`: the checkpoint fixes the env and the agent; flags that would change them are
// refused by name rather than silently ignored.
import { InvalidArgumentError } from "../core/errors";
import type { AgentConfig, PpoHyperparameters } from "../ppo";

/** Hyperparameters a resumed run may change: the budget (the LR schedule stretches over it). */
export const RESUMABLE_HYPERPARAMETERS: ReadonlySet<keyof PpoHyperparameters> = new Set(["totalTimesteps"]);

/** The CLI flag of a hyperparameter: learningRate -> --learning-rate. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What the user asked for explicitly (flags or config file), next to what the checkpoint holds. */
export interface ResumeRequest {
  envId: string | null;
  envKwargs: Record<string, unknown>;
  hyperparameters: Partial<PpoHyperparameters>;
  agent: AgentConfig | null;
}

/** What a checkpoint fixes. */
export interface ResumeCheckpoint {
  envId: string;
  envKwargs: Record<string, unknown>;
  hyperparameters: PpoHyperparameters;
  agent: AgentConfig;
}

/**
 * Refuse a resume whose explicit flags differ from the checkpoint: --env-id, --env-kwargs,
 * --agent/--agent-config and every hyperparameter except --total-timesteps (which is applied).
 * Run options (--backend, --vector-mode, --track, --eval-every, --capture-video, ...) are
 * applied. Flags equal to the checkpoint's values are accepted.
 * @throws InvalidArgumentError naming every differing flag with both values.
 */
export function checkResumeFlags(req: ResumeRequest, ckpt: ResumeCheckpoint): void {
  const problems: string[] = [];
  if (req.envId !== null && req.envId !== ckpt.envId)
    problems.push(`--env-id ${req.envId} (checkpoint: ${ckpt.envId})`);
  if (Object.keys(req.envKwargs).length > 0 && !same({ ...ckpt.envKwargs, ...req.envKwargs }, ckpt.envKwargs)) {
    problems.push(`--env-kwargs ${JSON.stringify(req.envKwargs)} (checkpoint: ${JSON.stringify(ckpt.envKwargs)})`);
  }
  for (const [key, value] of Object.entries(req.hyperparameters)) {
    if (value === undefined || RESUMABLE_HYPERPARAMETERS.has(key as keyof PpoHyperparameters)) continue;
    const stored = ckpt.hyperparameters[key as keyof PpoHyperparameters];
    if (!same(value, stored)) problems.push(`${flagOf(key)} ${String(value)} (checkpoint: ${String(stored)})`);
  }
  if (req.agent !== null && !same({ ...ckpt.agent, ...req.agent }, ckpt.agent)) {
    problems.push(`--agent/--agent-config ${JSON.stringify(req.agent)} (checkpoint: ${JSON.stringify(ckpt.agent)})`);
  }
  if (problems.length > 0) {
    throw new InvalidArgumentError(
      `--resume continues the checkpoint's run as it was configured; these flags differ from it: ${problems.join("; ")}. ` +
        "Drop them (only --total-timesteps and run options such as --backend may change), or start a new run",
    );
  }
}
