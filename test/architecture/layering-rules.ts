// The project's layering rules (see ARCHITECTURE.md), checked over an import graph. Pure: the
// test runs them on the real graph and on small fake graphs, one per rule, to show each can fail.
import type { ImportGraph } from "./import-graph";

/** One broken rule: which, and the import (or circle) that breaks it. */
export interface Violation {
  rule: "layers" | "tfjs-only-in-ppo" | "no-circles" | "bench-imports-library" | "light-main-entry";
  detail: string;
}

/**
 * What each folder of src/ may import (besides itself). Imports only point down:
 * cli -> ppo -> registry -> vector, envs -> priors -> wrappers, rewards, segmenters, data, metrics
 * -> spaces -> core (priors sit on segmenters: the CLIP-Surgery prior reuses their ONNX loading,
 * contract checks and embedding cache). "index" is src/index.ts (the light main entry); "testing" the test-helper
 * entry (alignsam-gym/testing); "browser" is src/browser.ts (the "browser" condition of ".").
 */
export const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  core: [],
  spaces: ["core"],
  data: ["core", "spaces"],
  metrics: ["core", "spaces"],
  rewards: ["core", "spaces", "metrics"],
  wrappers: ["core", "spaces"],
  segmenters: ["core", "spaces", "data", "metrics"],
  priors: ["core", "spaces", "data", "metrics", "segmenters"],
  envs: ["core", "spaces", "data", "metrics", "rewards", "wrappers", "segmenters", "priors"],
  vector: ["core", "spaces", "wrappers"],
  testing: ["core", "spaces", "data", "metrics", "rewards", "wrappers", "segmenters", "priors", "envs"],
  registry: ["core", "spaces", "data", "metrics", "rewards", "wrappers", "segmenters", "priors", "envs", "vector"],
  index: [
    "core",
    "spaces",
    "data",
    "metrics",
    "rewards",
    "wrappers",
    "segmenters",
    "priors",
    "envs",
    "vector",
    "registry",
  ],
  browser: [
    "core",
    "spaces",
    "data",
    "metrics",
    "rewards",
    "wrappers",
    "segmenters",
    "priors",
    "envs",
    "vector",
    "registry",
  ],
  ppo: [
    "core",
    "spaces",
    "data",
    "metrics",
    "rewards",
    "wrappers",
    "segmenters",
    "priors",
    "envs",
    "vector",
    "registry",
  ],
  cli: [
    "core",
    "spaces",
    "data",
    "metrics",
    "rewards",
    "wrappers",
    "segmenters",
    "priors",
    "envs",
    "vector",
    "registry",
    "ppo",
  ],
};

/** The folder of a src file ("src/vector/async/wire.ts" -> "vector"; "src/index.ts" -> "index"), or null outside src. */
export function layerOf(file: string): string | null {
  const m = /^src\/([^/]+)(\/|\.ts$)/.exec(file);
  return m === null ? null : (m[1] as string);
}

const TFJS = /^@tensorflow\//;
const HEAVY = [TFJS, /^onnxruntime-node$/, /^src\/priors\/generated\//];

function layers(graph: ImportGraph): Violation[] {
  const out: Violation[] = [];
  for (const [file, edges] of graph) {
    const from = layerOf(file);
    if (from === null) continue;
    const allowed = MAY_IMPORT[from];
    for (const { target } of edges) {
      const to = layerOf(target);
      if (to === null || to === from) continue;
      if (allowed === undefined || !allowed.includes(to))
        out.push({ rule: "layers", detail: `${file} (${from}) imports ${target} (${to})` });
    }
  }
  return out;
}

function tfjsOnlyInPpo(graph: ImportGraph): Violation[] {
  const out: Violation[] = [];
  for (const [file, edges] of graph) {
    if (!file.startsWith("src/") || file.startsWith("src/ppo/")) continue;
    for (const { target } of edges)
      if (TFJS.test(target)) out.push({ rule: "tfjs-only-in-ppo", detail: `${file} imports ${target}` });
  }
  return out;
}

/** Circles of files under src/ (every import counts, type-only ones too): Tarjan's strongly connected components. */
function circles(graph: ImportGraph): Violation[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: Violation[] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of graph.get(v) ?? []) {
      if (!w.startsWith("src/") || !graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).some((e) => e.target === v);
      if (component.length > 1 || selfLoop) out.push({ rule: "no-circles", detail: component.sort().join(" <-> ") });
    }
  };
  for (const file of graph.keys()) if (file.startsWith("src/") && !index.has(file)) visit(file);
  return out;
}

function benchImportsLibrary(graph: ImportGraph): Violation[] {
  const out: Violation[] = [];
  for (const [file, edges] of graph) {
    if (!file.startsWith("bench/")) continue;
    for (const { target } of edges) {
      const cliInternal = target.startsWith("src/cli/") && target !== "src/cli/index.ts";
      if (cliInternal || target.startsWith("test/"))
        out.push({ rule: "bench-imports-library", detail: `${file} imports ${target}` });
    }
  }
  return out;
}

/** `import "alignsam-gym"` stays light: src/index.ts reaches no tfjs, onnxruntime or bundled weights by static imports. */
function lightMainEntry(graph: ImportGraph): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>(["src/index.ts"]);
  const queue = ["src/index.ts"];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    for (const { target, kind } of graph.get(file) ?? []) {
      if (kind !== "static" || seen.has(target)) continue;
      seen.add(target);
      if (HEAVY.some((h) => h.test(target)))
        out.push({ rule: "light-main-entry", detail: `src/index.ts reaches ${target} (via ${file})` });
      else if (graph.has(target)) queue.push(target);
    }
  }
  return out;
}

/** Every broken rule of a graph (empty when the house is in order). */
export function checkLayering(graph: ImportGraph): Violation[] {
  return [
    ...layers(graph),
    ...tfjsOnlyInPpo(graph),
    ...circles(graph),
    ...benchImportsLibrary(graph),
    ...lightMainEntry(graph),
  ];
}
