import t from "tap";
import { Env, RegistryError, Wrapper, setWarningHandler } from "../../src/core";
import type { Info, StepResult } from "../../src/core";
import { Discrete } from "../../src/spaces";
import { CartPoleEnv } from "../../src/envs/cartpole";
import { RecordEpisodeStatistics, TimeLimit } from "../../src/wrappers";
import {
  closeMatches,
  editDistance,
  envRecipe,
  make,
  makeFromRecipe,
  parseEnvId,
  register,
  registry,
  spec,
} from "../../src/registry";

/** The wrapper classes from the outside in. */
function layers(env: Env<unknown, unknown>): string[] {
  const out: string[] = [];
  let e: Env<unknown, unknown> = env;
  for (;;) {
    out.push(e.constructor.name);
    if (!(e instanceof Wrapper)) return out;
    e = e.env;
  }
}

class Counter extends Env<number, number> {
  observationSpace = new Discrete(10);
  actionSpace = new Discrete(2);
  readonly opts: Record<string, unknown>;
  constructor(opts: Record<string, unknown> = {}) {
    super();
    this.opts = opts;
    this.renderMode = (opts.renderMode as string | undefined) ?? null;
  }
  async reset(): Promise<[number, Info]> {
    return [0, {}];
  }
  async step(): Promise<StepResult<number>> {
    return [1, 1, false, false, {}];
  }
}

t.test("CartPole-v1 is registered with Gymnasium's spec", async (t) => {
  const s = spec("CartPole-v1");
  t.equal(s.maxEpisodeSteps, 500);
  t.equal(s.rewardThreshold, 475);
  t.equal(s.orderEnforce, true);
  t.equal(s.disableEnvChecker, false);
  t.equal(s.nondeterministic, false);
  t.equal(s.entryPoint, CartPoleEnv);
  t.ok(registry.has("CartPole-v1"));
});

t.test("make builds Gymnasium's wrapper stack and spec", async (t) => {
  const env = make("CartPole-v1");
  t.same(layers(env), ["TimeLimit", "OrderEnforcing", "PassiveEnvChecker", "CartPoleEnv"]);
  t.equal(env.toString(), "<TimeLimit<OrderEnforcing<PassiveEnvChecker<CartPoleEnv<CartPole-v1>>>>>");
  t.ok(env.unwrapped instanceof CartPoleEnv);
  t.equal((env as TimeLimit).maxEpisodeSteps, 500);
  t.match(env.spec, {
    id: "CartPole-v1",
    maxEpisodeSteps: 500,
    orderEnforce: true,
    disableEnvChecker: false,
    kwargs: {},
  });
  t.match(
    env.unwrapped.spec,
    { maxEpisodeSteps: null, orderEnforce: false, disableEnvChecker: true },
    "the unwrapped env gets the minimal spec",
  );

  t.same(layers(make("CartPole-v1", { disableEnvChecker: true })), ["TimeLimit", "OrderEnforcing", "CartPoleEnv"]);
  const short = make("CartPole-v1", { maxEpisodeSteps: 10 });
  t.equal((short as TimeLimit).maxEpisodeSteps, 10);
  t.equal(short.spec?.maxEpisodeSteps, 10);
  const unlimited = make("CartPole-v1", { maxEpisodeSteps: -1 });
  t.same(layers(unlimited), ["OrderEnforcing", "PassiveEnvChecker", "CartPoleEnv"], "-1 disables TimeLimit");
  t.equal(unlimited.spec?.maxEpisodeSteps, null);
  t.throws(() => make("CartPole-v1", { maxEpisodeSteps: 0 }), RegistryError);
  const rgb = make("CartPole-v1", { renderMode: "rgb_array" });
  t.equal(rgb.renderMode, "rgb_array");
  t.same(rgb.spec?.kwargs, { renderMode: "rgb_array" });
});

t.test("register: kwargs merging, entry point kinds, flags and additional wrappers", async (t) => {
  register({
    id: "test/Counter-v0",
    entryPoint: Counter,
    kwargs: { a: 1, b: 2 },
    orderEnforce: false,
    disableEnvChecker: true,
  });
  const env = make("test/Counter-v0", { b: 3, c: 4, d: undefined });
  t.same(layers(env), ["Counter"], "no checker, no order enforcing, no time limit");
  t.same((env as Counter).opts, { a: 1, b: 3, c: 4 }, "make kwargs override registered kwargs key by key");
  t.same(spec("test/Counter-v0").kwargs, { a: 1, b: 2 }, "the registered kwargs are not mutated");
  t.same(layers(make("test/Counter-v0", { disableEnvChecker: false })), ["PassiveEnvChecker", "Counter"]);

  let calls = 0;
  register({
    id: "test/Factory-v0",
    entryPoint: (kw: Record<string, unknown>) => {
      calls++;
      return new Counter(kw);
    },
    maxEpisodeSteps: 3,
    additionalWrappers: [
      {
        name: "RecordEpisodeStatistics",
        entryPoint: (e, kw) => new RecordEpisodeStatistics(e, kw),
        kwargs: { bufferLength: 7 },
      },
    ],
  });
  const f = make("test/Factory-v0");
  t.equal(calls, 1);
  t.same(layers(f), ["RecordEpisodeStatistics", "TimeLimit", "OrderEnforcing", "PassiveEnvChecker", "Counter"]);
  t.equal((f as RecordEpisodeStatistics).bufferLength, 7);
  t.equal((f.spec?.additionalWrappers as Array<{ name: string }>)[0]?.name, "RecordEpisodeStatistics");

  register({ id: "test/NotAnEnv-v0", entryPoint: () => ({}) as unknown as Env<unknown, unknown> });
  t.throws(() => make("test/NotAnEnv-v0"), RegistryError);
  for (const id of ["test/Counter-v0", "test/Factory-v0", "test/NotAnEnv-v0"]) registry.delete(id);
});

t.test("registry errors: unknown ids list close matches, malformed ids and conflicts are rejected", async (t) => {
  t.throws(() => make("CartPol-v1"), { name: "RegistryError", message: /Did you mean: "CartPole-v1"/ });
  t.throws(() => spec("CartPole-v0"), { message: /"CartPole-v1"/ }, "a missing version suggests the registered one");
  t.throws(() => make("Nothing-Like-It-v9"), {
    name: "RegistryError",
    message: /No environment registered with id "Nothing-Like-It-v9"/,
  });
  t.throws(() => register({ id: "bad id!", entryPoint: Counter }), RegistryError);
  t.throws(() => register({ id: "X-v0", entryPoint: 5 as unknown as typeof Counter }), RegistryError);
  t.throws(() => register({ id: "X-v0", entryPoint: Counter, maxEpisodeSteps: -3 }), RegistryError);
  t.throws(
    () => register({ id: "CartPole", entryPoint: Counter }),
    RegistryError,
    "unversioned next to a versioned env",
  );

  const warnings: string[] = [];
  const previous = setWarningHandler((m) => warnings.push(m));
  try {
    register({ id: "test/Twice-v0", entryPoint: Counter });
    register({ id: "test/Twice-v0", entryPoint: Counter, kwargs: { x: 1 } });
  } finally {
    setWarningHandler(previous);
  }
  t.equal(warnings.length, 1, "re-registering warns (and overrides), as Gymnasium");
  t.same(spec("test/Twice-v0").kwargs, { x: 1 });
  registry.delete("test/Twice-v0");
});

t.test("env ids and close matches", async (t) => {
  t.same(parseEnvId("CartPole-v1"), { namespace: null, name: "CartPole", version: 1 });
  t.same(parseEnvId("ns/My.Env"), { namespace: "ns", name: "My.Env", version: null });
  t.equal(parseEnvId("a b"), null);
  t.equal(editDistance("kitten", "sitting"), 3);
  t.equal(editDistance("", "abc"), 3);
  t.same(closeMatches("cartpole-v1", ["CartPole-v1", "Pendulum-v1"]), ["CartPole-v1"]);
  t.same(closeMatches("zzz", ["CartPole-v1"]), []);
});

t.test("envRecipe describes how to rebuild an env; makeFromRecipe rebuilds it", async (t) => {
  const env = make("CartPole-v1", { maxEpisodeSteps: 20, renderMode: "rgb_array" });
  const recipe = envRecipe(env);
  t.same(recipe, {
    id: "CartPole-v1",
    kwargs: { renderMode: "rgb_array", maxEpisodeSteps: 20, disableEnvChecker: false },
  });
  const again = makeFromRecipe(JSON.parse(JSON.stringify(recipe)));
  t.same(layers(again), layers(env));
  t.same(again.spec, env.spec);
  const unlimited = envRecipe(make("CartPole-v1", { maxEpisodeSteps: -1, disableEnvChecker: true }));
  t.same(unlimited.kwargs, { maxEpisodeSteps: -1, disableEnvChecker: true });
  t.same(layers(makeFromRecipe(unlimited)), ["OrderEnforcing", "CartPoleEnv"]);
  t.throws(() => envRecipe(new CartPoleEnv()), RegistryError, "no spec");
  register({ id: "test/Fn-v0", entryPoint: Counter });
  t.throws(() => envRecipe(make("test/Fn-v0", { callback: () => 1 })), { name: "RegistryError", message: /callback/ });
  registry.delete("test/Fn-v0");
});
