// A tiny deterministic env for wrapper tests: the observation is the step count (Discrete),
// rewards and termination follow a script.
import { Env } from "../../src/core";
import type { Info, ResetOptions, StepResult } from "../../src/core";
import { Discrete } from "../../src/spaces";

export interface Script {
  /** Reward of step i (1-based index i+1); missing -> 0. */
  rewards?: number[];
  /** The step number (1-based) that terminates the episode; null -> never. */
  terminateAt?: number | null;
  /** Extra info on every step. */
  info?: () => Info;
}

export class ScriptedEnv extends Env<number, number> {
  observationSpace = new Discrete(1000);
  actionSpace = new Discrete(2);
  t = 0;
  resets = 0;
  closed = 0;
  lastAction: number | null = null;
  constructor(private readonly script: Script = {}) {
    super();
  }
  async reset(opts?: ResetOptions): Promise<[number, Info]> {
    this.seedRng(opts?.seed);
    this.t = 0;
    this.resets += 1;
    return [0, { reset: this.resets }];
  }
  async step(action: number): Promise<StepResult<number>> {
    this.lastAction = action;
    this.t += 1;
    const reward = this.script.rewards?.[this.t - 1] ?? 0;
    const terminated =
      this.script.terminateAt !== undefined && this.script.terminateAt !== null && this.t >= this.script.terminateAt;
    return [this.t, reward, terminated, false, this.script.info?.() ?? {}];
  }
  override async close(): Promise<void> {
    this.closed += 1;
  }
}
