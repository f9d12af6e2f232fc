// The demo site: `npm run web` serves it, `npm run web:build` writes web/dist (static files).
// tfjs-backend-wasm's binaries are served from tfjs/ (dev) and copied there (build): nothing
// is fetched from a CDN. COOP/COEP make the page cross-origin isolated, so tfjs can use its
// threaded wasm build; a static host should send the same two headers (web/public/_headers).
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { defineConfig, type Plugin } from "vite";

const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm"));
const wasmFiles = readdirSync(wasmDir).filter((f) => f.endsWith(".wasm"));
const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

function tfjsWasm(): Plugin {
  return {
    name: "alignsam-tfjs-wasm",
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.split("?")[0]?.match(/\/tfjs\/([\w.-]+\.wasm)$/)?.[1];
        if (name === undefined || !wasmFiles.includes(name)) return next();
        res.setHeader("Content-Type", "application/wasm");
        res.end(readFileSync(join(wasmDir, name)));
      });
    },
    generateBundle() {
      for (const name of wasmFiles)
        this.emitFile({ type: "asset", fileName: `tfjs/${name}`, source: readFileSync(join(wasmDir, name)) });
    },
  };
}

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  // The union package minus what alignsam-gym never uses (see src/tfjs-core-only.ts).
  resolve: { alias: [{ find: /^@tensorflow\/tfjs$/, replacement: join(here, "src", "tfjs-core-only.ts") }] },
  base: "./",
  plugins: [tfjsWasm()],
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 4096, target: "es2022" },
});
