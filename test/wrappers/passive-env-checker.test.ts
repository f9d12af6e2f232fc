import t from "tap";
import { Env } from "../../src/core";
import type { Info, ResetOptions, StepResult } from "../../src/core";
import { Discrete } from "../../src/spaces";
import { PassiveEnvChecker } from "../../src/wrappers";
import { ScriptedEnv } from "./scripted-env";

class BadObsEnv extends ScriptedEnv {
  override async reset(opts?: ResetOptions): Promise<[number, Info]> {
    await super.reset(opts);
    return [5000, {}];
  }
  override async step(a: number): Promise<StepResult<number>> {
    const r = await super.step(a);
    r[0] = -1;
    return r;
  }
}

t.test("PassiveEnvChecker checks only the first reset and step, and warns via the callback", async (t) => {
  const warnings: string[] = [];
  const env = new PassiveEnvChecker(new BadObsEnv(), { warn: (m) => warnings.push(m) });
  await env.reset();
  t.equal(warnings.length, 1);
  t.match(warnings[0], /reset\(\) is not within the observation space/);
  await env.reset();
  t.equal(warnings.length, 1, "the second reset is not checked");
  await env.step(0);
  t.equal(warnings.length, 2);
  t.match(warnings[1], /step\(\) is not within the observation space/);
  await env.step(0);
  t.equal(warnings.length, 2, "the second step is not checked");
});

t.test("PassiveEnvChecker throws on broken contracts", async (t) => {
  class FourTuple extends ScriptedEnv {
    override async step(a: number): Promise<StepResult<number>> {
      const r = await super.step(a);
      return [r[0], r[1], r[2], r[4]] as unknown as StepResult<number>;
    }
  }
  const env = new PassiveEnvChecker(new FourTuple(), { warn: () => {} });
  await env.reset();
  await t.rejects(env.step(0), { name: "EnvCheckError", check: "step-return" });

  class NoSpace extends Env<number, number> {
    observationSpace = new Discrete(2);
    actionSpace = { n: 2 } as unknown as Discrete;
    async reset(): Promise<[number, Info]> {
      return [0, {}];
    }
    async step(): Promise<StepResult<number>> {
      return [0, 0, false, false, {}];
    }
  }
  t.throws(() => new PassiveEnvChecker(new NoSpace()), { name: "EnvCheckError", check: "action-space" });
});

t.test("PassiveEnvChecker warns and rethrows when a second close throws", async (t) => {
  class CloseOnce extends ScriptedEnv {
    override async close(): Promise<void> {
      await super.close();
      if (this.closed > 1) throw new Error("already closed");
    }
  }
  const warnings: string[] = [];
  const env = new PassiveEnvChecker(new CloseOnce(), { warn: (m) => warnings.push(m) });
  await env.close();
  await t.rejects(env.close(), /already closed/);
  t.equal(warnings.length, 1);
});
