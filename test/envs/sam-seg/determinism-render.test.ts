import t from "tap";
import ndarray from "ndarray";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SamSegEnv } from "../../../src/envs/sam-seg";
import { FixedSegmenter, InMemoryDataset, ScriptedSegmenter, boxMask } from "../../../src/testing";
import { checkEnv } from "../../../src/registry";
import { decodeImage, resize } from "../../../src/data";
import { multiDataset, patternImage, stackMasks } from "./helpers";

/** A segmenter whose mask is a disc around the positive clicks (so rewards vary with actions). */
const discSegmenter = () =>
  new ScriptedSegmenter({
    script: (prompt) => {
      const [h, w] = prompt.imageSize;
      const m = ndarray(new Float32Array(h * w), [h, w]);
      prompt.points.forEach(([x, y], i) => {
        if (prompt.labels[i] !== 1) return;
        for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) if ((r - y) ** 2 + (c - x) ** 2 <= 9) m.set(r, c, 0.9);
      });
      return m;
    },
  });

async function rollout(seed: number, episodes = 3): Promise<unknown[]> {
  const env = new SamSegEnv({
    dataset: multiDataset(),
    segmenter: discSegmenter(),
    imgShape: [12, 16, 3],
    imgPatchSize: 2,
    maxSteps: 4,
  });
  env.actionSpace.seed(seed);
  const log: unknown[] = [];
  for (let e = 0; e < episodes; e++) {
    const [obs, info] = await env.reset(e === 0 ? { seed } : {});
    log.push([obs.targetCategory, info.imageSource, Array.from(obs.image.data.slice(0, 6))]);
    for (let s = 0; s < 4; s++) {
      const [, r, , trunc, i] = await env.step(env.actionSpace.sample());
      log.push([r, i.dice, i.lastInputPoints, trunc]);
    }
  }
  return log;
}

t.test("same seed -> identical episodes (category, image, rewards); different seeds differ", async (t) => {
  const a = await rollout(7);
  const b = await rollout(7);
  t.same(a, b);
  const c = await rollout(8);
  t.notSame(a, c);
  // reset({seed}) then reset() continues the stream deterministically; categories vary.
  const env = new SamSegEnv({
    dataset: multiDataset(),
    segmenter: discSegmenter(),
    imgShape: [12, 16, 3],
    imgPatchSize: 2,
  });
  const cats = new Set<string>();
  const sources = new Set<unknown>();
  for (let s = 0; s < 30; s++) {
    const [obs, info] = await env.reset({ seed: s });
    cats.add(obs.targetCategory);
    sources.add(info.imageSource);
  }
  t.same([...cats].sort(), ["bus", "cat", "dog"], "every category drawn");
  t.ok(sources.size > 3, "several images drawn");
});

t.test("checkEnv passes", async (t) => {
  const env = new SamSegEnv({
    dataset: multiDataset(),
    segmenter: discSegmenter(),
    imgShape: [12, 16, 3],
    imgPatchSize: 2,
    maxSteps: 3,
  });
  await checkEnv(env);
  t.pass("checkEnv(new SamSegEnv(...)) completed");
  const withMask = new SamSegEnv({
    dataset: multiDataset(),
    segmenter: discSegmenter(),
    imgShape: [12, 16, 3],
    imgPatchSize: 4,
    includeSamPredMask: true,
    multimaskOutput: true,
    feedMaskInput: true,
  });
  await checkEnv(withMask);
  t.pass("also with the optional protocol options");
});

t.test("rgb_array render: frame [320, 1278, 3], panels, click discs green/red", async (t) => {
  const gt = boxMask([375, 500], [{ x0: 300, y0: 200, x1: 400, y1: 300 }]);
  const image = patternImage(375, 500, 3);
  const dataset = new InMemoryDataset({ person: [{ image, masks: stackMasks([gt]) }] });
  const env = new SamSegEnv({ dataset, segmenter: new FixedSegmenter({ mask: gt }), refinePositiveClicks: false });
  await env.reset({ seed: 0 });
  let frame = await env.render();
  t.same(frame!.shape, [320, 1278, 3]);
  const pos = env.decodeAction(env.actionFor({ x: 100, y: 100 }, true));
  const neg = env.decodeAction(env.actionFor({ x: 200, y: 300 }, false));
  await env.step(env.actionFor(pos, true));
  await env.step(env.actionFor(neg, false));
  frame = await env.render();
  const at = (x: number, y: number, panel: number) => {
    const px = Math.round((x * 426) / 500) + 426 * panel;
    const py = Math.round((y * 320) / 375);
    return [frame!.get(py, px, 0), frame!.get(py, px, 1), frame!.get(py, px, 2)];
  };
  t.same(at(pos.x, pos.y, 2), [0, 255, 0], "positive click: green disc");
  t.same(at(neg.x, neg.y, 2), [255, 0, 0], "negative click: red disc");
  t.same(at(350, 250, 2), [255, 255, 255], "prediction 1 -> white");
  t.same(at(50, 350, 2), [0, 0, 0], "prediction 0 -> black");
  t.same(at(350, 250, 1), [255, 255, 255], "ground truth, one instance: grey 255");
  t.same(at(450, 100, 1), [0, 0, 0]);
  t.same(at(pos.x, pos.y, 1), [0, 0, 0], "no discs on the ground-truth panel");
  const panel0 = resize(image, [320, 426], "linear");
  t.same(
    [frame!.get(20, 300, 0), frame!.get(20, 300, 1)],
    [panel0.get(20, 300, 0), panel0.get(20, 300, 1)],
    "panel 0 is the resized image",
  );
  let white = 0;
  for (let y = 140; y < 165; y++)
    for (let x = 10; x < 60; x++)
      if (frame!.get(y, x, 0) === 255 && frame!.get(y, x, 1) === 255 && frame!.get(y, x, 2) === 255) white++;
  t.ok(white > 20, "category text near (10, H/2)");
  const small = new SamSegEnv({ dataset, segmenter: new FixedSegmenter({ mask: gt }), renderFrameShape: [100, 120] });
  await small.reset({ seed: 0 });
  t.same((await small.render())!.shape, [100, 360, 3]);
  const none = new SamSegEnv({ dataset, segmenter: new FixedSegmenter({ mask: gt }), renderMode: null });
  await none.reset({ seed: 0 });
  t.equal(await none.render(), null);
});

t.test("human render writes PNG frames on reset and step", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "samseg-frames-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const env = new SamSegEnv({
    dataset: multiDataset(),
    segmenter: discSegmenter(),
    imgShape: [12, 16, 3],
    imgPatchSize: 4,
    maxSteps: 2,
    renderMode: "human",
    renderDir: dir,
    renderFrameShape: [24, 32],
  });
  const messages: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((m: string) => (messages.push(String(m)), true)) as typeof process.stderr.write;
  try {
    await env.reset({ seed: 0 });
    await env.step(0);
    t.equal(await env.render(), null);
  } finally {
    process.stderr.write = write;
  }
  const files = (await readdir(dir)).sort();
  t.same(files.slice(0, 2), ["episode-0001-step-000.png", "episode-0001-step-001.png"]);
  const png = decodeImage(new Uint8Array(await readFile(join(dir, files[0]!))));
  t.same(png.shape, [24, 96, 3]);
  t.equal(messages.filter((m) => m.includes(dir)).length, 1, "the folder is announced once");
});
