import t from "tap";
import { InvalidArgumentError } from "../../src/core";
import { Discrete } from "../../src/spaces";
import { Autoreset, ClipReward, TimeLimit, TransformObservation, TransformReward } from "../../src/wrappers";
import { ScriptedEnv } from "./scripted-env";

t.test("TransformReward and ClipReward map rewards", async (t) => {
  const env = new TransformReward(new ScriptedEnv({ rewards: [1, -3, 0.25] }), (r) => 2 * r + 1);
  await env.reset();
  const got: number[] = [];
  for (let i = 0; i < 3; i++) got.push((await env.step(0))[1]);
  t.same(got, [3, -5, 1.5]);

  const clipped = new ClipReward(new ScriptedEnv({ rewards: [5, -5, 0.5] }), { minReward: -1, maxReward: 1 });
  await clipped.reset();
  const c: number[] = [];
  for (let i = 0; i < 3; i++) c.push((await clipped.step(0))[1]);
  t.same(c, [1, -1, 0.5]);

  const upper = new ClipReward(new ScriptedEnv({ rewards: [5, -5] }), { maxReward: 2 });
  await upper.reset();
  t.equal((await upper.step(0))[1], 2);
  t.equal((await upper.step(0))[1], -5, "no lower bound");
});

t.test("ClipReward and TransformReward reject bad arguments", async (t) => {
  t.throws(() => new ClipReward(new ScriptedEnv(), {}), InvalidArgumentError);
  t.throws(() => new ClipReward(new ScriptedEnv(), { minReward: 2, maxReward: 1 }), InvalidArgumentError);
  t.throws(() => new TransformReward(new ScriptedEnv(), 3 as unknown as (r: number) => number), InvalidArgumentError);
});

t.test("TransformObservation maps reset and step observations and can replace the space", async (t) => {
  const space = new Discrete(2000);
  const env = new TransformObservation(new ScriptedEnv(), (o: number) => o * 2 + 1, space);
  t.equal(env.observationSpace, space);
  const [o0] = await env.reset();
  const [o1] = await env.step(0);
  t.same([o0, o1], [1, 3]);
  const same = new TransformObservation(new ScriptedEnv(), (o: number) => o);
  t.ok(same.observationSpace instanceof Discrete, "keeps the inner space by default");
});

t.test("Autoreset resets on the step after the end (NEXT_STEP), ignoring that action", async (t) => {
  const inner = new ScriptedEnv({ rewards: [1, 1, 1], terminateAt: 2 });
  const env = new Autoreset(inner);
  await env.reset({ seed: 1 });
  await env.step(1);
  const [, , term] = await env.step(1);
  t.ok(term);
  inner.lastAction = null;
  const [obs, reward, term2, trunc2, info] = await env.step(1);
  t.same([obs, reward, term2, trunc2], [0, 0, false, false], "reset row: reset obs, reward 0, no flags");
  t.same(info, { reset: 2 }, "the reset info");
  t.equal(inner.lastAction, null, "the action of the reset step was not passed to the env");
  const [obs3] = await env.step(0);
  t.equal(obs3, 1, "stepping resumes in the new episode");

  const truncating = new Autoreset(new TimeLimit(new ScriptedEnv(), 1));
  await truncating.reset();
  t.equal((await truncating.step(0))[3], true);
  t.equal((await truncating.step(0))[0], 0, "truncation also triggers the autoreset");
});
