// The browser entries bundle for the browser: esbuild (platform "browser") must resolve every
// import without a Node built-in. esbuild refuses `node:*` and bare built-in names on that
// platform, so any Node import reachable from the entries fails the build (and this test).
import t from "tap";
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";

const root = join(__dirname, "..", "..");

// Bundling tfjs and loading both entries takes 20-50 s on a busy 2-core machine.
t.setTimeout(180_000);
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

async function bundle(entry: string): Promise<{ errors: string[]; inputs: string[]; bytes: number }> {
  try {
    const r = await build({
      entryPoints: [join(root, entry)],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    // "(disabled):x" inputs are a package's own browser stubs ("browser": {"x": false}), not imports of x.
    const inputs = Object.keys(r.metafile.inputs).filter((i) => !i.startsWith("(disabled):"));
    return { errors: [], inputs, bytes: r.outputFiles[0]?.contents.length ?? 0 };
  } catch (err) {
    const errors = (err as { errors?: Array<{ text: string; location?: { file: string } | null }> }).errors ?? [];
    return { errors: errors.map((e) => `${e.location?.file ?? "?"}: ${e.text}`), inputs: [], bytes: 0 };
  }
}

for (const entry of ["src/browser.ts", "src/ppo/browser.ts", "src/testing/index.ts"]) {
  t.test(`${entry} bundles for the browser with no Node import`, async (t) => {
    const r = await bundle(entry);
    t.same(r.errors, [], "esbuild resolved everything (a Node built-in import would be an error here)");
    t.same(
      r.inputs.filter((i) => NODE_BUILTINS.has(i)),
      [],
      "no Node built-in among the inputs",
    );
    t.notOk(
      r.inputs.some((i) => /pngjs|onnxruntime|worker_threads/.test(i)),
      "no pngjs, onnxruntime or worker code",
    );
    t.ok(r.bytes > 10_000, `bundle written (${r.bytes} bytes)`);
  });
}

t.test("the browser entries' names are a subset of the Node entries' (one set of .d.ts serves both)", async (t) => {
  const pairs = [
    ["../../src/browser", "../../src/index"],
    ["../../src/ppo/browser", "../../src/ppo/index"],
  ] as const;
  for (const [browser, node] of pairs) {
    const b = Object.keys(require(browser) as object),
      n = new Set(Object.keys(require(node) as object));
    t.same(
      b.filter((k) => !n.has(k)),
      [],
      `${browser} exports nothing that ${node} lacks`,
    );
    t.ok(b.length > 20, `${browser}: ${b.length} names`);
  }
});

t.test("the check catches a Node import (the test can fail)", async (t) => {
  const r = await bundle("src/ppo/persist/checkpoint.ts");
  t.ok(
    r.errors.some((e) => /node:fs/.test(e)),
    "checkpoint.ts (files) is refused",
  );
});

t.test("package.json maps the browser condition to the browser entries", async (t) => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    exports: Record<string, Record<string, unknown>>;
  };
  const dot = pkg.exports["."]?.browser as { import: string; require: string };
  const ppo = pkg.exports["./ppo"]?.browser as { import: string; require: string };
  t.same(dot, { import: "./lib/browser.mjs", require: "./lib/browser.js" });
  t.same(ppo, { import: "./lib/ppo/browser.mjs", require: "./lib/ppo/browser.js" });
  const keys = Object.keys(pkg.exports["."] ?? {});
  t.ok(keys.indexOf("browser") < keys.indexOf("import"), "browser is tried before import/require");
  if (!existsSync(join(root, "lib", "browser.mjs"))) {
    t.comment("lib/ not built: the built entries are not bundled (npm test builds first)");
    return;
  }
  for (const entry of ["lib/browser.mjs", "lib/ppo/browser.mjs"]) {
    const r = await bundle(entry);
    t.same(r.errors, [], `${entry} bundles for the browser`);
  }
});
