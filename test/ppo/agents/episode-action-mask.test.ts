import t from "tap";
import type { Env } from "../../../src/core/env";
import { Wrapper } from "../../../src/core/wrapper";
import type { ResetOptions } from "../../../src/core/types";
import { InvalidArgumentError } from "../../../src/core/errors";
import { Rng } from "../../../src/core/rng";
import { make } from "../../../src/registry";
import { SyncVectorEnv } from "../../../src/vector";
import { selectBackend } from "../../../src/ppo/nn/backend";
import { EpisodeActionMask } from "../../../src/ppo/agents/episode-action-mask";
import { sampleCategorical } from "../../../src/ppo/agents/categorical";
import { MlpAgent } from "../../../src/ppo/agents/mlp-agent";
import { PpoTrainer } from "../../../src/ppo/ppo";
import type { PpoVectorEnv } from "../../../src/ppo/ppo";
import type { ActorCritic } from "../../../src/ppo/agents/agent";

t.setTimeout(60_000);

t.test("EpisodeActionMask: groups, apply, clear and state round trip", async (t) => {
  const mask = new EpisodeActionMask(2, 8, 2);
  mask.record(0, 5); // patch 2: actions 4, 5
  mask.record(1, 0);
  t.same(Array.from(mask.row(0)), [0, 0, 0, 0, 1, 1, 0, 0]);
  t.same(Array.from(mask.row(1)), [1, 1, 0, 0, 0, 0, 0, 0]);
  const logits = Float32Array.from({ length: 16 }, (_, k) => k);
  mask.apply(logits);
  t.same(Array.from(logits), [0, 1, 2, 3, -Infinity, -Infinity, 6, 7, -Infinity, -Infinity, 10, 11, 12, 13, 14, 15]);
  const state = mask.getState();
  t.same(state, [[5], [0]]);
  const copy = new EpisodeActionMask(2, 8, 2);
  copy.setState(state);
  t.same(Array.from(copy.blocked), Array.from(mask.blocked));
  mask.clear(0);
  t.same(Array.from(mask.row(0)), new Array(8).fill(0));
  t.same(mask.getState(), [[], [0]]);
  const single = new EpisodeActionMask(1, 3, 1);
  single.record(0, 1);
  t.same(Array.from(single.row(0)), [0, 1, 0], "group size 1 masks the action only");
});

t.test("EpisodeActionMask with group ids (groupOf): every action of the taken action's group is masked", async (t) => {
  const mask = new EpisodeActionMask(1, 6, [7, 3, 7, 3, 5, 7]);
  mask.record(0, 2);
  t.same(Array.from(mask.row(0)), [1, 0, 1, 0, 0, 1], "group 7 = actions 0, 2, 5");
  mask.record(0, 3);
  t.same(Array.from(mask.row(0)), [1, 1, 1, 1, 0, 1]);
  mask.record(0, 4);
  t.same(Array.from(mask.row(0)), [0, 0, 0, 0, 1, 0], "the last open group restarts the history");
  t.throws(() => new EpisodeActionMask(1, 3, [0, 1]), /groupOf has 2 entries, expected numActions = 3/);
  t.throws(() => new EpisodeActionMask(1, 2, [0, 0.5]), /groupOf\[1\] = 0.5 is not an integer/);
});

t.test("EpisodeActionMask never masks every action (the history restarts)", async (t) => {
  const mask = new EpisodeActionMask(1, 4, 2);
  mask.record(0, 0);
  t.same(Array.from(mask.row(0)), [1, 1, 0, 0]);
  mask.record(0, 3);
  t.same(Array.from(mask.row(0)), [0, 0, 1, 1], "taking the last open group clears the history first");
  t.same(mask.getState(), [[3]]);
  mask.record(0, 2); // a caller that ignores the mask: nothing new to mask
  t.same(Array.from(mask.row(0)), [0, 0, 1, 1]);
  t.same(mask.getState(), [[3, 2]]);
  const three = new EpisodeActionMask(1, 3, 1);
  three.record(0, 0);
  three.record(0, 1);
  t.same(Array.from(three.row(0)), [1, 1, 0]);
  three.record(0, 2);
  t.same(Array.from(three.row(0)), [0, 0, 1], "taking the last open action clears the others first");
  t.same(three.getState(), [[2]]);
});

t.test("EpisodeActionMask validates its arguments and names the bad value", async (t) => {
  t.throws(() => new EpisodeActionMask(1, 5, 2), /groupSize 2 does not divide numActions 5/);
  t.throws(() => new EpisodeActionMask(0, 4, 1), InvalidArgumentError);
  const mask = new EpisodeActionMask(2, 4, 1);
  t.throws(() => mask.record(2, 0), /env index 2/);
  t.throws(() => mask.record(0, 4), /action 4/);
  t.throws(() => mask.setState([[1]]), /1 envs/);
  t.same(Array.from(mask.blocked), new Array(8).fill(0), "state unchanged after the errors");
});

t.test("sampleCategorical never picks a masked (-Infinity) action and gives finite log-probs", async (t) => {
  const rng = new Rng(3);
  const n = 6;
  const logits = new Float32Array(n);
  const actions = new Int32Array(1),
    logp = new Float32Array(1);
  const counts = new Array(n).fill(0);
  let allFinite = true;
  for (let k = 0; k < 3000; k++) {
    logits.set([0, 2, 0, -1, 1, 0]);
    logits[1] = -Infinity;
    logits[5] = -Infinity;
    sampleCategorical(logits, 1, n, rng, actions, logp);
    counts[actions[0]!]++;
    allFinite &&= Number.isFinite(logp[0]!);
  }
  t.ok(allFinite, "every log-prob is finite");
  t.equal(counts[1], 0);
  t.equal(counts[5], 0);
  // Probabilities over the open actions {0, 2, 3, 4}: e^0, e^0, e^-1, e^1 / Z.
  const z = 2 + Math.exp(-1) + Math.E;
  t.ok(
    Math.abs(counts[4] / 3000 - Math.E / z) < 0.03,
    `action 4 frequency ${(counts[4] / 3000).toFixed(3)} vs ${(Math.E / z).toFixed(3)}`,
  );
  logits.set([5, 2, 0, -1, 1, 0]);
  logits[0] = -Infinity;
  sampleCategorical(logits, 1, n, null, actions, logp);
  t.equal(actions[0], 1, "greedy takes the best open action");
});

/** A CartPole env that reports the actions of each finished episode (ignored reset-row actions excluded). */
class ActionLog<O> extends Wrapper<O, number> {
  current: number[] = [];
  constructor(
    env: Env<O, number>,
    private readonly episodes: number[][],
  ) {
    super(env);
  }
  override async reset(opts?: ResetOptions): Promise<[O, Record<string, unknown>]> {
    this.current = [];
    return super.reset(opts);
  }
  override async step(action: number): ReturnType<Env<O, number>["step"]> {
    this.current.push(action);
    const result = await super.step(action);
    if (result[2] || result[3]) this.episodes.push(this.current);
    return result;
  }
}

t.test("PPO with a no-repeat agent: no episode repeats an action, in rollouts and across a resume", async (t) => {
  await selectBackend("cpu");
  const episodes: number[][] = [];
  // CartPole truncated after 2 steps: with 2 actions and no repeats, every episode is {0, 1}.
  const envs = new SyncVectorEnv(
    Array.from(
      { length: 3 },
      () => (): Env<unknown, unknown> =>
        new ActionLog(make<unknown, number>("CartPole-v1", { maxEpisodeSteps: 2 }), episodes) as unknown as Env<
          unknown,
          unknown
        >,
    ),
  ) as unknown as PpoVectorEnv;
  const base = new MlpAgent(envs.singleObservationSpace, envs.singleActionSpace, { kind: "mlp", hidden: [8] }, 1);
  const agent = Object.assign(Object.create(base) as ActorCritic, { noRepeatGroups: Int32Array.of(0, 1) });
  const ppo = new PpoTrainer({
    envs,
    agent,
    hyperparameters: { numSteps: 7, numMinibatches: 1, totalTimesteps: 3 * 7 * 3 },
  });
  await ppo.start();
  const log = await ppo.iterate();
  t.ok(
    Number.isFinite(log.policyLoss) && Number.isFinite(log.entropy) && log.entropy <= Math.log(2) + 1e-6,
    `finite losses (entropy ${log.entropy})`,
  );
  const state = ppo.getState();
  t.ok(
    state.takenActions !== undefined && state.takenActions.length === 3,
    "the trainer state records each env's taken actions",
  );
  ppo.setState(state);
  t.same(ppo.getState().takenActions, state.takenActions, "setState restores them");
  while (!ppo.done) await ppo.iterate();
  t.ok(episodes.length >= 20, `${episodes.length} episodes`);
  t.ok(
    episodes.every((e) => e.length === 2 && e[0] !== e[1]),
    `every episode takes both actions once: ${JSON.stringify(episodes.slice(0, 6))}`,
  );
  ppo.dispose();
  base.dispose();
});
