/**
 * The storage of one PPO rollout: `numSteps * numEnvs` rows, row `t * numEnvs + i` holding step t
 * of env i (the layout {@link computeGae} reads). Allocated once per trainer and overwritten by
 * every rollout; {@link RolloutBuffer.gather} copies shuffled rows into a {@link Minibatch}.
 *
 * @example
 * ```ts
 * const buffer = new RolloutBuffer({ numSteps: 128, numEnvs: 4, inputSize: 4, numActions: 2 });
 * const mb = new Minibatch(128, 4, 2);
 * buffer.gather(order, 0, advantages, returns, mb); // rows order[0..127]
 * ```
 */
export class RolloutBuffer {
  readonly numSteps: number;
  readonly numEnvs: number;
  /** Values per model input row (product of the agent's inputShape). */
  readonly inputSize: number;
  readonly numActions: number;
  /** Model inputs `[rows, inputSize]` float32. */
  readonly obs: Float32Array;
  /** Actions taken (0-based) `[rows]`. */
  readonly actions: Int32Array;
  /** Log-probabilities of the actions under the rollout policy `[rows]`. */
  readonly logProbs: Float32Array;
  /** V(o_t) at rollout time `[rows]`. */
  readonly values: Float32Array;
  readonly rewards: Float32Array;
  /** 0/1 per row. */
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** 1 where the row is a NEXT_STEP reset row (its action was ignored; masked out of the losses). */
  readonly resetRows: Uint8Array;
  /**
   * `[rows, numActions]`, 1 where the agent had masked the action out when it acted (see
   * EpisodeActionMask), or null when the agent masks nothing.
   */
  readonly actionMasks: Uint8Array | null;

  /** @param opts.withActionMasks store a per-row action mask (default false). */
  constructor(opts: {
    numSteps: number;
    numEnvs: number;
    inputSize: number;
    numActions: number;
    withActionMasks?: boolean;
  }) {
    const { numSteps, numEnvs, inputSize, numActions } = opts;
    const rows = numSteps * numEnvs;
    this.numSteps = numSteps;
    this.numEnvs = numEnvs;
    this.inputSize = inputSize;
    this.numActions = numActions;
    this.obs = new Float32Array(rows * inputSize);
    this.actions = new Int32Array(rows);
    this.logProbs = new Float32Array(rows);
    this.values = new Float32Array(rows);
    this.rewards = new Float32Array(rows);
    this.terminated = new Uint8Array(rows);
    this.truncated = new Uint8Array(rows);
    this.resetRows = new Uint8Array(rows);
    this.actionMasks = opts.withActionMasks ? new Uint8Array(rows * numActions) : null;
  }

  /** Number of rows (numSteps * numEnvs). */
  get rows(): number {
    return this.actions.length;
  }

  /**
   * Copy rows `order[start .. start + mb.size)` into `mb`, with their advantages and returns;
   * reset rows get mask 0. Returns the number of rows with mask 1.
   */
  gather(
    order: ArrayLike<number>,
    start: number,
    advantages: Float32Array,
    returns: Float32Array,
    mb: Minibatch,
  ): number {
    const F = this.inputSize;
    const n = this.numActions;
    let count = 0;
    for (let j = 0; j < mb.size; j++) {
      const k = order[start + j] as number;
      mb.obs.set(this.obs.subarray(k * F, (k + 1) * F), j * F);
      mb.actions[j] = this.actions[k] as number;
      mb.logProbs[j] = this.logProbs[k] as number;
      mb.advantages[j] = advantages[k] as number;
      mb.returns[j] = returns[k] as number;
      mb.values[j] = this.values[k] as number;
      mb.mask[j] = this.resetRows[k] ? 0 : 1;
      count += mb.mask[j] as number;
      if (this.actionMasks !== null && mb.actionMasks !== null)
        mb.actionMasks.set(this.actionMasks.subarray(k * n, (k + 1) * n), j * n);
    }
    return count;
  }
}

/** One minibatch of rollout rows (allocated once per trainer, refilled by {@link RolloutBuffer.gather}). */
export class Minibatch {
  /** Rows per minibatch. */
  readonly size: number;
  readonly obs: Float32Array;
  readonly actions: Int32Array;
  readonly logProbs: Float32Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
  /** Rollout-time values (for the clipped value loss). */
  readonly values: Float32Array;
  /** 1 for rows that count in the losses, 0 for reset rows. */
  readonly mask: Float32Array;
  /** `[size, numActions]` action masks, or null when the rollout stores none. */
  readonly actionMasks: Uint8Array | null;

  constructor(size: number, inputSize: number, numActions: number, withActionMasks = false) {
    this.size = size;
    this.obs = new Float32Array(size * inputSize);
    this.actions = new Int32Array(size);
    this.logProbs = new Float32Array(size);
    this.advantages = new Float32Array(size);
    this.returns = new Float32Array(size);
    this.values = new Float32Array(size);
    this.mask = new Float32Array(size);
    this.actionMasks = withActionMasks ? new Uint8Array(size * numActions) : null;
  }
}
