// Train the implicit AlignSAM agent on SamSegEnv-v0 with the bundled PPO, then compare its final
// IoU with random clicking. The CLI does the same with progress, plots and checkpoints:
//   alignsam-gym train            (defaults to SamSegEnv-v0)
//   alignsam-gym eval --checkpoint runs/SamSegEnv-v0__ppo__1__<unix time>/checkpoint.bin
// Run: npx tsx examples/ppo-samseg/train.ts [steps]
// In your own project import from "alignsam-gym" and "alignsam-gym/ppo" instead of ../../src.
import { SyncVectorEnv } from "../../src/vector";
import { make } from "../../src/registry";
import { ImplicitAgent, PpoTrainer, selectBackend } from "../../src/ppo";
import type { PpoVectorEnv } from "../../src/ppo";

async function main(): Promise<void> {
  const totalTimesteps = Number(process.argv[2] ?? 6_144);
  await selectBackend("auto");
  const envs = new SyncVectorEnv(
    Array.from({ length: 8 }, () => () => make("SamSegEnv-v0")),
  ) as unknown as PpoVectorEnv;
  // The CLI's default: E * (1 + p) over the segmenter's 8 summary channels pooled to 16x16, three
  // small convs, dense 128, the spatial click head, and never the same click patch twice per episode.
  const agent = new ImplicitAgent(
    envs.singleObservationSpace,
    envs.singleActionSpace,
    { inputGrid: [16, 16], embeddingChannels: 8, hidden: 128, noRepeat: "patch" },
    1,
  );
  const ppo = new PpoTrainer({ envs, agent, hyperparameters: { totalTimesteps, numSteps: 16, learningRate: 3e-4 } });
  await ppo.start();
  while (!ppo.done) {
    const log = await ppo.iterate();
    const ious = log.episodes.map((e) => e.info["iou"]).filter((v): v is number => v !== undefined);
    const iou = ious.reduce((a, b) => a + b, 0) / Math.max(1, ious.length);
    console.log(
      `iteration ${log.iteration}: ${log.episodes.length} episodes, mean final IoU ${iou.toFixed(3)}, ${Math.round(log.sps)} SPS`,
    );
  }
  ppo.dispose();
  agent.dispose();
  await envs.close();
}

void main();
