// Node-side helpers of the demo's browser test and bench: build the site, serve it on localhost
// with the cross-origin isolation headers, start Debian's chromium through playwright-core.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's chromium (apt-get install chromium). */
export const CHROMIUM = "/usr/bin/chromium";

/** Chromium flags for this network (no background connections, no GPU) and a root sandbox. */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const ROOT = join(__dirname, "..", "..");
const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".ckpt": "application/octet-stream",
};

/** `vite build` of web/ into `outDir` (what `npm run web:build` does, elsewhere). */
export function buildSite(outDir: string): void {
  const vite = join(ROOT, "node_modules", "vite", "bin", "vite.js");
  const config = join(ROOT, "web", "vite.config.mts");
  execFileSync(
    process.execPath,
    [vite, "build", "--config", config, "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 150_000,
    },
  );
}

/** A static server of `dir` on 127.0.0.1 (a free port) with COOP/COEP, as web/public/_headers asks. */
export function serveStatic(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? "/").split("?")[0] as string)).replace(/^([/\\])+/, "");
    const file = join(dir, path === "" ? "index.html" : path);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, {
      "Content-Type": MIME[extname(file)] ?? "application/octet-stream",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
    });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    }),
  );
}

/** Headless chromium with a fresh profile folder `profileDir` (it must not exist yet or be empty). */
export function launchChromium(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    viewport: { width: 1100, height: 760 },
  });
}
