import t from "tap";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTraining } from "../../src/cli/training-session";
import { runEvaluation, formatTable } from "../../src/cli/evaluation";
import { registerTinySamSeg, TINY_ID } from "./helpers/tiny-sam-seg";

t.test("eval: greedy, sampled, random and oracle on the same held-out episodes", async (t) => {
  registerTinySamSeg();
  const dir = mkdtempSync(join(tmpdir(), "asg-eval-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await runTraining({
    envId: TINY_ID, envKwargs: {}, outDir: dir, resume: null, backend: "wasm", vectorMode: "sync", checkpointEvery: 1, plotEvery: 1, progress: false,
    agent: { kind: "implicit", inputGrid: [8, 8], convs: [{ filters: 8, kernel: 3, stride: 2 }], hidden: 32 },
    hyperparameters: { numEnvs: 2, numSteps: 6, totalTimesteps: 12, numMinibatches: 2, updateEpochs: 1 },
  }, () => {});
  const lines: string[] = [];
  const results = await runEvaluation({
    checkpoint: join(dir, "checkpoint.bin"), episodes: 3, maxClicks: 4, seed: 1000, envKwargs: {},
    policies: ["greedy", "sampled", "random", "oracle"], outDir: join(dir, "eval"), overlays: 1, backend: "wasm",
  }, (l) => lines.push(l));
  t.same(results.map((r) => r.policy), ["greedy", "sampled", "random", "oracle"]);
  for (const r of results) {
    t.equal(r.iouPerClick.length, 4, `${r.policy}: IoU after each of the 4 clicks`);
    t.ok(r.finalIou >= 0 && r.finalIou <= 1, `${r.policy}: final IoU in [0, 1]`);
    t.ok(r.noc85 >= 1 && r.noc85 <= 4 && r.noc90 >= r.noc85, `${r.policy}: NoC within the budget`);
    t.ok(existsSync(join(dir, "eval", `${r.policy}-episode0.png`)), `${r.policy}: overlay PNG`);
  }
  const oracle = results.find((r) => r.policy === "oracle")!;
  const random = results.find((r) => r.policy === "random")!;
  t.ok(oracle.finalIou > random.finalIou, `the click simulator beats random clicks (${oracle.finalIou.toFixed(3)} vs ${random.finalIou.toFixed(3)})`);
  const saved = JSON.parse(readFileSync(join(dir, "eval", "eval.json"), "utf8")) as { results: unknown[] };
  t.equal(saved.results.length, 4);
  t.match(lines.join("\n"), /NoC@90/);
  t.match(formatTable(results, 4), /oracle/);
});
