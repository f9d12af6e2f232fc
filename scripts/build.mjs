// Build: tsc compiles src/ to CommonJS in lib/ (with .d.ts); then thin ESM wrappers
// (lib/**/index.mjs) re-export the CommonJS modules, so `import` and `require` share one
// module instance (no dual-package hazard: `instanceof Box` works across both).
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const lib = join(root, "lib");
rmSync(lib, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")],
  { stdio: "inherit" },
);

// The published declarations describe tensors by our own interfaces (src/ppo/nn/tensor-handles.ts),
// so that consumers' tsc never loads @tensorflow/tfjs's .d.ts files (which fail with skipLibCheck
// false): swap in the published declaration of tensor-types, then refuse any leftover tfjs import.
copyFileSync(join(root, "src/ppo/nn/tensor-types.published.d.ts"), join(lib, "ppo/nn/tensor-types.d.ts"));
for (const file of readdirSync(lib, { recursive: true, encoding: "utf8" })) {
  if (!file.endsWith(".d.ts")) continue;
  const text = readFileSync(join(lib, file), "utf8");
  if (/(from\s+|import\s*\(\s*|require\s*\(\s*)["']@tensorflow\//.test(text)) {
    throw new Error(`lib/${file} imports @tensorflow types; use the types of src/ppo/nn/tensor-types.ts`);
  }
}

const require = createRequire(import.meta.url);
// Entry points: "." -> lib/index, "./testing" -> lib/testing/index, "./ppo" -> lib/ppo/index;
// their "browser" conditions -> lib/browser, lib/ppo/browser.
for (const entry of ["index", "testing/index", "ppo/index", "browser", "ppo/browser"]) {
  const cjs = join(lib, `${entry}.js`);
  if (!existsSync(cjs)) continue;
  const names = Object.keys(require(cjs)).filter(
    (n) => n !== "__esModule" && n !== "default" && /^[A-Za-z_$][\w$]*$/.test(n),
  );
  const base = `./${entry.split("/").pop()}.js`;
  const body = [
    `import cjs from ${JSON.stringify(base)};`,
    `export const { ${names.join(", ")} } = cjs;`,
    `export default cjs;`,
    "",
  ].join("\n");
  writeFileSync(join(lib, `${entry}.mjs`), body);
  writeFileSync(join(lib, `${entry}.d.mts`), `export * from ${JSON.stringify(base.replace(/\.js$/, ".js"))};\n`);
}
