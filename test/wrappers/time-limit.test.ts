import t from "tap";
import { InvalidArgumentError, ResetNeededError } from "../../src/core";
import { TimeLimit } from "../../src/wrappers";
import { ScriptedEnv } from "./scripted-env";

t.test("TimeLimit truncates exactly on the maxEpisodeSteps-th step, and again after reset", async (t) => {
  const env = new TimeLimit(new ScriptedEnv(), 3);
  for (let episode = 0; episode < 2; episode++) {
    await env.reset();
    const flags: Array<[boolean, boolean]> = [];
    for (let i = 0; i < 3; i++) {
      const [, , term, trunc] = await env.step(0);
      flags.push([term, trunc]);
    }
    t.same(
      flags,
      [
        [false, false],
        [false, false],
        [false, true],
      ],
      `episode ${episode}`,
    );
    t.equal(env.elapsedSteps, 3);
  }
});

t.test("TimeLimit passes termination through and counts past the limit", async (t) => {
  const env = new TimeLimit(new ScriptedEnv({ terminateAt: 2 }), 2);
  await env.reset();
  await env.step(0);
  const [, , term, trunc] = await env.step(0);
  t.same([term, trunc], [true, true], "termination and truncation on the same step are both reported");
  const env2 = new TimeLimit(new ScriptedEnv(), 1);
  await env2.reset();
  t.equal((await env2.step(0))[3], true);
  t.equal((await env2.step(0))[3], true, "still truncated when stepping beyond the limit");
});

t.test("TimeLimit validates its limit, needs a reset, and records the limit in spec", async (t) => {
  t.throws(() => new TimeLimit(new ScriptedEnv(), 0), InvalidArgumentError);
  t.throws(() => new TimeLimit(new ScriptedEnv(), 2.5), InvalidArgumentError);
  const env = new TimeLimit(new ScriptedEnv(), 5);
  await t.rejects(env.step(0), ResetNeededError);
  const inner = new ScriptedEnv();
  inner.spec = {
    id: "X-v0",
    entryPoint: null,
    rewardThreshold: null,
    nondeterministic: false,
    maxEpisodeSteps: null,
    orderEnforce: false,
    disableEnvChecker: true,
    kwargs: {},
    additionalWrappers: [],
  };
  const limited = new TimeLimit(inner, 7);
  t.equal(limited.spec?.maxEpisodeSteps, 7);
  t.equal(inner.spec.maxEpisodeSteps, null, "the inner spec is not mutated");
});
