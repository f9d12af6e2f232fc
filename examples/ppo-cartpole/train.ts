// Train PPO on CartPole-v1 with CleanRL's defaults, from code (the CLI equivalent is
// `alignsam-gym train --env-id CartPole-v1`). Run: npx tsx examples/ppo-cartpole/train.ts [steps]
// In your own project import from "alignsam-gym" and "alignsam-gym/ppo" instead of ../../src.
import { SyncVectorEnv } from "../../src/vector";
import { make } from "../../src/registry";
import { MlpAgent, PpoTrainer, selectBackend } from "../../src/ppo";
import type { PpoVectorEnv } from "../../src/ppo";

async function main(): Promise<void> {
  const totalTimesteps = Number(process.argv[2] ?? 100_000);
  const { backend } = await selectBackend("auto");
  const envs = new SyncVectorEnv(Array.from({ length: 4 }, () => () => make("CartPole-v1"))) as unknown as PpoVectorEnv;
  const agent = new MlpAgent(envs.singleObservationSpace, envs.singleActionSpace, { kind: "mlp", hidden: [64, 64] }, 1);
  const ppo = new PpoTrainer({ envs, agent, hyperparameters: { totalTimesteps, seed: 1 } });
  await ppo.start();
  const returns: number[] = [];
  while (!ppo.done) {
    const log = await ppo.iterate();
    returns.push(...log.episodes.map((e) => e.r));
    if (log.iteration % 20 === 0) {
      const last = returns.slice(-100);
      const mean = last.reduce((a, b) => a + b, 0) / Math.max(1, last.length);
      console.log(
        `step ${log.globalStep}: mean return ${mean.toFixed(1)}, ${Math.round(log.sps)} SPS (${backend}), approx_kl ${log.approxKl.toExponential(2)}`,
      );
    }
  }
  ppo.dispose();
  agent.dispose();
  await envs.close();
}

void main();
