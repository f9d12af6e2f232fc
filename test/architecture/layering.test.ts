import t from "tap";
import { join } from "node:path";
import { importsOf, readImportGraph } from "./import-graph";
import type { ImportEdge, ImportGraph } from "./import-graph";
import { checkLayering, layerOf } from "./layering-rules";

const ROOT = join(__dirname, "..", "..");

t.test("the house keeps its layering: no rule broken in src/ and bench/", async (t) => {
  const graph = readImportGraph(ROOT, ["src", "bench"]);
  t.ok(graph.size > 150, `read ${graph.size} files`);
  t.ok(
    (graph.get("src/ppo/ppo.ts") ?? []).some((e) => e.target === "@tensorflow/tfjs"),
    "the reader sees imports",
  );
  t.same(checkLayering(graph), []);
});

// Each rule on a small fake graph: the violations the issue named, one per rule, so that a
// rule that could never fail would fail here.
const fake = (edges: Record<string, Array<string | ImportEdge>>): ImportGraph =>
  new Map(
    Object.entries(edges).map(([f, es]) => [
      f,
      es.map((e) => (typeof e === "string" ? { target: e, kind: "static" as const } : e)),
    ]),
  );

t.test("layers: vector/ requiring registry/ by a string is caught", async (t) => {
  const source = `const reg = require("../../registry");\nexport const x = 1;`;
  const edges = importsOf(ROOT, "src/vector/async/env-loader.ts", source);
  t.same(edges, [{ target: "src/registry/index.ts", kind: "dynamic" }]);
  const hidden = importsOf(ROOT, "src/vector/async/env-loader.ts", `await load("../../registry");`);
  t.same(
    hidden,
    [{ target: "src/registry/index.ts", kind: "dynamic" }],
    "a path handed to a loader function counts too",
  );
  const v = checkLayering(fake({ "src/vector/async/env-loader.ts": edges, "src/registry/index.ts": [] }));
  t.same(
    v.map((x) => x.rule),
    ["layers"],
  );
  t.match(v[0]?.detail, /src\/vector\/async\/env-loader\.ts \(vector\) imports src\/registry\/index\.ts \(registry\)/);
});

t.test("layers: upward imports are caught, downward ones pass", async (t) => {
  t.same(
    checkLayering(fake({ "src/core/env.ts": ["src/spaces/box.ts"], "src/spaces/box.ts": [] })).map((x) => x.rule),
    ["layers"],
  );
  t.same(
    checkLayering(fake({ "src/priors/p.ts": ["src/ppo/x.ts"], "src/ppo/x.ts": [] })).map((x) => x.rule),
    ["layers"],
    "priors never import ppo",
  );
  t.same(
    checkLayering(
      fake({
        "src/ppo/x.ts": ["src/registry/index.ts", "src/priors/p.ts"],
        "src/registry/index.ts": [],
        "src/priors/p.ts": [],
      }),
    ),
    [],
  );
  t.equal(layerOf("src/index.ts"), "index");
  t.equal(layerOf("src/vector/async/wire.ts"), "vector");
  t.equal(layerOf("bench/run.ts"), null);
});

t.test("tfjs only inside src/ppo: cli/evaluation.ts importing tfjs is caught", async (t) => {
  const edges = importsOf(ROOT, "src/cli/evaluation.ts", `import * as tf from "@tensorflow/tfjs";`);
  t.same(edges, [{ target: "@tensorflow/tfjs", kind: "static" }]);
  t.same(
    checkLayering(fake({ "src/cli/evaluation.ts": edges })).map((x) => x.rule),
    ["tfjs-only-in-ppo"],
  );
  t.same(checkLayering(fake({ "src/ppo/nn/layers.ts": edges })), [], "inside src/ppo it is fine");
  const lazy = importsOf(ROOT, "src/segmenters/x.ts", `const wasm = await import("@tensorflow/tfjs-backend-wasm");`);
  t.same(
    checkLayering(fake({ "src/segmenters/x.ts": lazy })).map((x) => x.rule),
    ["tfjs-only-in-ppo"],
    "a lazy import counts too",
  );
});

t.test("no circles: the three file circles of the issue are caught", async (t) => {
  const type = (target: string): ImportEdge => ({ target, kind: "type" });
  const cases: Array<[string, string]> = [
    ["src/data/resize.ts", "src/data/resize-float32.ts"],
    ["src/ppo/agents/click-grid.ts", "src/ppo/agents/implicit-agent.ts"],
    ["src/ppo/agents/explicit-agent.ts", "src/ppo/priors/shape-prior.ts"],
  ];
  for (const [a, b] of cases) {
    const v = checkLayering(fake({ [a]: [b], [b]: [type(a)] }));
    t.same(v, [{ rule: "no-circles", detail: [a, b].sort().join(" <-> ") }], `${a} <-> ${b} (one side type-only)`);
  }
  const ring = fake({
    "src/registry/index.ts": ["src/registry/make-vec.ts"],
    "src/registry/make-vec.ts": ["src/vector/index.ts"],
    "src/vector/index.ts": [{ target: "src/registry/index.ts", kind: "dynamic" }],
  });
  t.same(
    checkLayering(ring)
      .map((x) => x.rule)
      .sort(),
    ["layers", "no-circles"],
    "the 5-file loop through the registry string",
  );
});

t.test("bench imports library code: cli internals and test helpers are caught", async (t) => {
  const v = checkLayering(
    fake({
      "bench/a.bench.ts": [
        "src/cli/training-session.ts",
        "test/segmenters/tiny-sam-onnx.ts",
        "src/cli/index.ts",
        "src/ppo/index.ts",
      ],
    }),
  );
  t.same(
    v.map((x) => x.detail),
    [
      "bench/a.bench.ts imports src/cli/training-session.ts",
      "bench/a.bench.ts imports test/segmenters/tiny-sam-onnx.ts",
    ],
  );
});

t.test("light main entry: src/index.ts reaching tfjs or the bundled weights statically is caught", async (t) => {
  const heavy = fake({
    "src/index.ts": ["src/priors/index.ts"],
    "src/priors/index.ts": ["src/priors/shape-prior-weights.ts"],
    "src/priors/shape-prior-weights.ts": ["src/priors/generated/shape-prior-weights.ts"],
    "src/priors/generated/shape-prior-weights.ts": [],
  });
  t.same(
    checkLayering(heavy).map((x) => x.rule),
    ["light-main-entry"],
  );
  const lazy = fake({
    "src/index.ts": ["src/segmenters/x.ts"],
    "src/segmenters/x.ts": [{ target: "onnxruntime-node", kind: "dynamic" }],
  });
  t.same(checkLayering(lazy), [], "a lazily loaded optional peer is fine");
});
