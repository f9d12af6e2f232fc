// CartPole-v1 step throughput: `action = env.actionSpace.sample(); await env.step(action)` with
// the full make() wrapper stack (TimeLimit > OrderEnforcing > PassiveEnvChecker > CartPoleEnv),
// resetting at episode ends (resets are included in the timed loop, as in a rollout).
// Reports the median over batches of the per-step time. Target (issue 2): <= 1.5 us.
// Python Gymnasium on this kind of machine: 9.25 us.
import { make } from "../src/registry";
import { CartPoleEnv } from "../src/envs/cartpole";
import type { Env } from "../src/core";
import { median } from "./median";

const BATCHES = 31;
const STEPS_PER_BATCH = 20_000;

async function perStepMicros(env: Env<unknown, unknown>): Promise<number[]> {
  await env.reset({ seed: 0 });
  env.actionSpace.seed(0);
  const times: number[] = [];
  for (let b = 0; b < BATCHES + 3; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < STEPS_PER_BATCH; i++) {
      const [, , terminated, truncated] = await env.step(env.actionSpace.sample());
      if (terminated || truncated) await env.reset();
    }
    const dt = Number(process.hrtime.bigint() - t0) / 1e3 / STEPS_PER_BATCH;
    if (b >= 3) times.push(dt); // the first batches warm up the JIT
  }
  return times;
}

async function main(): Promise<void> {
  const full = await perStepMicros(make("CartPole-v1"));
  const raw = await perStepMicros(new CartPoleEnv() as unknown as Env<unknown, unknown>);
  console.log(
    `CartPole-v1 make() stack, sample + step: median ${median(full).toFixed(3)} us/step (min ${Math.min(...full).toFixed(3)}, ${BATCHES} x ${STEPS_PER_BATCH} steps; target <= 1.5 us; Gymnasium 9.25 us)`,
  );
  console.log(
    `CartPoleEnv unwrapped, sample + step:    median ${median(raw).toFixed(3)} us/step (min ${Math.min(...raw).toFixed(3)})`,
  );
}

void main();
