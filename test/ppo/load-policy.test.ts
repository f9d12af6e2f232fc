import t from "tap";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTraining } from "../../src/cli/training-session";
import { makeEvalPolicy } from "../../src/cli/evaluation";
import { loadPolicy } from "../../src/ppo";
import { make } from "../../src/registry";
import { Rng } from "../../src/core/rng";

t.setTimeout(300_000);

t.test("loadPolicy(checkpoint) acts like eval's greedy policy; path and bytes agree", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "asg-policy-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await runTraining(
    {
      envId: "CartPole-v1",
      envKwargs: {},
      agent: null,
      outDir: join(dir, "run"),
      resume: null,
      backend: "wasm",
      vectorMode: "sync",
      checkpointEvery: 1,
      plotEvery: 1,
      progress: false,
      hyperparameters: { numEnvs: 2, numSteps: 16, totalTimesteps: 64, numMinibatches: 2, updateEpochs: 2 },
    },
    () => {},
  );
  const path = join(dir, "run", "checkpoint.bin");
  const policy = await loadPolicy(path, { backend: "wasm" });
  const fromBytes = await loadPolicy(readFileSync(path), { backend: "keep", seed: 3 });
  t.equal(policy.envId, "CartPole-v1");
  const env = make<unknown, number>(policy.envId, policy.envKwargs);
  const reference = makeEvalPolicy("greedy", policy.agent, env, new Rng(0));
  let [obs] = await env.reset({ seed: 11 });
  policy.reset();
  let steps = 0,
    sampledDiffers = false;
  for (let done = false; !done && steps < 200; steps++) {
    const a = await policy.act(obs, { greedy: true });
    t.equal(await fromBytes.act(obs), a, "bytes and path load the same weights (greedy is the default)");
    t.equal(await reference.act(obs), a);
    if ((await fromBytes.act(obs, { greedy: false })) !== a) sampledDiffers = true;
    const [next, , terminated, truncated] = await env.step(a);
    obs = next;
    done = terminated || truncated;
  }
  t.ok(steps > 1, `an episode of ${steps} steps`);
  t.ok(sampledDiffers || steps < 10, "greedy: false samples");
  policy.dispose();
  fromBytes.dispose();
  await env.close();
  await t.rejects(loadPolicy(join(dir, "nope.bin")), /nope\.bin": cannot be read \(ENOENT\)/);
  await t.rejects(
    loadPolicy(new Uint8Array([1, 2, 3]), { backend: "keep" }),
    /checkpoint "checkpoint bytes": not an alignsam-gym checkpoint/,
  );
});
