// The demo page: prompt the geodesic segmenter with clicks on a synthetic scene or an uploaded
// image, or watch a trained agent click. State for tests is on window.alignsamDemo.
import { GeodesicSegmenter } from "../../src/browser";
import { selectBrowserBackend } from "../../src/ppo/browser";
import { AgentRunner, type AgentStep } from "./agent-runner";
import { ClickSession, type ClickResult, type DemoClick } from "./click-session";
import { drawCurve, drawPrior, drawScene } from "./draw";
import { objectAt, syntheticScene, uploadedScene, type Scene } from "./scene";

/** What tests (and the curious) can read from the page. */
interface DemoState {
  ready: boolean;
  backend: string;
  scene: { label: string; objects: Array<{ category: string; centre: { x: number; y: number }; area: number }> } | null;
  /** Click -> mask drawn, ms, per click. */
  maskMs: number[];
  /** Agent steps (policy + segmenter), ms. */
  agentStepMs: number[];
  agentIou: number[];
  /** Pixels of the mask shown (after the last click or agent step). */
  maskArea: number;
  /** The object (category) at image pixel (x, y) of the current scene, or null. */
  objectAt(x: number, y: number): string | null;
  errors: string[];
}

const state: DemoState = {
  ready: false,
  backend: "",
  scene: null,
  maskMs: [],
  agentStepMs: [],
  agentIou: [],
  maskArea: 0,
  objectAt: (x, y) => (session === null ? null : (objectAt(session.scene, x, y)?.category ?? null)),
  errors: [],
};
(window as unknown as { alignsamDemo: DemoState }).alignsamDemo = state;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const canvas = $<HTMLCanvasElement>("image-canvas");
const status = (text: string): void => void ($("status").textContent = text);
const segmenter = new GeodesicSegmenter();
let session: ClickSession | null = null;
let runner: AgentRunner | null = null;
let busy: Promise<unknown> = Promise.resolve();

/** Run UI actions one after another (clicks arrive faster than masks). */
function queue(task: () => Promise<void>): void {
  busy = busy.then(task).catch((err: unknown) => {
    const msg = err instanceof Error ? err.message : String(err);
    state.errors.push(msg);
    status(`Error: ${msg}`);
  });
}

function showResult(r: ClickResult, marks: readonly DemoClick[]): void {
  const s = session as ClickSession;
  drawScene(canvas, s.scene.image, r.mask, marks);
  state.maskArea = r.mask === null ? 0 : r.mask.data.reduce((a, v) => a + v, 0);
  $("clicks").textContent = String(marks.length);
  $("iou").textContent = r.iou === null ? "-" : r.iou.toFixed(3);
  $("dice").textContent = r.dice === null ? "-" : r.dice.toFixed(3);
  $("target").textContent =
    r.target === null
      ? s.scene.objects.length
        ? "none under the first positive click"
        : "no ground truth"
      : r.target.category;
}

async function useScene(scene: Scene): Promise<void> {
  session = new ClickSession(scene, segmenter);
  state.scene = {
    label: scene.label,
    objects: scene.objects.map((o) => ({ category: o.category, centre: o.centre, area: o.area })),
  };
  $("scene-label").textContent = scene.label;
  showResult(session.reset(), []);
  const categories = [...new Set([...scene.objects].sort((a, b) => b.area - a.area).map((o) => o.category))];
  const select = $<HTMLSelectElement>("category");
  select.replaceChildren(
    ...categories.map((c) => Object.assign(document.createElement("option"), { value: c, textContent: c })),
  );
  updateAgentButton();
  status("Embedding the image...");
  await session.prepare();
  status(`Ready: ${scene.objects.length ? `${scene.objects.length} objects` : "no ground truth"}. Click the image.`);
}

function updateAgentButton(): void {
  const button = $<HTMLButtonElement>("run-agent");
  const hasTargets = (session?.scene.objects.length ?? 0) > 0;
  button.disabled = runner === null || !hasTargets;
  button.title =
    runner === null
      ? "load a checkpoint first"
      : hasTargets
        ? ""
        : "the agent needs a synthetic scene (its reward needs ground truth)";
}

canvas.addEventListener("contextmenu", (e) => e.preventDefault());
canvas.addEventListener("mousedown", (e) => {
  if (e.button !== 0 && e.button !== 2) return;
  e.preventDefault();
  const t0 = performance.now();
  const rect = canvas.getBoundingClientRect();
  const x = Math.floor(((e.clientX - rect.left - canvas.clientLeft) * canvas.width) / canvas.clientWidth);
  const y = Math.floor(((e.clientY - rect.top - canvas.clientTop) * canvas.height) / canvas.clientHeight);
  const click = {
    x: Math.min(canvas.width - 1, Math.max(0, x)),
    y: Math.min(canvas.height - 1, Math.max(0, y)),
    positive: e.button === 0,
  };
  queue(async () => {
    const s = session as ClickSession;
    const r = await s.add(click);
    showResult(r, s.clicks);
    const ms = performance.now() - t0;
    state.maskMs.push(ms);
    $("timing").textContent = `${ms.toFixed(0)} ms`;
  });
});

$("undo").addEventListener("click", () =>
  queue(async () => showResult(await (session as ClickSession).undo(), (session as ClickSession).clicks)),
);
$("reset").addEventListener("click", () => queue(async () => showResult((session as ClickSession).reset(), [])));
$("new-scene").addEventListener("click", () =>
  queue(() => useScene(syntheticScene(Number($<HTMLInputElement>("seed").value) || 0))),
);
$<HTMLInputElement>("image-input").addEventListener("change", (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) queue(async () => useScene(await uploadedScene(file, file.name)));
});
$<HTMLInputElement>("checkpoint-input").addEventListener("change", (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) {
    queue(async () => {
      runner = AgentRunner.fromBytes(new Uint8Array(await file.arrayBuffer()), file.name);
      $("checkpoint-label").textContent = `loaded: ${file.name}`;
      updateAgentButton();
    });
  }
});

/** The reward terms table: one column per step, one row per term (plus reward, IoU, time). */
function showSteps(steps: readonly AgentStep[]): void {
  const table = $<HTMLTableElement>("steps");
  const names = Object.keys(steps[0]?.rewardTerms ?? {});
  const cell = (tag: "th" | "td", text: string): HTMLElement =>
    Object.assign(document.createElement(tag), { textContent: text });
  const row = (label: string, values: string[]): HTMLTableRowElement => {
    const tr = document.createElement("tr");
    tr.append(cell("th", label), ...values.map((v) => cell("td", v)));
    return tr;
  };
  table.tHead?.replaceChildren(
    row(
      "click",
      steps.map((s) => `${s.step} ${s.click.positive ? "+" : "-"}`),
    ),
  );
  table.tBodies[0]?.replaceChildren(
    ...names.map((n) =>
      row(
        n,
        steps.map((s) => (s.rewardTerms[n] ?? 0).toFixed(3)),
      ),
    ),
    row(
      "reward",
      steps.map((s) => s.reward.toFixed(3)),
    ),
    row(
      "IoU",
      steps.map((s) => s.iou.toFixed(3)),
    ),
    row(
      "ms",
      steps.map((s) => s.ms.toFixed(0)),
    ),
  );
}

$("run-agent").addEventListener("click", () =>
  queue(async () => {
    if (runner === null || session === null) return;
    const scene = session.scene;
    const category = $<HTMLSelectElement>("category").value;
    showResult(session.reset(), []);
    const steps: AgentStep[] = [];
    state.agentIou = [];
    status(`Agent: finding the ${category}...`);
    drawCurve($("curve"), [], 5);
    await runner.run(
      scene,
      category,
      segmenter,
      (prior) => drawPrior($("prior"), prior),
      async (s) => {
        steps.push(s);
        state.agentStepMs.push(s.ms);
        state.agentIou.push(s.iou);
        drawScene(
          canvas,
          scene.image,
          s.mask,
          steps.map((k) => k.click),
        );
        state.maskArea = s.mask.data.reduce((a, v) => a + v, 0);
        $("clicks").textContent = String(steps.length);
        $("iou").textContent = s.iou.toFixed(3);
        $("dice").textContent = s.dice.toFixed(3);
        $("target").textContent = category;
        drawCurve(
          $("curve"),
          steps.map((k) => k.iou),
          5,
        );
        showSteps(steps);
        await new Promise((r) => setTimeout(r, 250)); // click by click, visibly
      },
    );
    status(`Agent done: IoU ${steps[steps.length - 1]?.iou.toFixed(3)} after ${steps.length} clicks (${category}).`);
  }),
);

queue(async () => {
  status("Starting TensorFlow.js (wasm)...");
  state.backend = await selectBrowserBackend({ wasmPaths: new URL("tfjs/", document.baseURI).href });
  const seed = Number(new URLSearchParams(location.search).get("seed") ?? $<HTMLInputElement>("seed").value);
  $<HTMLInputElement>("seed").value = String(seed);
  await useScene(syntheticScene(seed));
  const response = await fetch(new URL("agent.ckpt", document.baseURI));
  if (response.ok) {
    runner = AgentRunner.fromBytes(new Uint8Array(await response.arrayBuffer()), "agent.ckpt");
    updateAgentButton();
  } else {
    $("checkpoint-label").textContent = "no bundled checkpoint: load one";
  }
  state.ready = true;
});
