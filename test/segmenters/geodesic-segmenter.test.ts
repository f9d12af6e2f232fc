import t from "tap";
import ndarray from "ndarray";
import { GeodesicSegmenter } from "../../src/segmenters";
import { iou } from "../../src/metrics";
import { InvalidArgumentError } from "../../src/core/errors";
import { binarize, discImage, discMask } from "./images";

const H = 375,
  W = 500;
const image = discImage(
  H,
  W,
  [30, 60, 40],
  [
    { cx: 200, cy: 180, r: 90, colour: [220, 200, 60] },
    { cx: 400, cy: 120, r: 50, colour: [220, 200, 60] },
  ],
);

t.test("a click inside a uniform disc on a contrasting background yields the disc", async (t) => {
  const seg = new GeodesicSegmenter();
  const emb = await seg.embed(discImage(H, W, [30, 60, 40], [{ cx: 250, cy: 190, r: 100, colour: [200, 40, 160] }]));
  t.same(emb.shape, seg.embeddingShape);
  const out = await seg.predict(emb, { points: [[250, 190]], labels: [1], imageSize: [H, W] });
  t.same(out.masks.shape, [1, H, W]);
  t.same(out.lowResLogits.shape, [1, 256, 256]);
  t.equal(out.scores.length, 1);
  const score = iou(binarize(out.masks), discMask(H, W, 250, 190, 100));
  t.ok(score > 0.95, `IoU ${score.toFixed(4)} > 0.95`);
  // Calibrated: confident inside and far outside, padding rows (192.. of the low-res grid) background.
  t.ok(out.masks.get(0, 190, 250) > 4 && out.masks.get(0, 10, 10) < -4);
  t.ok(out.lowResLogits.get(0, 220, 100) < 0, "padding is background");
});

t.test("two same-coloured discs: a positive click in each joins them; a negative click removes one", async (t) => {
  const seg = new GeodesicSegmenter();
  const emb = await seg.embed(image);
  const both = await seg.predict(emb, {
    points: [
      [200, 180],
      [400, 120],
    ],
    labels: [1, 1],
    imageSize: [H, W],
  });
  const small = discMask(H, W, 400, 120, 50);
  const inSmall = (m: ReturnType<typeof binarize>): number =>
    iou(m, small) > 0 ? Array.from(m.data).filter((v, i) => v && small.data[i]).length / 7850 : 0;
  t.ok(inSmall(binarize(both.masks)) > 0.9, "the small disc is selected");
  const removed = await seg.predict(emb, {
    points: [
      [200, 180],
      [400, 120],
    ],
    labels: [1, 0],
    imageSize: [H, W],
  });
  const m = binarize(removed.masks);
  t.ok(inSmall(m) < 0.02, "the negative click removed the small disc");
  t.ok(iou(m, discMask(H, W, 200, 180, 90)) > 0.95, "the big disc stays");
});

t.test("multimask gives three scored variants; maskInput acts as a prior", async (t) => {
  const seg = new GeodesicSegmenter();
  const emb = await seg.embed(image);
  const out = await seg.predict(emb, { points: [[200, 180]], labels: [1], imageSize: [H, W], multimask: true });
  t.same(out.masks.shape, [3, H, W]);
  t.equal(out.scores.length, 3);
  t.ok(Array.from(out.scores).every((s) => s >= 0 && s <= 1));
  // Prior: +8 logits over the small disc's low-res cells raise its logits (without a click there).
  const prior = ndarray(new Float32Array(256 * 256), [256, 256]);
  for (let y = 0; y < 256; y++)
    for (let x = 0; x < 256; x++) if ((x - 400 * 0.512) ** 2 + (y - 120 * 0.512) ** 2 < 400) prior.set(y, x, 8);
  const a = await seg.predict(emb, { points: [[200, 180]], labels: [1], imageSize: [H, W] });
  const b = await seg.predict(emb, { points: [[200, 180]], labels: [1], imageSize: [H, W], maskInput: prior });
  t.ok(
    b.lowResLogits.get(0, 61, 205) > a.lowResLogits.get(0, 61, 205) + 1,
    "prior raises the logits where it is positive",
  );
});

t.test("deterministic: same image and prompt -> identical embedding and outputs", async (t) => {
  const e1 = await new GeodesicSegmenter().embed(image);
  const e2 = await new GeodesicSegmenter().embed(image);
  t.same(Array.from(e1.data), Array.from(e2.data));
  const seg = new GeodesicSegmenter();
  const p = {
    points: [
      [200, 180],
      [380, 300],
    ] as Array<[number, number]>,
    labels: [1, 0],
    imageSize: [H, W] as [number, number],
  };
  const r1 = await seg.predict(e1, p);
  const copy = ndarray(Float32Array.from(e1.data), e1.shape); // a copy works: the embedding is self-contained
  const r2 = await seg.predict(copy, p);
  t.same(Array.from(r1.lowResLogits.data), Array.from(r2.lowResLogits.data));
});

/** Bitwise equality of two float32 arrays (tap's deep equality is slow on 10^5 elements). */
function sameFloats(a: Float32Array, b: Float32Array): boolean {
  return (
    a.length === b.length &&
    Buffer.compare(
      new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
      new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

t.test("reuseOutput: same values; the arrays are reused by the next reusing call; fresh arrays are kept", async (t) => {
  const seg = new GeodesicSegmenter();
  const emb = await seg.embed(image);
  const a = { points: [[200, 180]] as Array<[number, number]>, labels: [1], imageSize: [H, W] as [number, number] };
  const b = { ...a, points: [[400, 120]] as Array<[number, number]> };
  for (const multimask of [false, true]) {
    const freshA = await seg.predict(emb, { ...a, multimask });
    const freshB = await seg.predict(emb, { ...b, multimask });
    const reusedA = await seg.predict(emb, { ...a, multimask, reuseOutput: true });
    t.ok(sameFloats(reusedA.masks.data, freshA.masks.data), `masks equal (multimask ${multimask})`);
    t.ok(sameFloats(reusedA.lowResLogits.data, freshA.lowResLogits.data));
    const keptFreshA = Float32Array.from(freshA.masks.data);
    const reusedB = await seg.predict(emb, { ...b, multimask, reuseOutput: true });
    t.ok(reusedB.masks.data === reusedA.masks.data, "the next reusing call returns the same full-size array");
    t.ok(reusedB.lowResLogits.data === reusedA.lowResLogits.data, "and the same low-res array");
    t.ok(
      freshA.masks.data !== reusedA.masks.data && sameFloats(freshA.masks.data, keptFreshA),
      "fresh arrays are kept",
    );
    t.ok(sameFloats(reusedB.masks.data, freshB.masks.data), "overwritten with the new prediction");
    // The previous reused low-res output fed back as maskInput is read intact (not overwritten first).
    const prior = ndarray(reusedB.lowResLogits.data.subarray(0, 256 * 256), [256, 256]);
    const fedFresh = await seg.predict(emb, { ...a, maskInput: ndarray(Float32Array.from(prior.data), [256, 256]) });
    const fedReused = await seg.predict(emb, { ...a, maskInput: prior, reuseOutput: true });
    t.ok(sameFloats(fedReused.lowResLogits.data, fedFresh.lowResLogits.data), "maskInput aliasing the output");
  }
  await t.rejects(seg.predict(emb, { ...a, reuseOutput: 1 as never }), /prompt\.reuseOutput must be a boolean, got 1/);
  await t.rejects(
    seg.predict(emb, { ...a, multimask: "yes" as never }),
    /prompt\.multimask must be a boolean, got "yes"/,
  );
});

t.test("bad inputs throw typed errors naming the value", async (t) => {
  const seg = new GeodesicSegmenter();
  const emb = await seg.embed(image);
  await t.rejects(
    seg.predict(emb, { points: [[600, 10]], labels: [1], imageSize: [H, W] }),
    /points\[0\] = \(600, 10\)/,
  );
  await t.rejects(seg.predict(emb, { points: [[6, 10]], labels: [2], imageSize: [H, W] }), /labels\[0\]/);
  await t.rejects(
    seg.predict(ndarray(new Float32Array(8), [2, 2, 2]), { points: [], labels: [], imageSize: [H, W] }),
    InvalidArgumentError,
  );
  await t.rejects(seg.embed(ndarray(new Uint8Array(12), [2, 2, 3]).pick(null, null, 0) as never), /\[H, W, 3\]/);
  t.throws(() => new GeodesicSegmenter({ sweeps: 0 }), /sweeps/);
});
