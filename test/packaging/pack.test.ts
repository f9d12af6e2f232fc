// Packaging: `npm pack` the built package, install the tarball into a temporary consumer
// project, then `import` it (ESM), `require` it (CommonJS) and type-check a TypeScript file
// against its declarations with the project's tsc. Needs lib/ (`npm test` builds first).
//
// The tarball is unpacked into the consumer's node_modules and only the package's declared
// `dependencies` (plus @types/node, which any TypeScript consumer on Node has) are linked from
// this project's node_modules: an import of an undeclared package fails here as it would for a
// user. The consumer uses `skipLibCheck: true` (tsc --init's default); declarations whose
// imported types are missing would silently degrade to `any`, which a @ts-expect-error detects.
import t from "tap";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const root = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  name: string;
  dependencies?: Record<string, string>;
};

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
}

t.test("npm pack -> install -> import (ESM), require (CJS) and tsc against the types", async (t) => {
  if (!existsSync(join(root, "lib", "index.js")) || !existsSync(join(root, "lib", "index.mjs"))) {
    t.fail("lib/ is missing: run `npm run build` first (`npm test` does)");
    return;
  }
  const work = mkdtempSync(join(tmpdir(), "alignsam-gym-pack-"));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));

  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], root)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  const tarball = join(work, (packed[0] as { filename: string }).filename);
  const files = (packed[0] as { files: Array<{ path: string }> }).files.map((f) => f.path);
  t.ok(
    files.includes("lib/index.js") && files.includes("lib/index.mjs") && files.includes("lib/index.d.ts"),
    "the tarball has the CJS, ESM and type entry points",
  );
  t.notOk(
    files.some((f) => f.startsWith("src/") || f.startsWith("test/")),
    "sources and tests are not packed",
  );

  const consumer = join(work, "consumer");
  const modules = join(consumer, "node_modules");
  const installed = join(modules, pkg.name);
  mkdirSync(installed, { recursive: true });
  run("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"], work);
  for (const dep of [...Object.keys(pkg.dependencies ?? {}), "@types/node"]) {
    const from = join(root, "node_modules", dep);
    if (!existsSync(from)) continue; // an optional dependency that is not installed
    mkdirSync(dirname(join(modules, dep)), { recursive: true });
    symlinkSync(from, join(modules, dep), "dir");
  }
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "commonjs" }),
  );

  writeFileSync(
    join(consumer, "esm.mjs"),
    [
      `import { Box, Discrete, make, CartPoleEnv } from "${pkg.name}";`,
      `import * as testing from "${pkg.name}/testing";`,
      `import { createRequire } from "node:module";`,
      `const cjs = createRequire(import.meta.url)("${pkg.name}");`,
      `const env = make("CartPole-v1");`,
      `const [obs] = await env.reset({ seed: 1 });`,
      `const [, reward] = await env.step(new Discrete(2).sample());`,
      `const box = new Box({ low: 0, high: 1, shape: [2] });`,
      `console.log(JSON.stringify({ shape: obs.shape, reward, contains: box.contains(box.sample()), same: cjs.Box === Box,`,
      `  cartpole: env.unwrapped instanceof CartPoleEnv, testing: Object.keys(testing).length > 0 }));`,
    ].join("\n"),
  );
  const esm = JSON.parse(run(process.execPath, ["esm.mjs"], consumer)) as Record<string, unknown>;
  t.same(
    esm,
    { shape: [4], reward: 1, contains: true, same: true, cartpole: true, testing: true },
    "ESM import works and shares one instance with require",
  );

  writeFileSync(
    join(consumer, "cjs.cjs"),
    [
      `const gym = require("${pkg.name}");`,
      `const heavy = Object.keys(require.cache).filter((p) => /[\\\\/](@tensorflow|onnxruntime-node)[\\\\/]/.test(p));`,
      `const env = gym.make("CartPole-v1", { maxEpisodeSteps: 5 });`,
      `(async () => {`,
      `  await env.reset({ seed: 2 });`,
      `  let steps = 0, done = false;`,
      `  while (!done) { const [, , term, trunc] = await env.step(steps % 2); done = term || trunc; steps++; }`,
      `  console.log(JSON.stringify({ steps, heavy, errors: typeof gym.RegistryError, version: require("${pkg.name}/package.json").version }));`,
      `})();`,
    ].join("\n"),
  );
  const cjs = JSON.parse(run(process.execPath, ["cjs.cjs"], consumer)) as Record<string, unknown>;
  t.same(cjs.heavy, [], "require() loads neither tfjs nor onnxruntime");
  t.equal(cjs.steps, 5, "the TimeLimit of make() truncates at 5 steps");
  t.equal(cjs.errors, "function");
  // The CLIP BPE merges ship as an asset (assets/clip/) and are found from the installed lib/.
  const tokens = run(
    process.execPath,
    ["-e", `console.log(Array.from(require("${pkg.name}").clipTokenize("a dog").data.slice(0, 4)).join(","))`],
    consumer,
  ).trim();
  t.equal(tokens, "49406,320,1929,49407", "clipTokenize reads the packaged merges file");

  writeFileSync(
    join(consumer, "check.ts"),
    [
      `import { Box, Discrete, Dict, make, checkEnv, CartPoleEnv, TimeLimit, RecordEpisodeStatistics } from "${pkg.name}";`,
      `import type { Env, StepResult } from "${pkg.name}";`,
      `const space: Dict = new Dict({ pos: new Box({ low: -1, high: 1, shape: [2] }), flag: new Discrete(2) });`,
      `const n: number = new Discrete(3).n;`,
      `const env: Env<unknown, unknown> = new RecordEpisodeStatistics(new TimeLimit(new CartPoleEnv(), 10));`,
      `async function main(): Promise<void> {`,
      `  const made = make("CartPole-v1");`,
      `  const r: StepResult<unknown> = await made.step(0);`,
      `  await checkEnv(new CartPoleEnv(), { skipRenderCheck: true });`,
      `  console.log(space.toString(), n, env.toString(), r.length);`,
      `}`,
      `void main();`,
      `// @ts-expect-error: Discrete takes a number`,
      `new Discrete("3");`,
      `// @ts-expect-error: observations are NdArray<Float32Array> (fails if the ndarray types are missing and degrade to any)`,
      `const wrong: string = new CartPoleEnv().observationSpace.sample();`,
      `void wrong;`,
    ].join("\n"),
  );
  // A tfjs user: tfjs tensors go into the ppo entry's tensor interfaces without a cast, and outputs
  // are narrowed back to tfjs classes to use tf ops on them.
  writeFileSync(
    join(consumer, "tf-user.ts"),
    [
      `import * as tf from "@tensorflow/tfjs";`,
      `import { Box, Discrete } from "${pkg.name}";`,
      `import { MlpAgent, Adam, conv2dFilterGradient } from "${pkg.name}/ppo";`,
      `import type { ActorCritic, VariableHandle } from "${pkg.name}/ppo";`,
      `export function run(): number {`,
      `  const agent = new MlpAgent(new Box({ low: -1, high: 1, shape: [4] }), new Discrete(2), { kind: "mlp" }, 0);`,
      `  const out = agent.forward(tf.zeros([8, 4]));`,
      `  const probs: tf.Tensor2D = tf.softmax(out.logits as tf.Tensor2D);`,
      `  // @ts-expect-error: outputs are the package's tensor interfaces; narrow them to use tf ops`,
      `  tf.softmax(out.logits);`,
      `  const v: VariableHandle = tf.variable(tf.zeros([2]));`,
      `  new Adam([...agent.params.variables(), v]).apply([tf.zeros([4, 64]), tf.zeros([2])], 1e-3);`,
      `  const x = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;`,
      `  const g = conv2dFilterGradient(x, x, [1, 1, 1, 1], 1, "same") as tf.Tensor4D;`,
      `  return probs.dataSync()[0]! + g.size;`,
      `}`,
      `export class TfAgent implements Pick<ActorCritic, "forward"> {`,
      `  forward(x: tf.Tensor): { logits: tf.Tensor2D; values: tf.Tensor1D } {`,
      `    return { logits: x as tf.Tensor2D, values: tf.zeros([1]) as tf.Tensor1D };`,
      `  }`,
      `}`,
    ].join("\n"),
  );
  writeFileSync(
    join(consumer, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: "node16",
        moduleResolution: "node16",
        target: "ES2022",
        lib: ["ES2022"],
        types: ["node"],
        skipLibCheck: true,
      },
      files: ["check.ts", "tf-user.ts"],
    }),
  );
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  let tscOutput = "";
  try {
    run(process.execPath, [tsc, "-p", "tsconfig.json"], consumer);
  } catch (e) {
    tscOutput = String((e as { stdout?: string }).stdout ?? e);
  }
  t.equal(tscOutput, "", "a strict TypeScript consumer type-checks against the published declarations");

  // The main entry's declarations must not need onnxruntime-node (an optional peer, not installed
  // here) even when the consumer checks library files (skipLibCheck false); env.render() goes to
  // encodePng without a cast.
  writeFileSync(
    join(consumer, "strict.ts"),
    [
      `import { make, encodePng, ONNXRUNTIME_INSTALL_HINT } from "${pkg.name}";`,
      `export async function frame(): Promise<number> {`,
      `  const env = make("CartPole-v1", { renderMode: "rgb_array" });`,
      `  await env.reset({ seed: 0 });`,
      `  return encodePng(await env.render()).length + ONNXRUNTIME_INSTALL_HINT.length;`,
      `}`,
    ].join("\n"),
  );
  writeFileSync(
    join(consumer, "tsconfig.strict.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: "node16",
        moduleResolution: "node16",
        target: "ES2022",
        lib: ["ES2022"],
        types: ["node"],
        skipLibCheck: false,
      },
      files: ["strict.ts"],
    }),
  );
  let strictOutput = "";
  try {
    run(process.execPath, [tsc, "-p", "tsconfig.strict.json"], consumer);
  } catch (e) {
    strictOutput = String((e as { stdout?: string }).stdout ?? e);
  }
  t.equal(strictOutput, "", "skipLibCheck false: the main entry's .d.ts files need no onnxruntime-node types");

  // alignsam-gym/ppo and alignsam-gym/testing under the same strict, skipLibCheck-false settings.
  // tfjs's own .d.ts files fail there (DOM and WebGL names missing without lib DOM, strict errors
  // in tfjs-layers even with it), so the published declarations describe tensors by our own
  // interfaces and tsc must not load a single @tensorflow file.
  writeFileSync(
    join(consumer, "ppo-strict.ts"),
    [
      `import { Box, Discrete, makeVec } from "${pkg.name}";`,
      `import { loadPolicy, createAgent, PpoTrainer, Adam, selectBackend } from "${pkg.name}/ppo";`,
      `import type { ActorCritic, LoadedPolicy, PolicyOutput, Tensor2DHandle, PpoVectorEnv } from "${pkg.name}/ppo";`,
      `import { makeRewardContext } from "${pkg.name}/testing";`,
      `export async function act(bytes: Uint8Array): Promise<number> {`,
      `  const policy: LoadedPolicy = await loadPolicy(bytes, { backend: "cpu" });`,
      `  return policy.act(new Float32Array(4), { greedy: true });`,
      `}`,
      `export async function train(): Promise<number> {`,
      `  await selectBackend("cpu");`,
      `  const space = new Box({ low: -1, high: 1, shape: [4] });`,
      `  const agent: ActorCritic = createAgent({ kind: "mlp" }, space, new Discrete(2), 0);`,
      `  const envs = makeVec("CartPole-v1", 2) as unknown as PpoVectorEnv;`,
      `  const trainer = new PpoTrainer({ envs, agent, hyperparameters: { numSteps: 8 } });`,
      `  const out: PolicyOutput = agent.forward(agent.params.variables()[0]!);`,
      `  const logits: Tensor2DHandle = out.logits;`,
      `  new Adam(agent.params.variables()).apply([logits], 1e-3);`,
      `  return logits.dataSync<"float32">()[0]! + trainer.hp.numSteps;`,
      `}`,
      `export const ctx = makeRewardContext({ gt: ["#.", ".."], pred: ["#.", ".."], clicks: [[0, 0, "+"]] });`,
      `const small = createAgent({ kind: "mlp" }, new Box({ low: 0, high: 1, shape: [1] }), new Discrete(2), 0);`,
      `// @ts-expect-error: a TensorHandle is not a number (fails if the tensor types degrade to any)`,
      `export const wrong: number = small.forward(null as never).values;`,
    ].join("\n"),
  );
  writeFileSync(
    join(consumer, "tsconfig.ppo.json"),
    JSON.stringify({
      extends: "./tsconfig.strict.json",
      compilerOptions: { listFiles: true },
      files: ["ppo-strict.ts"],
    }),
  );
  let ppoOutput = "";
  try {
    ppoOutput = run(process.execPath, [tsc, "-p", "tsconfig.ppo.json"], consumer);
  } catch (e) {
    ppoOutput = String((e as { stdout?: string }).stdout ?? e);
  }
  const loaded = ppoOutput.split("\n").filter((l) => l.includes("node_modules"));
  t.ok(
    loaded.some((l) => l.includes(`${pkg.name}/lib/ppo/index.d.ts`)),
    "tsc read the ppo entry's declarations",
  );
  t.same(
    ppoOutput.split("\n").filter((l) => /error TS/.test(l)),
    [],
    "skipLibCheck false: alignsam-gym/ppo and alignsam-gym/testing type-check",
  );
  t.same(
    loaded.filter((l) => /[\\/]@tensorflow[\\/]/.test(l)),
    [],
    "the ppo entry's declarations load no @tensorflow .d.ts file",
  );
});
