import t from "tap";
import { computeGae } from "../../src/ppo/gae";
import type { GaeInput } from "../../src/ppo/gae";
import { InvalidArgumentError } from "../../src/core/errors";

// Two envs, four steps, gamma 0.9, lambda 0.8, rows (t, i) stored at t * 2 + i.
// env 0: t0 normal r=1; t1 TRUNCATED r=1; t2 NEXT_STEP reset row; t3 normal r=1; V = .5 .6 .7 .8; V(next) = .9
// env 1: t0 normal r=.5; t1 TERMINATED r=-1; t2 reset row; t3 normal, truncated, r=2; V = 1 2 3 4; V(next) = 5
// Hand computation:
//   env 0: A3 = 1 + .9*.9 - .8 = 1.01; A2 = 0 (reset row);
//          A1 = 1 + .9*V(final obs)=.9*.7 - .6 = 1.03 (bootstrapped, no propagation past the end);
//          A0 = (1 + .9*.6 - .5) + .9*.8*1.03 = 1.04 + .7416 = 1.7816
//   env 1: A3 = 2 + .9*5 - 4 = 2.5; A2 = 0; A1 = -1 + 0 - 2 = -3 (terminated: no bootstrap);
//          A0 = (.5 + .9*2 - 1) + .72*(-3) = 1.3 - 2.16 = -0.86
function example(): GaeInput {
  return {
    numSteps: 4,
    numEnvs: 2,
    rewards: [1, 0.5, 1, -1, 0, 0, 1, 2],
    values: [0.5, 1, 0.6, 2, 0.7, 3, 0.8, 4],
    terminated: [0, 0, 0, 1, 0, 0, 0, 0],
    truncated: [0, 0, 1, 0, 0, 0, 0, 1],
    resetRows: [0, 0, 0, 0, 1, 1, 0, 0],
    nextValues: [0.9, 5],
    gamma: 0.9,
    gaeLambda: 0.8,
  };
}

t.test("hand-computed example with a truncation, a termination and NEXT_STEP reset rows", async (t) => {
  const { advantages, returns } = computeGae(example());
  const expected = [1.7816, -0.86, 1.03, -3, 0, 0, 1.01, 2.5];
  const values = example().values as number[];
  for (let k = 0; k < 8; k++) {
    t.ok(
      Math.abs(advantages[k]! - expected[k]!) < 1e-5,
      `advantage[${k}] = ${advantages[k]} (expected ${expected[k]})`,
    );
    t.ok(Math.abs(returns[k]! - (expected[k]! + values[k]!)) < 1e-5, `return[${k}] = A + V`);
  }
});

t.test("treating the truncation as a termination would change the advantage", async (t) => {
  const asTermination = { ...example(), terminated: [0, 0, 1, 1, 0, 0, 0, 1] };
  const a = computeGae(asTermination).advantages;
  t.ok(Math.abs(a[2]! - (1 - 0.6)) < 1e-6, "no bootstrap: 0.4");
  t.ok(Math.abs(computeGae(example()).advantages[2]! - 1.03) < 1e-6, "bootstrap from V(final obs): 1.03");
});

t.test("lambda = 1, no episode ends: discounted return minus value", async (t) => {
  const r = computeGae({
    numSteps: 3,
    numEnvs: 1,
    rewards: [1, 1, 1],
    values: [0, 0, 0],
    terminated: [0, 0, 0],
    truncated: [0, 0, 0],
    resetRows: [0, 0, 0],
    nextValues: [10],
    gamma: 0.5,
    gaeLambda: 1,
  });
  t.ok(Math.abs(r.advantages[0]! - (1 + 0.5 + 0.25 + 0.125 * 10)) < 1e-6);
  t.ok(Math.abs(r.returns[2]! - (1 + 0.5 * 10)) < 1e-6);
});

t.test("writes into a caller-provided buffer", async (t) => {
  const out = { advantages: new Float32Array(8), returns: new Float32Array(8) };
  const r = computeGae(example(), out);
  t.equal(r, out);
  t.ok(Math.abs(out.advantages[6]! - 1.01) < 1e-6);
});

t.test("bad input throws a typed error naming the problem", async (t) => {
  t.throws(() => computeGae({ ...example(), rewards: [1, 2] }), InvalidArgumentError);
  t.throws(() => computeGae({ ...example(), gamma: 1.5 }), /gamma/);
  t.throws(() => computeGae({ ...example(), nextValues: [1] }), /nextValues/);
});
