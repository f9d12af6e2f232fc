import t from "tap";
import { ResetNeededError } from "../../src/core";
import { OrderEnforcing } from "../../src/wrappers";
import { ScriptedEnv } from "./scripted-env";

t.test("OrderEnforcing throws ResetNeededError on step/render before reset", async (t) => {
  const inner = new ScriptedEnv();
  const env = new OrderEnforcing(inner);
  t.equal(env.hasReset, false);
  await t.rejects(env.step(0), ResetNeededError);
  await t.rejects(env.render(), ResetNeededError);
  t.equal(inner.t, 0, "the inner env was not stepped");
  await env.reset();
  t.equal(env.hasReset, true);
  const [obs] = await env.step(1);
  t.equal(obs, 1);
  t.equal(await env.render(), null);
});

t.test("OrderEnforcing can allow render before reset", async (t) => {
  const env = new OrderEnforcing(new ScriptedEnv(), { disableRenderOrderEnforcing: true });
  t.equal(await env.render(), null);
  await t.rejects(env.step(0), ResetNeededError);
});
