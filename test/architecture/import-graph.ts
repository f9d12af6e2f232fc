// The import graph of the repository's TypeScript, read from the source text (no compiler): for
// each file, what it imports: another file of the tree (repo-relative path) or a package name.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix } from "node:path";

/** How a file reaches another: `import x`/`export from` (static), `import type` (type), `require`/`import()`/a path string (dynamic). */
export type ImportKind = "static" | "type" | "dynamic";

/** One import of a file. */
export interface ImportEdge {
  /** A repo-relative file path ("src/core/errors.ts") or a package name ("@tensorflow/tfjs"). */
  target: string;
  kind: ImportKind;
}

/** Files (repo-relative, "/"-separated) -> their imports. */
export type ImportGraph = Map<string, ImportEdge[]>;

const STATIC = /^\s*(import|export)\s+(type\s+)?[^;]*?\bfrom\s*["']([^"']+)["']/gm;
const BARE = /^\s*import\s*["']([^"']+)["']/gm;
const CALL = /\b(?:require|import)\s*\(\s*["']([^"']+)["']\s*\)/g;
// Any other string that names a relative path (a module handed over by string, e.g. load("../registry")).
const PATH_STRING = /["'](\.{1,2}\/[^"'\s]*)["']/g;

function listTs(root: string, dir: string, out: string[]): void {
  for (const name of readdirSync(join(root, dir))) {
    const rel = posix.join(dir, name);
    if (name === "node_modules" || name === "lib" || name.startsWith(".")) continue;
    if (statSync(join(root, rel)).isDirectory()) listTs(root, rel, out);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith(".d.ts")) out.push(rel);
  }
}

/** The file a relative specifier names (with .ts, /index.ts or a .js -> .ts), or null. */
export function resolveSpecifier(root: string, from: string, spec: string): string | null {
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  for (const c of [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, ".ts")]) {
    if (c.endsWith(".ts") && existsSync(join(root, c)) && statSync(join(root, c)).isFile()) return c;
  }
  return null;
}

/** Package name of a bare specifier ("@tensorflow/tfjs-backend-wasm/x" -> "@tensorflow/tfjs-backend-wasm"). */
function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
}

/** Strip comments (line and block) so that examples in doc comments are not read as imports. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/** The imports of one file's text. */
export function importsOf(root: string, file: string, source: string): ImportEdge[] {
  const text = stripComments(source);
  const edges: ImportEdge[] = [];
  const seen = new Set<string>();
  const add = (spec: string, kind: ImportKind, pathOnly = false): void => {
    const rel = spec.startsWith(".");
    if (pathOnly && !rel) return;
    const target = rel ? resolveSpecifier(root, file, spec) : packageName(spec);
    if (target === null || seen.has(`${target}|${kind}`)) return;
    seen.add(`${target}|${kind}`);
    edges.push({ target, kind });
  };
  const claimed = new Set<number>();
  for (const m of text.matchAll(STATIC)) {
    add(m[3] as string, m[2] !== undefined ? "type" : "static");
    claimed.add((m.index as number) + m[0].lastIndexOf(m[3] as string) - 1);
  }
  for (const m of text.matchAll(BARE)) {
    add(m[1] as string, "static");
    claimed.add((m.index as number) + m[0].lastIndexOf(m[1] as string) - 1);
  }
  for (const m of text.matchAll(CALL)) {
    add(m[1] as string, "dynamic");
    claimed.add((m.index as number) + m[0].lastIndexOf(m[1] as string) - 1);
  }
  for (const m of text.matchAll(PATH_STRING)) if (!claimed.has(m.index as number)) add(m[1] as string, "dynamic", true);
  return edges;
}

/** The import graph of every .ts file under `dirs` (repo-relative folders) of `root`. */
export function readImportGraph(root: string, dirs: readonly string[]): ImportGraph {
  const files: string[] = [];
  for (const d of dirs) if (existsSync(join(root, d))) listTs(root, d, files);
  const graph: ImportGraph = new Map();
  for (const f of files) graph.set(f, importsOf(root, f, readFileSync(join(root, f), "utf8")));
  return graph;
}
