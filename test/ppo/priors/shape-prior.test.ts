import t from "tap";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { selectBackend } from "../../../src/ppo/nn/backend";
import { SyntheticShapePrior, builtinPrior } from "../../../src/ppo/priors/shape-prior";
import { SHAPE_PRIOR_WEIGHTS_BASE64 } from "../../../src/priors/generated/shape-prior-weights";
import { ShapePriorNet } from "../../../src/ppo/priors/shape-prior-net";
import { generateSyntheticCoco } from "../../../src/data/synthetic/generate-synthetic-coco";
import { CocoDataset } from "../../../src/data/coco-dataset";
import { SYNTHETIC_SHAPES } from "../../../src/data/synthetic/shapes";
import { Rng } from "../../../src/core/rng";
import { InvalidArgumentError } from "../../../src/core/errors";

t.test("the bundled weights fit the network", async (t) => {
  await selectBackend("wasm");
  const net = new ShapePriorNet(0);
  t.equal(Buffer.from(SHAPE_PRIOR_WEIGHTS_BASE64, "base64").length, 2 * net.params.count, "one float16 per parameter");
  net.dispose();
});

t.test("the prior finds the target category on scenes it never saw", async (t) => {
  await selectBackend("wasm");
  const dir = mkdtempSync(join(tmpdir(), "asg-prior-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // Seed 77: neither the prior's training scenes (9001) nor its validation scenes (9002).
  const res = await generateSyntheticCoco({ outDir: dir, images: 24, seed: 77 });
  const ds = new CocoDataset({ dataDir: res.dataDir, split: res.split });
  const prior = new SyntheticShapePrior();
  t.teardown(() => prior.dispose());
  const rng = new Rng(5);
  let inside = 0,
    outside = 0,
    peakHits = 0;
  const n = 24;
  for (let i = 0; i < n; i++) {
    const category = SYNTHETIC_SHAPES[i % SYNTHETIC_SHAPES.length] as string;
    const { image, masks } = await ds.sample(category, rng);
    const [H, W] = image.shape as [number, number];
    const { data, height, width } = await prior.prior(image, category);
    t.equal(data.length, height * width);
    // Mean prior over target / non-target cells (cell centre inside the ground truth or not).
    let sIn = 0,
      nIn = 0,
      sOut = 0,
      nOut = 0,
      best = -1,
      bestCell = 0;
    const K = masks.shape[2] as number;
    for (let c = 0; c < height * width; c++) {
      const y = Math.floor(((Math.floor(c / width) + 0.5) * H) / height),
        x = Math.floor((((c % width) + 0.5) * W) / width);
      let gt = false;
      for (let k = 0; k < K; k++) gt ||= masks.get(y, x, k) > 0;
      if (gt) ((sIn += data[c] as number), nIn++);
      else ((sOut += data[c] as number), nOut++);
      if ((data[c] as number) > best) ((best = data[c] as number), (bestCell = c));
    }
    inside += nIn ? sIn / nIn : 0;
    outside += sOut / nOut;
    const py = Math.floor(((Math.floor(bestCell / width) + 0.5) * H) / height),
      px = Math.floor((((bestCell % width) + 0.5) * W) / width);
    for (let k = 0; k < K; k++) if (masks.get(py, px, k) > 0) (peakHits++, (k = K));
  }
  t.ok(
    inside / n > 3 * (outside / n),
    `mean prior on the target ${(inside / n).toFixed(3)} > 3 x elsewhere ${(outside / n).toFixed(3)}`,
  );
  t.ok(peakHits / n >= 0.5, `the prior's peak lands on the target in ${peakHits}/${n} scenes (>= 50%)`);
});

t.test("cache, views and bad input", async (t) => {
  await selectBackend("wasm");
  const prior = new SyntheticShapePrior({ cacheSize: 2 });
  t.teardown(() => prior.dispose());
  const H = 120,
    W = 160;
  const pixels = new Uint8Array(H * W * 3).map((_, i) => (i * 31) % 256);
  const image = ndarray(pixels, [H, W, 3]);
  const a = await prior.prior(image, "star");
  const again = await prior.prior(image, "star");
  t.same(Array.from(again.data), Array.from(a.data), "a cached image gives the same map");
  const batch = new Uint8Array(3 * H * W * 3);
  batch.set(pixels, 2 * H * W * 3);
  const view = ndarray(batch, [3, H, W, 3]).pick(2, null, null, null) as NdArray<Uint8Array>;
  const fresh = new SyntheticShapePrior({ cacheSize: 0 });
  t.teardown(() => fresh.dispose());
  t.same(
    Array.from((await fresh.prior(view, "star")).data),
    Array.from(a.data),
    "a view into a batch gives the same map as the image",
  );
  // The cache is keyed by content, not by array: pixels changed in place give the new image's
  // map (a fresh provider's), not the stale one.
  const mutable = Uint8Array.from(pixels);
  const mutableImage = ndarray(mutable, [H, W, 3]);
  t.same(Array.from((await prior.prior(mutableImage, "star")).data), Array.from(a.data));
  for (let i = 0; i < 20 * W * 3; i++) mutable[i] = 255 - (mutable[i] as number);
  const expected = Array.from((await fresh.prior(ndarray(Uint8Array.from(mutable), [H, W, 3]), "star")).data);
  t.notSame(expected, Array.from(a.data), "20 inverted rows change the map");
  t.same(Array.from((await prior.prior(mutableImage, "star")).data), expected, "in-place change: recomputed");
  // Bytes that do not start on a 4-byte boundary are keyed byte by byte: same content, same map.
  const odd = new Uint8Array(H * W * 3 + 1);
  odd.set(pixels, 1);
  const oddImage = ndarray(odd.subarray(1), [H, W, 3]);
  t.same(Array.from((await prior.prior(oddImage, "star")).data), Array.from(a.data), "unaligned bytes");
  const other = await prior.prior(image, "disc");
  t.notSame(Array.from(other.data), Array.from(a.data), "another category reads another class");
  await t.rejects(prior.prior(image, "person"), InvalidArgumentError, "unknown category");
  await t.rejects(prior.prior(image, "background"), InvalidArgumentError, "background is not a category");
  await t.rejects(
    prior.prior(ndarray(new Uint8Array(50 * 50 * 3), [50, 50, 3]), "star"),
    InvalidArgumentError,
    "too small",
  );
  t.throws(() => new SyntheticShapePrior({ cacheSize: -1 }), InvalidArgumentError);
  t.throws(() => builtinPrior("clip"), InvalidArgumentError);
  const built = builtinPrior("synthetic-shapes");
  t.equal(built.channels, 1);
  built.dispose();
});
