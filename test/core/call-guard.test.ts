// Issue 14, items 1 and 11: overlapping reset()/step() and use after close() on single envs and
// wrappers are refused with typed errors (ConcurrentCallError, ClosedEnvError), never corrupting
// the episode.
import t from "tap";
import { ClosedEnvError, ConcurrentCallError, Wrapper } from "../../src/core";
import { SamSegEnv } from "../../src/envs/sam-seg";
import { make } from "../../src/registry";
import { FixedSegmenter, boxMask } from "../../src/testing";
import { SMALL_GT_BOX, smallDataset } from "../envs/sam-seg/helpers";

const samSeg = (maxSteps = 5): SamSegEnv =>
  new SamSegEnv({
    dataset: smallDataset(),
    segmenter: new FixedSegmenter({ mask: boxMask([12, 16], [SMALL_GT_BOX]) }),
    imgShape: [12, 16, 3],
    imgPatchSize: 4,
    maxSteps,
  });

t.test("item 1: 50 overlapping step() calls: one runs, 49 reject, numSteps stays in the space", async (t) => {
  const env = samSeg(5);
  await env.reset({ seed: 0 });
  const results = await Promise.allSettled(Array.from({ length: 50 }, () => env.step(0)));
  const ok = results.filter((r) => r.status === "fulfilled");
  const bad = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
  t.equal(ok.length, 1);
  t.equal(bad.length, 49);
  t.ok(
    bad.every((r) => r.reason instanceof ConcurrentCallError),
    "every refusal is a ConcurrentCallError",
  );
  const [obs] = (ok[0] as PromiseFulfilledResult<Awaited<ReturnType<SamSegEnv["step"]>>>).value;
  t.equal(obs.numSteps, 1);
  t.ok(env.observationSpace.contains(obs));
  // The env is still usable, and the episode continues from step 1.
  const [next] = await env.step(1);
  t.equal(next.numSteps, 2);
});

t.test("item 1: reset() while a step is pending rejects; so does step() while reset is pending", async (t) => {
  const env = samSeg();
  await env.reset({ seed: 0 });
  const pending = env.step(0);
  const refused = [env.reset(), env.reset()];
  await t.rejects(refused[0]!, ConcurrentCallError);
  await t.rejects(refused[1]!, /while step\(\) is still pending/);
  const [obs1] = await pending;
  t.equal(obs1.numSteps, 1, "the pending step completed normally");
  const resetting = env.reset({ seed: 1 });
  await t.rejects(env.step(0), ConcurrentCallError);
  const [obs] = await resetting;
  t.equal(obs.numSteps, 0);
});

t.test("item 1: through make()'s wrapper stack too", async (t) => {
  const env = make("CartPole-v1");
  await env.reset({ seed: 0 });
  const results = await Promise.allSettled([env.step(0), env.step(1), env.reset()]);
  t.equal(results[0]!.status, "fulfilled");
  t.ok(results.slice(1).every((r) => r.status === "rejected" && r.reason instanceof ConcurrentCallError));
  await env.step(0);
});

t.test("a wrapper may call its own reset() from inside its step()", async (t) => {
  class ResetOnStep extends Wrapper<unknown, unknown> {
    override async step(_action: unknown): Promise<[unknown, number, boolean, boolean, Record<string, unknown>]> {
      const [obs, info] = await this.reset();
      return [obs, 0, false, false, info];
    }
  }
  const env = new ResetOnStep(make("CartPole-v1"));
  await env.reset({ seed: 0 });
  const [, r] = await env.step(0);
  t.equal(r, 0);
});

t.test("item 11: step/reset/render after close() -> ClosedEnvError on envs and every wrapper", async (t) => {
  const raw = samSeg();
  await raw.reset({ seed: 0 });
  await raw.close();
  await raw.close(); // still safe
  await t.rejects(raw.step(0), ClosedEnvError);
  await t.rejects(raw.reset(), ClosedEnvError);
  await t.rejects(raw.render(), ClosedEnvError);

  const env = make("CartPole-v1");
  await env.reset({ seed: 0 });
  await env.close();
  await t.rejects(env.step(0), ClosedEnvError);
  await t.rejects(env.reset(), ClosedEnvError);
  await t.rejects(env.step(0), /has been closed/);

  // Closing the inner env also stops the wrappers above it.
  const outer = make("CartPole-v1");
  await outer.reset({ seed: 0 });
  await outer.unwrapped.close();
  await t.rejects(outer.step(0), ClosedEnvError);
});
