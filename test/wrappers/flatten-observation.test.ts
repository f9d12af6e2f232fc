import t from "tap";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { Env } from "../../src/core";
import type { Info, ResetOptions, StepResult, Space } from "../../src/core";
import { Box, Dict, Discrete, flatten, flattenSpace } from "../../src/spaces";
import { FlattenObservation } from "../../src/wrappers";

type Obs = { gripper: number; position: NdArray<Float32Array> };

class GripperEnv extends Env<Obs, number> {
  observationSpace = new Dict({
    position: new Box({ low: -1, high: 1, shape: [2] }),
    gripper: new Discrete(2),
  }) as unknown as Space<Obs>;
  actionSpace = new Discrete(2);
  async reset(opts?: ResetOptions): Promise<[Obs, Info]> {
    this.seedRng(opts?.seed);
    return [{ gripper: 1, position: ndarray(Float32Array.of(0.5, -0.25), [2]) }, {}];
  }
  async step(): Promise<StepResult<Obs>> {
    return [{ gripper: 0, position: ndarray(Float32Array.of(-1, 1), [2]) }, 0, false, false, {}];
  }
}

t.test(
  "FlattenObservation: Dict {gripper: Discrete(2), position: Box[2]} -> one-hot gripper then position",
  async (t) => {
    const inner = new GripperEnv();
    const env = new FlattenObservation(inner);
    t.ok(env.observationSpace instanceof Box);
    t.same(env.observationSpace.shape, [4]);
    t.ok(env.observationSpace.equals(flattenSpace(inner.observationSpace)));
    const [obs] = await env.reset({ seed: 0 });
    t.same(obs.shape, [4]);
    t.same(Array.from(obs.data), [0, 1, 0.5, -0.25]);
    t.ok(env.observationSpace.contains(obs));
    const [obs2] = await env.step(0);
    t.same(Array.from(obs2.data), [1, 0, -1, 1]);
    t.same(Array.from(obs2.data), Array.from(flatten(inner.observationSpace, (await inner.step())[0]).data));
  },
);
