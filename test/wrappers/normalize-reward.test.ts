import t from "tap";
import { InvalidArgumentError } from "../../src/core";
import { NormalizeReward, RunningMeanStd, TimeLimit } from "../../src/wrappers";
import { ScriptedEnv } from "./scripted-env";

/**
 * The statistics RunningMeanStd must equal: a prior of weight eps = 1e-4 with mean 0 and
 * variance 1, merged with the samples (the parallel update is exact).
 */
function expectedVar(samples: number[], eps = 1e-4): number {
  const n = samples.length;
  const mean = samples.reduce((a, b) => a + b, 0) / (n + eps);
  const m2 = eps * 1 + eps * mean * mean + samples.reduce((a, g) => a + (g - mean) ** 2, 0);
  return m2 / (n + eps);
}

t.test("RunningMeanStd matches the closed form", async (t) => {
  const rms = new RunningMeanStd();
  const xs = [1, 2, 3, -4.5, 10];
  xs.forEach((x) => rms.update(x));
  t.ok(Math.abs(rms.var - expectedVar(xs)) < 1e-12, `${rms.var} vs ${expectedVar(xs)}`);
  t.ok(Math.abs(rms.mean - xs.reduce((a, b) => a + b, 0) / (xs.length + 1e-4)) < 1e-12);
  t.ok(Math.abs(rms.count - (5 + 1e-4)) < 1e-12);
});

t.test("NormalizeReward divides by the std of the running discounted return (hand computation)", async (t) => {
  const gamma = 0.9;
  const env = new NormalizeReward(new ScriptedEnv({ rewards: [1, 2, -1], terminateAt: 3 }), { gamma, epsilon: 1e-8 });
  // Episode 1: rewards 1, 2, -1 (terminates). G = 1; 1 * 0.9 + 2 = 2.9; on the terminating step
  // G = 2.9 * 0.9 * (1 - 1) - 1 = -1. Episode 2 (after reset): rewards 1, 2; G is not reset by
  // reset(): -1 * 0.9 + 1 = 0.1; 0.1 * 0.9 + 2 = 2.09.
  const G = [1, 2.9, -1, 0.1, 2.09];
  const seen = [1, 2, -1, 1, 2];
  await env.reset();
  for (let i = 0; i < 5; i++) {
    if (i === 3) await env.reset();
    const [, r] = await env.step(0);
    t.ok(Math.abs(env.discountedReward - (G[i] as number)) < 1e-12, `G after step ${i + 1}`);
    const want = (seen[i] as number) / Math.sqrt(expectedVar(G.slice(0, i + 1)) + 1e-8);
    t.ok(Math.abs(r - want) < 1e-12, `step ${i + 1}: ${r} vs ${want}`);
  }
});

t.test("truncation does not restart the discounted return; freezing stops updates", async (t) => {
  const env = new NormalizeReward(new TimeLimit(new ScriptedEnv({ rewards: [1, 1, 1, 1] }), 2), { gamma: 0.5 });
  await env.reset();
  await env.step(0);
  await env.step(0); // truncated: G = 1.5
  await env.reset();
  await env.step(0);
  t.equal(env.discountedReward, 1.75, "G continues across truncation and reset, as in Gymnasium");
  env.updateRunningMean = false;
  const count = env.returnRms.count;
  await env.step(0);
  t.equal(env.returnRms.count, count);
});

t.test("NormalizeReward validates gamma and epsilon", async (t) => {
  t.throws(() => new NormalizeReward(new ScriptedEnv(), { gamma: 1.5 }), InvalidArgumentError);
  t.throws(() => new NormalizeReward(new ScriptedEnv(), { epsilon: 0 }), InvalidArgumentError);
});
