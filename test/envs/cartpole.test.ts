import t from "tap";
import { InvalidActionError, InvalidArgumentError, ResetNeededError, Rng, setWarningHandler } from "../../src/core";
import { Box, Discrete } from "../../src/spaces";
import { CartPoleEnv } from "../../src/envs/cartpole";

const close = (a: number, b: number, tol = 1e-12): boolean => Math.abs(a - b) <= tol;

t.test("spaces match Gymnasium's CartPole-v1", async (t) => {
  const env = new CartPoleEnv();
  t.ok(env.actionSpace instanceof Discrete);
  t.equal(env.actionSpace.n, 2);
  const space = env.observationSpace;
  t.ok(space instanceof Box);
  t.equal(space.dtype, "float32");
  t.same(space.shape, [4]);
  // x_threshold * 2 and (12 degrees in radians) * 2, as float32
  t.same(Array.from(space.high.data), [4.800000190734863, Infinity, 0.41887903213500977, Infinity]);
  t.same(Array.from(space.low.data), [-4.800000190734863, -Infinity, -0.41887903213500977, -Infinity]);
  t.same(env.metadata.renderModes, ["rgb_array"]);
  t.equal(env.metadata.renderFps, 50);
});

t.test("reset draws the four state variables uniformly in (-0.05, 0.05) from env.rng", async (t) => {
  const env = new CartPoleEnv();
  const [obs, info] = await env.reset({ seed: 7 });
  t.same(info, {});
  t.ok(obs.data instanceof Float32Array);
  t.same(obs.shape, [4]);
  const state = env.state!;
  const rng = new Rng(7);
  const expected = [0, 1, 2, 3].map(() => rng.uniform(-0.05, 0.05));
  t.same(Array.from(state), expected, "four uniform draws, in order, from the seeded rng");
  t.same(Array.from(obs.data), expected.map(Math.fround), "obs is the float32 copy of the state");
  for (let s = 0; s < 50; s++) {
    const [o] = await env.reset({ seed: s });
    t.ok(Array.from(o.data).every((v) => v >= -0.05 && v <= 0.05));
  }
  const [wide] = await env.reset({ seed: 1, options: { low: -0.2, high: -0.1 } });
  t.ok(
    Array.from(wide.data).every((v) => v >= -0.2 && v <= -0.1),
    "options.low/high change the bounds",
  );
  await t.rejects(env.reset({ options: { low: 1, high: 0 } }), InvalidArgumentError);
});

t.test("one step from the upright rest state, computed by hand from Gymnasium's equations", async (t) => {
  const env = new CartPoleEnv();
  await env.reset({ seed: 0 });
  env.state = [0, 0, 0, 0];
  // action 1: force = +10 N; sin = 0, cos = 1
  // temp = 10 / 1.1 = 9.0909...; thetaacc = (0 - temp) / (0.5 * (4/3 - 0.1 / 1.1)) = -14.634146...
  // xacc = temp - 0.05 * thetaacc / 1.1 = 9.756097...
  // Euler: x = 0, x_dot = 0.02 * xacc = 0.19512195..., theta = 0, theta_dot = 0.02 * thetaacc = -0.29268292...
  const [obs, reward, terminated, truncated, info] = await env.step(1);
  const s = env.state!;
  t.ok(close(s[0]!, 0) && close(s[2]!, 0));
  t.ok(close(s[1]!, 0.1951219512195122), `x_dot ${s[1]}`);
  t.ok(close(s[3]!, -0.2926829268292683), `theta_dot ${s[3]}`);
  t.same(Array.from(obs.data), [0, 0.1951219512195122, 0, -0.2926829268292683].map(Math.fround));
  t.same([reward, terminated, truncated, info], [1, false, false, {}]);
});

t.test("two steps from a tilted moving state (explicit Euler: positions use the old velocities)", async (t) => {
  const env = new CartPoleEnv();
  await env.reset({ seed: 0 });
  env.state = [0.1, -0.2, 0.05, 0.3];
  await env.step(0);
  const s1 = Array.from(env.state!);
  const want1 = [0.096, -0.3957976546439626, 0.056, 0.6080233136061515];
  t.ok(
    s1.every((v, i) => close(v, want1[i]!)),
    `step 1: ${s1}`,
  );
  await env.step(0);
  const s2 = Array.from(env.state!);
  const want2 = [0.08808404690712075, -0.5916559671792079, 0.06816046627212304, 0.917805640196032];
  t.ok(
    s2.every((v, i) => close(v, want2[i]!)),
    `step 2: ${s2}`,
  );
});

t.test(
  "termination at |x| > 2.4 or |theta| > 12 degrees; reward 1 on the last step, then 0 with one warning",
  async (t) => {
    const env = new CartPoleEnv();
    await env.reset({ seed: 0 });
    env.state = [0, 0, 0.2094, 1]; // theta crosses 0.20944 rad after this step
    const [, r1, term1] = await env.step(1);
    t.same([r1, term1], [1, true]);
    const warnings: string[] = [];
    const previous = setWarningHandler((m) => warnings.push(m));
    try {
      const [, r2, term2] = await env.step(1);
      const [, r3] = await env.step(1);
      t.same([r2, term2, r3], [0, true, 0]);
      t.equal(warnings.length, 1, "warns once when stepping after termination");
      t.match(warnings[0], /already returned terminated = true/);
    } finally {
      setWarningHandler(previous);
    }
    env.state = [2.39, 1, 0, 0];
    t.equal((await env.step(1))[2], true, "cart beyond x = 2.4 terminates");
    env.state = [-2.4, 0, 0, 0];
    t.equal((await env.step(0))[2], false, "x = -2.4 exactly is not beyond the threshold");
  },
);

t.test("Sutton-Barto reward: 0 per step, -1 on termination", async (t) => {
  const env = new CartPoleEnv({ suttonBartoReward: true });
  await env.reset({ seed: 0 });
  t.equal((await env.step(0))[1], 0);
  env.state = [0, 0, 0.2094, 1];
  t.same((await env.step(1)).slice(1, 3), [-1, true]);
});

t.test("bad actions, stepping before reset and bad render modes are typed errors", async (t) => {
  const env = new CartPoleEnv();
  await t.rejects(env.step(0), ResetNeededError);
  await env.reset({ seed: 0 });
  const before = Array.from(env.state!);
  for (const a of [2, -1, 0.5, NaN, "1" as unknown as number]) await t.rejects(env.step(a), InvalidActionError);
  t.same(Array.from(env.state!), before, "state unchanged after a rejected action");
  t.throws(() => new CartPoleEnv({ renderMode: "human" }), InvalidArgumentError);
  t.throws(() => {
    env.state = [1, 2, 3];
  }, InvalidArgumentError);
});

t.test("rgb_array render: a [400, 600, 3] uint8 frame with the cart and pole drawn", async (t) => {
  const env = new CartPoleEnv({ renderMode: "rgb_array" });
  await env.reset({ seed: 0 });
  env.state = [0, 0, 0, 0];
  const frame = (await env.render())!;
  t.same(frame.shape, [400, 600, 3]);
  t.ok(frame.data instanceof Uint8Array);
  const px = (row: number, col: number): number[] => [0, 1, 2].map((c) => frame.get(row, col, c));
  t.same(px(10, 10), [255, 255, 255], "white background");
  t.same(px(400 - 1 - 100 + 5, 300), [0, 0, 0], "black cart around the centre (100 px above the bottom)");
  t.same(px(400 - 1 - 200, 300), [202, 152, 101], "upright pole above the cart");
  const silent = new CartPoleEnv();
  const previous = setWarningHandler(() => {});
  try {
    t.equal(await silent.render(), null, "no render mode: null");
  } finally {
    setWarningHandler(previous);
  }
});
