/** The PPO loss coefficients (CleanRL's names). */
export interface PpoLossCoefficients {
  clipCoef: number;
  entCoef: number;
  vfCoef: number;
  clipVloss: boolean;
}

/** One minibatch for {@link ppoLossGradient}; per-row arrays have `rows` entries. */
export interface PpoLossInput {
  rows: number;
  numActions: number;
  /** The network's outputs: logits [rows, numActions], values [rows]. */
  logits: ArrayLike<number>;
  values: ArrayLike<number>;
  /** Actions taken (0-based), their log-probabilities and values at rollout time. */
  actions: ArrayLike<number>;
  oldLogProbs: ArrayLike<number>;
  oldValues: ArrayLike<number>;
  /** Advantages (already normalised when norm_adv) and returns. */
  advantages: ArrayLike<number>;
  returns: ArrayLike<number>;
  /** Row weights: mask / (number of unmasked rows), so a masked mean is a weighted sum. */
  weights: ArrayLike<number>;
  /**
   * Optional `[rows, numActions]` action masks, 1 = the action was unavailable when the agent
   * acted: the policy is the softmax over the available actions only (masked logits get
   * probability 0 and gradient 0). Absent: every action is available.
   */
  actionMasks?: ArrayLike<number>;
}

/**
 * CleanRL's PPO loss for discrete actions (ppo.py at vwxyzjn/cleanrl fe8d8a0, lines 250-285:
 * ratio and approx-KL 250-258, policy loss 264-267, value loss 269-282, total 284-285) and its
 * exact gradient with respect to the network's outputs, in plain JS (float64):
 *   ratio = exp(logp(a) - oldLogp);  pg = mean(max(-A ratio, -A clip(ratio, 1 - c, 1 + c)));
 *   v = 0.5 mean(max((V - R)^2, (oldV + clip(V - oldV, -c, c) - R)^2))  (or 0.5 mean((V - R)^2));
 *   loss = pg - entCoef mean(entropy) + vfCoef v,
 * means weighted by `weights`. Sub-gradients follow tfjs's rules, so the result equals tf.grad of
 * the tfjs formulation: max(a, b) sends the gradient to a when a >= b, clip passes it when the
 * input is inside the closed interval.
 *
 * Writes dLoss/dlogits into `dLogits` [rows, numActions] and dLoss/dvalues into `dValues` [rows];
 * returns [policy loss, value loss, entropy, old approx-KL, approx-KL, clipfrac].
 */
export function ppoLossGradient(
  input: PpoLossInput,
  coef: PpoLossCoefficients,
  dLogits: Float64Array,
  dValues: Float64Array,
): Float32Array {
  const { rows, numActions: n, logits, values, actions, oldLogProbs, oldValues, advantages, returns, weights } = input;
  const masks = input.actionMasks;
  const { clipCoef: c, entCoef, vfCoef, clipVloss } = coef;
  let pgLoss = 0,
    vLoss = 0,
    entropySum = 0,
    oldKl = 0,
    kl = 0,
    clipfrac = 0;
  for (let j = 0; j < rows; j++) {
    const w = weights[j] as number;
    const base = j * n;
    // log-softmax and entropy of the row (over the available actions).
    const open = (k: number): boolean => masks === undefined || !masks[base + k];
    let max = -Infinity;
    for (let k = 0; k < n; k++) if (open(k)) max = Math.max(max, logits[base + k] as number);
    let sum = 0;
    for (let k = 0; k < n; k++) if (open(k)) sum += Math.exp((logits[base + k] as number) - max);
    const logZ = max + Math.log(sum);
    let entropy = 0;
    for (let k = 0; k < n; k++) {
      if (!open(k)) continue;
      const ls = (logits[base + k] as number) - logZ;
      entropy -= Math.exp(ls) * ls;
    }
    const a = actions[j] as number;
    const logRatio = (logits[base + a] as number) - logZ - (oldLogProbs[j] as number);
    const ratio = Math.exp(logRatio);
    const adv = advantages[j] as number;
    const clipped = Math.min(Math.max(ratio, 1 - c), 1 + c);
    const pg1 = -adv * ratio;
    const pg2 = -adv * clipped;
    pgLoss += w * Math.max(pg1, pg2);
    entropySum += w * entropy;
    oldKl += w * -logRatio;
    kl += w * (ratio - 1 - logRatio);
    if (Math.abs(ratio - 1) > c) clipfrac += w;
    // d pg / d logp(a) = d pg / d ratio * ratio.
    const passes = pg1 >= pg2 || (ratio >= 1 - c && ratio <= 1 + c);
    const gLogP = passes ? -adv * w * ratio : 0;
    for (let k = 0; k < n; k++) {
      if (!open(k)) {
        dLogits[base + k] = 0;
        continue;
      }
      const ls = (logits[base + k] as number) - logZ;
      const p = Math.exp(ls);
      // d logp(a)/d l_k = [k = a] - p_k;  d entropy/d l_k = -p_k (ls_k + entropy).
      dLogits[base + k] = gLogP * ((k === a ? 1 : 0) - p) + entCoef * w * p * (ls + entropy);
    }
    // Value loss.
    const v = values[j] as number;
    const ret = returns[j] as number;
    const unclipped = (v - ret) ** 2;
    let dv = v - ret;
    let vTerm = unclipped;
    if (clipVloss) {
      const oldV = oldValues[j] as number;
      const delta = v - oldV;
      const vClipped = oldV + Math.min(Math.max(delta, -c), c);
      const clippedSq = (vClipped - ret) ** 2;
      if (unclipped < clippedSq) {
        vTerm = clippedSq;
        dv = delta >= -c && delta <= c ? vClipped - ret : 0;
      }
    }
    vLoss += w * vTerm;
    // d (vfCoef * 0.5 * w * term) / dv = vfCoef * w * (v' - R).
    dValues[j] = vfCoef * w * dv;
  }
  return Float32Array.of(pgLoss, 0.5 * vLoss, entropySum, oldKl, kl, clipfrac);
}
