import t from "tap";
import ndarray from "ndarray";
import {
  maskFromArt,
  probabilityFromArt,
  boxMask,
  makeRewardContext,
  makeRewardState,
  runRewardEpisode,
  FixedSegmenter,
  ScriptedSegmenter,
  InMemoryDataset,
} from "../../src/testing";
import { InvalidArgumentError, SegmenterError, DatasetError, Rng } from "../../src/core";

t.test("mask art parses rows and multi-line strings; errors name the bad character", async (t) => {
  const m = maskFromArt(["..##..", "..#..."]);
  t.same(m.shape, [2, 6]);
  t.same(Array.from(m.data), [0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
  const m2 = maskFromArt(`
    .#
    #.
  `);
  t.same(Array.from(m2.data), [0, 1, 1, 0]);
  t.throws(() => maskFromArt(["..#", ".."]), /row 0 has 3 characters, row 1 has 2/);
  t.throws(() => maskFromArt(["..?"]), /unexpected "\?" at row 0, column 2/);
  t.throws(() => maskFromArt([]), InvalidArgumentError);
  const p = probabilityFromArt([".5#"]);
  t.same(Array.from(p.data), [0, 0.5, 1]);
  t.throws(() => probabilityFromArt(["x"]), InvalidArgumentError);
  const b = boxMask([3, 4], [{ x0: 1, y0: 1, x1: 3, y1: 5 }]);
  t.same(Array.from(b.data), [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0]);
});

t.test("makeRewardContext: shapes, dice, clicks", async (t) => {
  const ctx = makeRewardContext({
    gt: ["##", ".."],
    pred: ["#5", ".."],
    clicks: [[0, 0, "+"], { x: 1, y: 1, positive: false }],
  });
  t.equal(ctx.step, 2);
  t.same(ctx.clicks, [
    { x: 0, y: 0, positive: true },
    { x: 1, y: 1, positive: false },
  ]);
  t.ok(Math.abs(ctx.dice - (3 + 1e-6) / (3.5 + 1e-6)) < 1e-9);
  t.equal(ctx.patchSize, 15.625);
  t.equal(makeRewardContext({ gt: ["#"], clicks: [], dice: 0.3 }).dice, 0.3);
  t.throws(() => makeRewardContext({ gt: ["##"], pred: ["#"], clicks: [] }), /shape of gt \[1, 2\]/);
  t.throws(() => makeRewardContext({ gt: ["##"], clicks: [[0, 0, "?" as "+"]] }), /label must be '\+' or '-'/);
  t.throws(() => makeRewardContext({ gt: ["##"], clicks: [{ x: NaN, y: 0, positive: true }] }), InvalidArgumentError);
  t.same(makeRewardState({ bestDice: 0.2 }), { bestDice: 0.2, previousDice: 0 });
  t.same(Array.from(ctx.prevPred.data), [0, 0, 0, 0], "prevPred defaults to 0");
  t.same(Array.from(makeRewardContext({ gt: ["#"], prevPred: ["5"], clicks: [] }).prevPred.data), [0.5]);
  t.throws(() => makeRewardContext({ gt: ["##"], prevPred: ["#"], clicks: [] }), /prevPred must have the shape of gt/);
  const prevs: number[][] = [];
  runRewardEpisode((c) => (prevs.push(Array.from(c.prevPred.data)), 0), {
    gt: ["##"],
    steps: [
      { click: [0, 0, "+"], pred: ["#."] },
      { click: [1, 0, "+"], pred: ["##"] },
    ],
  });
  t.same(
    prevs,
    [
      [0, 0],
      [1, 0],
    ],
    "runRewardEpisode carries the previous prediction",
  );
});

t.test("FixedSegmenter: SAM-shaped outputs, padding in the low-res frame, recorded calls", async (t) => {
  const seg = new FixedSegmenter({ mask: ["#...", "#..."] }); // image 2 x 4
  const image = ndarray(new Uint8Array(2 * 4 * 3).fill(255), [2, 4, 3]);
  const emb = await seg.embed(image);
  t.same(emb.shape, [4, 16, 16]);
  t.equal(emb.get(0, 0, 0), 1, "top-left cell samples the image");
  t.equal(emb.get(0, 15, 0), 0, "bottom rows are padding (image is wider than tall)");
  const out = await seg.predict(emb, { points: [[1, 1]], labels: [1], imageSize: [2, 4] });
  t.same(out.masks.shape, [1, 2, 4]);
  t.equal(out.masks.get(0, 0, 0), 30);
  t.equal(out.masks.get(0, 0, 1), -30);
  t.same(out.lowResLogits.shape, [1, 256, 256]);
  t.equal(out.lowResLogits.get(0, 0, 0), 30, "image column 0 maps to the first low-res columns");
  t.equal(out.lowResLogits.get(0, 0, 100), -30);
  t.equal(out.lowResLogits.get(0, 200, 0), -30, "rows below the image (128..255) are padding");
  t.equal(out.lowResLogits.get(0, 127, 0), 30);
  const multi = await seg.predict(emb, {
    points: [
      [1, 1],
      [2, 1],
    ],
    labels: [1, 0],
    imageSize: [2, 4],
    multimask: true,
    maskInput: ndarray(new Float32Array(65536).fill(2), [256, 256]),
  });
  t.same(multi.masks.shape, [3, 2, 4]);
  t.same(Array.from(multi.scores), [1, Math.fround(0.9), Math.fround(0.8)]);
  t.equal(seg.calls.length, 2);
  t.same(seg.calls[1]?.points, [
    [1, 1],
    [2, 1],
  ]);
  t.same(seg.calls[1]?.labels, [1, 0]);
  t.equal(seg.calls[1]?.multimask, true);
  t.equal(seg.calls[1]?.maskInput?.[0], 2);
  t.equal(seg.calls[0]?.maskInput, null);
  await t.rejects(seg.predict(emb, { points: [[0, 0]], labels: [1], imageSize: [3, 4] }), SegmenterError);
  await t.rejects(
    seg.predict(ndarray(new Float32Array(4), [4, 1, 1]), { points: [[0, 0]], labels: [1], imageSize: [2, 4] }),
    SegmenterError,
  );
});

t.test("ScriptedSegmenter: list by click count, function, candidates", async (t) => {
  const seg = new ScriptedSegmenter({
    script: [
      ["#.", ".."],
      ["##", ".."],
    ],
  });
  const emb = await seg.embed(ndarray(new Uint8Array(12), [2, 2, 3]));
  const p = (n: number) => ({
    points: Array.from({ length: n }, () => [0, 0] as [number, number]),
    labels: Array(n).fill(1),
    imageSize: [2, 2] as [number, number],
  });
  t.equal((await seg.predict(emb, p(1))).masks.get(0, 0, 1), -30);
  t.equal((await seg.predict(emb, p(2))).masks.get(0, 0, 1), 30);
  t.equal((await seg.predict(emb, p(5))).masks.get(0, 0, 1), 30, "the last entry repeats");
  const fn = new ScriptedSegmenter({
    script: (_prompt, call) => ({ masks: [["#."], [".#"]], scores: [call, 1 - call] }),
  });
  const e2 = await fn.embed(ndarray(new Uint8Array(6), [1, 2, 3]));
  const out = await fn.predict(e2, { points: [[0, 0]], labels: [1], imageSize: [1, 2] });
  t.same(Array.from(out.scores), [0, 1]);
  t.same(out.masks.shape, [2, 1, 2]);
  t.throws(() => new ScriptedSegmenter({ script: [] }), InvalidArgumentError);
  const bad = new ScriptedSegmenter({ script: () => ({ masks: [["#"]], scores: [] }) });
  await t.rejects(
    bad.predict(await bad.embed(ndarray(new Uint8Array(3), [1, 1, 3])), {
      points: [[0, 0]],
      labels: [1],
      imageSize: [1, 1],
    }),
    SegmenterError,
  );
});

t.test("InMemoryDataset samples with the given rng and names missing categories", async (t) => {
  const img = (v: number) => ndarray(new Uint8Array(2 * 2 * 3).fill(v), [2, 2, 3]);
  const masks = ndarray(new Uint8Array(4).fill(1), [2, 2, 1]);
  const ds = new InMemoryDataset({
    cat: [
      { image: img(1), masks },
      { image: img(2), masks },
    ],
    dog: [],
  });
  t.same(ds.categories, ["cat", "dog"]);
  const a = await ds.sample("cat", new Rng(5));
  const b = await ds.sample("cat", new Rng(5));
  t.same(a, b, "same rng seed -> same sample");
  t.equal(a.image, b.image);
  t.match(a.source, /^memory:cat\/[01]$/);
  const seen = new Set<number>();
  const rng = new Rng(1);
  for (let i = 0; i < 20; i++) seen.add((await ds.sample("cat", rng)).image.get(0, 0, 0));
  t.same([...seen].sort(), [1, 2]);
  await t.rejects(ds.sample("dog", rng), DatasetError);
  await t.rejects(ds.sample("cow", rng), /no category "cow"/);
  t.throws(
    () => new InMemoryDataset({ x: [{ image: ndarray(new Uint8Array(4), [2, 2, 1]), masks }] }),
    InvalidArgumentError,
  );
});
