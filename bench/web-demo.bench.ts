// The web demo's figures, measured in the page (headless Debian chromium, this machine's cores):
// click -> mask drawn at 375x500 (each click on a fresh reset, so every one is the scene's first
// mask), an agent step (policy + segmenter), page load to ready, and the site's gzip size.
//   npm run bench -- web-demo          (needs /usr/bin/chromium)
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { CHROMIUM, buildSite, launchChromium, serveStatic } from "../web/tools/site";

const CLICKS = 12;
const EPISODES = 3;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

const q = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;
const fmt = (xs: number[]): string =>
  `median ${q(xs, 0.5).toFixed(1)} ms, p90 ${q(xs, 0.9).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`skipped: ${CHROMIUM} not found`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), "alignsam-web-bench-"));
  try {
    const site = join(work, "site");
    buildSite(site);
    console.log("site (bytes raw -> gzip -9):");
    let js = 0,
      total = 0;
    for (const f of files(site).sort()) {
      const raw = readFileSync(f);
      const gz = gzipSync(raw, { level: 9 }).length;
      total += gz;
      if (f.endsWith(".js")) js += gz;
      console.log(`  ${relative(site, f).padEnd(45)} ${String(raw.length).padStart(9)} -> ${String(gz).padStart(8)}`);
    }
    console.log(
      `  JavaScript gzip: ${(js / 1024).toFixed(0)} KiB; everything (all 3 wasm variants, checkpoint): ${(total / 1024).toFixed(0)} KiB`,
    );

    const { server, url } = await serveStatic(site);
    const context = await launchChromium(join(work, "profile"));
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const t0 = Date.now();
      await page.goto(`${url}index.html?seed=11`);
      await page.waitForFunction("window.alignsamDemo && window.alignsamDemo.ready", null, { timeout: 120_000 });
      console.log(`page load -> ready (backend, scene, embedding, checkpoint): ${Date.now() - t0} ms`);
      const objects = (await page.evaluate("window.alignsamDemo.scene.objects")) as Array<{
        centre: { x: number; y: number };
      }>;
      for (let i = 0; i < CLICKS; i++) {
        const o = objects[i % objects.length] as { centre: { x: number; y: number } };
        await page.click('[data-testid="reset"]');
        await page.waitForFunction('document.querySelector("[data-testid=clicks]").textContent === "0"');
        await page.click('[data-testid="image-canvas"]', { position: { x: o.centre.x + 0.5, y: o.centre.y + 0.5 } });
        await page.waitForFunction('document.querySelector("[data-testid=clicks]").textContent === "1"');
      }
      const maskMs = (await page.evaluate("window.alignsamDemo.maskMs")) as number[];
      console.log(`click -> mask drawn, 375x500 (first: ${maskMs[0]?.toFixed(1)} ms): ${fmt(maskMs)}`);
      for (let e = 0; e < EPISODES; e++) {
        await page.click('[data-testid="run-agent"]');
        const done =
          `window.alignsamDemo.agentStepMs.length === ${5 * (e + 1)} && ` +
          'document.querySelector("[data-testid=status]").textContent.startsWith("Agent done")';
        await page.waitForFunction(done, null, { timeout: 120_000 });
      }
      const stepMs = (await page.evaluate("window.alignsamDemo.agentStepMs")) as number[];
      console.log(`agent step, policy + segmenter (first: ${stepMs[0]?.toFixed(1)} ms): ${fmt(stepMs)}`);
    } finally {
      await context.close();
      server.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
