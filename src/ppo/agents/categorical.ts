import type { Rng } from "../../core/rng";

/**
 * Sample one action per row from categorical distributions given by logits [batch, n]
 * (softmax), writing the action and its log-probability. Greedy mode takes the argmax (lowest
 * index on ties) and draws nothing from `rng`. Logits of -Infinity (masked actions) get
 * probability 0 and are never chosen. Pure apart from the draws; no allocation.
 */
export function sampleCategorical(
  logits: Float32Array,
  batch: number,
  n: number,
  rng: Rng | null,
  actions: Int32Array,
  logProbs: Float32Array,
): void {
  for (let b = 0; b < batch; b++) {
    const base = b * n;
    let max = -Infinity;
    let argmax = 0;
    for (let j = 0; j < n; j++) {
      const l = logits[base + j] as number;
      if (l > max) {
        max = l;
        argmax = j;
      }
    }
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp((logits[base + j] as number) - max);
    const logZ = max + Math.log(sum);
    let action = argmax;
    if (rng !== null) {
      const u = rng.random() * sum;
      let acc = 0;
      action = -1;
      let lastPossible = argmax;
      for (let j = 0; j < n; j++) {
        const e = Math.exp((logits[base + j] as number) - max);
        if (e > 0) lastPossible = j;
        acc += e;
        if (u < acc) {
          action = j;
          break;
        }
      }
      // Rounding can leave u >= acc at the end: take the last action of non-zero probability.
      if (action < 0) action = lastPossible;
    }
    actions[b] = action;
    logProbs[b] = (logits[base + action] as number) - logZ;
  }
}
