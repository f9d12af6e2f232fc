import t from "tap";
import { InvalidArgumentError } from "../../src/core";
import { RecordEpisodeStatistics, TimeLimit, Autoreset } from "../../src/wrappers";
import type { EpisodeStatistics } from "../../src/wrappers";
import { ScriptedEnv } from "./scripted-env";

t.test("info.episode holds the hand-computed return and length on the last step only", async (t) => {
  // rewards 1, 0.5, -2, 3 then termination on step 4: return 2.5, length 4
  const env = new RecordEpisodeStatistics(new ScriptedEnv({ rewards: [1, 0.5, -2, 3], terminateAt: 4 }));
  await env.reset({ seed: 3 });
  for (let i = 1; i <= 3; i++) {
    const [, , term, trunc, info] = await env.step(0);
    t.notOk(term || trunc);
    t.notOk("episode" in info, `no statistics on step ${i}`);
  }
  const [, , term, , info] = await env.step(0);
  t.ok(term);
  const ep = info.episode as EpisodeStatistics;
  t.equal(ep.r, 2.5);
  t.equal(ep.l, 4);
  t.ok(ep.t >= 0 && ep.t < 5, `t is a duration in seconds (${ep.t})`);
  t.equal(
    Number(ep.t.toFixed(6)),
    ep.t,
    "t is rounded to microseconds (exactly the double nearest a whole number of us)",
  );
  t.same(env.returnQueue, [2.5]);
  t.same(env.lengthQueue, [4]);
  t.equal(env.timeQueue.length, 1);
  t.equal(env.episodeCount, 1);
});

t.test("truncation also ends an episode; queues keep the last bufferLength episodes", async (t) => {
  const env = new RecordEpisodeStatistics(new TimeLimit(new ScriptedEnv({ rewards: [1, 2, 3, 4, 5] }), 2), {
    bufferLength: 2,
  });
  const returns: number[] = [];
  for (let e = 0; e < 3; e++) {
    await env.reset();
    await env.step(0);
    const [, , , trunc, info] = await env.step(0);
    t.ok(trunc);
    returns.push((info.episode as EpisodeStatistics).r);
  }
  t.same(returns, [3, 3, 3], "1 + 2 each episode; counters restart on reset");
  t.same(env.returnQueue, [3, 3]);
  t.same(env.lengthQueue, [2, 2]);
  t.equal(env.episodeCount, 3);
});

t.test("works under Autoreset (Autoreset outside) and honours statsKey", async (t) => {
  const env = new Autoreset(
    new RecordEpisodeStatistics(new ScriptedEnv({ rewards: [5, 7], terminateAt: 2 }), { statsKey: "stats" }),
  );
  await env.reset();
  await env.step(0);
  const [, , term, , info] = await env.step(0);
  t.ok(term);
  t.same({ r: (info.stats as EpisodeStatistics).r, l: (info.stats as EpisodeStatistics).l }, { r: 12, l: 2 });
  const [obs, reward] = await env.step(0); // autoreset step
  t.same([obs, reward], [0, 0]);
  await env.step(0);
  const [, , term2, , info2] = await env.step(0);
  t.ok(term2);
  t.equal((info2.stats as EpisodeStatistics).r, 12, "second episode counted from its own reset");
});

t.test("bad options and an info key clash are typed errors", async (t) => {
  t.throws(() => new RecordEpisodeStatistics(new ScriptedEnv(), { bufferLength: 0 }), InvalidArgumentError);
  const env = new RecordEpisodeStatistics(new ScriptedEnv({ terminateAt: 1, info: () => ({ episode: 1 }) }));
  await env.reset();
  await t.rejects(env.step(0), InvalidArgumentError);
});
