// The random baseline: click uniformly at random on SamSegEnv-v0 and report the final IoU, the
// number any trained agent must beat. Run: npx tsx examples/random-agent/run.ts [episodes]
// In your own project import from "alignsam-gym" instead of ../../src.
import { make } from "../../src/registry";

async function main(): Promise<void> {
  const episodes = Number(process.argv[2] ?? 20);
  const env = make<unknown, number>("SamSegEnv-v0");
  env.actionSpace.seed(0);
  let total = 0;
  for (let ep = 0; ep < episodes; ep++) {
    await env.reset({ seed: 1_000_000 + ep });
    let iou = 0;
    for (;;) {
      const [, , terminated, truncated, info] = await env.step(env.actionSpace.sample() as number);
      iou = typeof info["iou"] === "number" ? info["iou"] : iou;
      if (terminated || truncated) break;
    }
    total += iou;
  }
  console.log(`random policy: mean final IoU ${(total / episodes).toFixed(3)} over ${episodes} episodes`);
  await env.close();
}

void main();
