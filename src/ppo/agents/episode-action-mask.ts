import { InvalidArgumentError } from "../../core/errors";

/**
 * Agent-side memory of the actions taken in each env's current episode, as an action mask: once
 * action `a` is taken, every action of its group is masked out until the episode ends. Groups are
 * given as `groupOf[a]` (any ids), or as a size g for contiguous groups `floor(a / g)` (1 masks
 * the action itself; 2 masks both labels of a SamSegEnv click patch, whose actions come in
 * pairs 2k (positive), 2k + 1 (negative)).
 *
 * Built only from the agent's own actions and episode boundaries (no env internals, no ground
 * truth), and used identically by PPO rollouts (the mask of every row is stored and the loss
 * uses the masked softmax) and by evaluation. When a choice would leave no action available, the
 * env's history is cleared first, so a mask never blocks every action.
 *
 * @example
 * ```ts
 * const mask = new EpisodeActionMask(8, 2048, 2);
 * mask.apply(logits);            // logits [8, 2048]: masked entries become -Infinity
 * mask.record(0, 17);            // env 0 clicked patch 8 (negative): actions 16, 17 masked
 * mask.clear(0);                 // env 0 started a new episode
 * ```
 */
export class EpisodeActionMask {
  readonly numEnvs: number;
  readonly numActions: number;
  /** `[numActions]`: the group of each action. */
  readonly groupOf: Int32Array;
  /** `[numEnvs, numActions]`, 1 = masked. */
  readonly blocked: Uint8Array;
  /** The actions of each group id (ids absent from groupOf have none). */
  private readonly members: Map<number, Int32Array>;
  private readonly openCount: Int32Array;
  private readonly taken: number[][];

  /**
   * @param groups a group size g (must divide numActions) or `groupOf` [numActions] integer ids.
   * @throws InvalidArgumentError when a size is not a positive integer, g does not divide
   * numActions, or groupOf has the wrong length or non-integer entries.
   */
  constructor(numEnvs: number, numActions: number, groups: number | ArrayLike<number>) {
    for (const [name, v] of [
      ["numEnvs", numEnvs],
      ["numActions", numActions],
    ] as const) {
      if (!(Number.isSafeInteger(v) && v > 0))
        throw new InvalidArgumentError(`EpisodeActionMask: ${name} must be a positive integer, got ${v}`);
    }
    if (typeof groups === "number") {
      if (!(Number.isSafeInteger(groups) && groups > 0))
        throw new InvalidArgumentError(`EpisodeActionMask: groupSize must be a positive integer, got ${groups}`);
      if (numActions % groups !== 0)
        throw new InvalidArgumentError(
          `EpisodeActionMask: groupSize ${groups} does not divide numActions ${numActions}`,
        );
      this.groupOf = Int32Array.from({ length: numActions }, (_, a) => Math.floor(a / groups));
    } else {
      if (groups.length !== numActions)
        throw new InvalidArgumentError(
          `EpisodeActionMask: groupOf has ${groups.length} entries, expected numActions = ${numActions}`,
        );
      for (let a = 0; a < numActions; a++) {
        if (!Number.isSafeInteger(groups[a]))
          throw new InvalidArgumentError(`EpisodeActionMask: groupOf[${a}] = ${groups[a]} is not an integer`);
      }
      this.groupOf = Int32Array.from(groups);
    }
    const lists = new Map<number, number[]>();
    this.groupOf.forEach((g, a) => {
      const list = lists.get(g);
      if (list) list.push(a);
      else lists.set(g, [a]);
    });
    this.members = new Map([...lists].map(([g, list]) => [g, Int32Array.from(list)]));
    this.numEnvs = numEnvs;
    this.numActions = numActions;
    this.blocked = new Uint8Array(numEnvs * numActions);
    this.openCount = new Int32Array(numEnvs).fill(numActions);
    this.taken = Array.from({ length: numEnvs }, () => []);
  }

  /** The mask row of env i (a view into {@link blocked}). */
  row(i: number): Uint8Array {
    return this.blocked.subarray(i * this.numActions, (i + 1) * this.numActions);
  }

  /** Set the masked entries of logits `[numEnvs, numActions]` to -Infinity, in place. */
  apply(logits: Float32Array): void {
    const b = this.blocked;
    for (let k = 0; k < b.length; k++) if (b[k]) logits[k] = -Infinity;
  }

  /**
   * Env i took `action`: mask its group. When that would mask every action, the env's history
   * is cleared first (only this action's group stays masked).
   * @throws InvalidArgumentError on an env index or action out of range.
   */
  record(i: number, action: number): void {
    this.check(i);
    if (!(Number.isInteger(action) && action >= 0 && action < this.numActions)) {
      throw new InvalidArgumentError(`EpisodeActionMask.record: action ${action} is not in [0, ${this.numActions})`);
    }
    const base = i * this.numActions;
    const group = this.members.get(this.groupOf[action] as number) as Int32Array;
    if (!this.blocked[base + action]) {
      if (this.openCount[i] === group.length) this.clear(i);
      for (const a of group) this.blocked[base + a] = 1;
      this.openCount[i] = (this.openCount[i] as number) - group.length;
    }
    (this.taken[i] as number[]).push(action);
  }

  /** Env i's episode ended: unmask everything for it. */
  clear(i: number): void {
    this.check(i);
    this.row(i).fill(0);
    this.openCount[i] = this.numActions;
    (this.taken[i] as number[]).length = 0;
  }

  /** The actions recorded per env since its last clear (for checkpoints). */
  getState(): number[][] {
    return this.taken.map((a) => a.slice());
  }

  /** Rebuild the masks from {@link getState}'s output. @throws InvalidArgumentError on a wrong env count. */
  setState(taken: number[][]): void {
    if (taken.length !== this.numEnvs)
      throw new InvalidArgumentError(
        `EpisodeActionMask state is for ${taken.length} envs, this mask has ${this.numEnvs}`,
      );
    taken.forEach((actions, i) => {
      this.clear(i);
      for (const a of actions) this.record(i, a);
    });
  }

  private check(i: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.numEnvs))
      throw new InvalidArgumentError(`EpisodeActionMask: env index ${i} is not in [0, ${this.numEnvs})`);
  }
}
