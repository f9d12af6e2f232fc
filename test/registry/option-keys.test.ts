// Issue 14, item 10: option objects are read by their own keys only; __proto__, constructor and
// prototype keys (as JSON.parse produces them) are refused instead of silently applying options
// through the prototype and skipping the unknown-option check.
import t from "tap";
import { InvalidArgumentError, checkOptionKeys } from "../../src/core";
import { make, makeVec } from "../../src/registry";
import { parseJsonObject } from "../../src/cli/commands/train";

t.test("make(SamSegEnv-v0, JSON __proto__) is refused, not applied", async (t) => {
  const evil = JSON.parse('{"__proto__":{"maxSteps":1,"bogusOption":7}}') as Record<string, unknown>;
  t.throws(() => make("SamSegEnv-v0", evil), {
    name: "InvalidArgumentError",
    message: /make\(SamSegEnv-v0\): option key "__proto__" is not allowed/,
  });
  t.throws(() => make("CartPole-v1", JSON.parse('{"constructor":{"x":1}}')), InvalidArgumentError);
  t.throws(
    () => make("CartPole-v1", { nested: JSON.parse('{"a":{"prototype":1}}') }),
    /"nested\.a\.prototype" is not allowed/,
  );
  t.throws(
    () => makeVec("CartPole-v1", 2, JSON.parse('{"__proto__":{"vectorizationMode":"async"}}')),
    /makeVec\(CartPole-v1\)/,
  );
  // Ordinary options are untouched, class instances inside are not walked.
  const env = make("CartPole-v1", { maxEpisodeSteps: 10, renderMode: null });
  t.equal(env.spec?.maxEpisodeSteps, 10);
  await env.close();
  t.doesNotThrow(() => checkOptionKeys({ a: new Map([["__proto__", 1]]), b: [1, { c: 2 }] }, "x"));
});

t.test("train/eval --env-kwargs and --agent-config refuse the same keys", async (t) => {
  t.throws(
    () => parseJsonObject('{"__proto__":{"maxSteps":1,"bogusOption":7}}'),
    /option key "__proto__" is not allowed/,
  );
  t.throws(() => parseJsonObject('{"a":[{"constructor":1}]}'), /"a\.0\.constructor"/);
  t.same(parseJsonObject('{"maxSteps":3}'), { maxSteps: 3 });
});
