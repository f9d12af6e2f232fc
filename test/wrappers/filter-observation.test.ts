import t from "tap";
import ndarray from "ndarray";
import { Env, InvalidArgumentError } from "../../src/core";
import type { Info, ResetOptions, StepResult, Space } from "../../src/core";
import { Box, Dict, Discrete, Tuple } from "../../src/spaces";
import { FilterObservation } from "../../src/wrappers";

class DictEnv extends Env<Record<string, unknown>, number> {
  observationSpace = new Dict({
    a: new Discrete(3),
    b: new Box({ low: 0, high: 1, shape: [2] }),
    c: new Discrete(5),
  }) as unknown as Space<Record<string, unknown>>;
  actionSpace = new Discrete(2);
  async reset(opts?: ResetOptions): Promise<[Record<string, unknown>, Info]> {
    this.seedRng(opts?.seed);
    return [{ a: 1, b: ndarray(Float32Array.of(0.5, 0.25), [2]), c: 4 }, {}];
  }
  async step(): Promise<StepResult<Record<string, unknown>>> {
    return [{ a: 2, b: ndarray(Float32Array.of(0, 1), [2]), c: 0 }, 0, false, false, {}];
  }
}

class TupleEnv extends Env<unknown[], number> {
  observationSpace = new Tuple([new Discrete(2), new Discrete(3), new Discrete(4)]) as unknown as Space<unknown[]>;
  actionSpace = new Discrete(2);
  async reset(): Promise<[unknown[], Info]> {
    return [[1, 2, 3], {}];
  }
  async step(): Promise<StepResult<unknown[]>> {
    return [[0, 1, 2], 0, false, false, {}];
  }
}

t.test("FilterObservation keeps the chosen Dict keys", async (t) => {
  const env = new FilterObservation(new DictEnv(), ["c", "a"]);
  const space = env.observationSpace as Dict;
  t.ok(space instanceof Dict);
  t.same(space.keys, ["a", "c"], "the new Dict sorts its keys as Dict does");
  const [obs] = await env.reset();
  t.same(obs, { c: 4, a: 1 });
  t.ok(space.contains(obs));
  const [obs2] = await env.step(0);
  t.same(obs2, { c: 0, a: 2 });
});

t.test("FilterObservation picks Tuple indices in the given order", async (t) => {
  const env = new FilterObservation(new TupleEnv(), [2, 0]);
  const [obs] = await env.reset();
  t.same(obs, [3, 1]);
  t.ok(env.observationSpace.contains(obs));
  t.equal((env.observationSpace as Tuple).spaces.length, 2);
});

t.test("FilterObservation rejects bad keys and spaces", async (t) => {
  t.throws(() => new FilterObservation(new DictEnv(), ["zzz"]), { name: "InvalidArgumentError", message: /zzz/ });
  t.throws(() => new FilterObservation(new DictEnv(), []), InvalidArgumentError);
  t.throws(() => new FilterObservation(new DictEnv(), [0]), InvalidArgumentError);
  t.throws(() => new FilterObservation(new TupleEnv(), [3]), InvalidArgumentError);
  t.throws(() => new FilterObservation(new TupleEnv(), [1, 1]), InvalidArgumentError);
  class Plain extends TupleEnv {
    override observationSpace = new Discrete(2) as unknown as Space<unknown[]>;
  }
  t.throws(() => new FilterObservation(new Plain(), [0]), InvalidArgumentError);
});
