/**
 * The AlignSAM explicit agent's temperature trick on the predicted mask probability: early in an
 * episode the mask says little, so it is flattened towards 0.5, and it is used as is at the last
 * click:
 *   p <- sigmoid(logit(clamp(p, 1e-6, 1 - 1e-6)) / T),  T = exp(maxSteps - numSteps).
 * Pure functions; the clamp keeps logit finite at p = 0 or 1 (as the reference).
 */

/** Clamp bound of p before the logit. */
export const MASK_TEMPERATURE_EPSILON = 1e-6;

/**
 * The temperature exp(maxSteps - numSteps) (1 at numSteps = maxSteps, e^maxSteps right after reset).
 * @param numSteps clicks made so far (the observation's numSteps).
 * @param maxSteps clicks per episode.
 */
export function maskTemperature(numSteps: number, maxSteps: number): number {
  return Math.exp(maxSteps - numSteps);
}

/** sigmoid(logit(clamp(p)) / temperature) for one probability. */
export function temperMaskProbability(p: number, temperature: number): number {
  const q = Math.min(Math.max(p, MASK_TEMPERATURE_EPSILON), 1 - MASK_TEMPERATURE_EPSILON);
  return 1 / (1 + Math.exp(-Math.log(q / (1 - q)) / temperature));
}

/** Apply {@link temperMaskProbability} to every entry of `p` in place (no-op at temperature 1 apart from the clamp). */
export function temperMaskInPlace(p: Float32Array, temperature: number): void {
  for (let k = 0; k < p.length; k++) p[k] = temperMaskProbability(p[k] as number, temperature);
}
