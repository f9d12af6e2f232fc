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

t.test("the flip average: the mean of the four mirrored views, mirror-equivariant", async (t) => {
  await selectBackend("wasm");
  const [H, W] = [96, 128]; // the network's input size: no resampling, so mirroring commutes with it
  const [h, w, K] = [24, 32, 7];
  const pixels = new Uint8Array(H * W * 3).map((_, i) => (i * 37 + ((i / 97) | 0) * 11) % 256);
  const mirror = (
    src: Uint8Array | Float32Array,
    rows: number,
    cols: number,
    c: number,
    flipY: boolean,
    flipX: boolean,
  ) => {
    const out = new (src.constructor as Uint8ArrayConstructor | Float32ArrayConstructor)(src.length);
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < cols; x++)
        for (let k = 0; k < c; k++)
          out[(y * cols + x) * c + k] = src[
            ((flipY ? rows - 1 - y : y) * cols + (flipX ? cols - 1 - x : x)) * c + k
          ] as number;
    return out;
  };
  const averaged = new SyntheticShapePrior({ cacheSize: 0 });
  const single = new SyntheticShapePrior({ cacheSize: 0, flipAverage: false });
  t.teardown(() => (averaged.dispose(), single.dispose()));
  t.equal(averaged.flipAverage, true, "on by default");
  const views = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const;
  const expected = new Float32Array(h * w * K);
  for (const [fy, fx] of views) {
    const image = ndarray(mirror(pixels, H, W, 3, fy, fx) as Uint8Array, [H, W, 3]);
    const back = mirror(await single.classProbabilities(image), h, w, K, fy, fx);
    for (let i = 0; i < expected.length; i++) expected[i] = (expected[i] as number) + (back[i] as number) / 4;
  }
  const got = await averaged.classProbabilities(ndarray(pixels, [H, W, 3]));
  const maxDiff = (a: Float32Array, b: Float32Array): number =>
    a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
  t.ok(
    maxDiff(got, expected) < 1e-5,
    `the mean of the four single-pass views, mirrored back (max diff ${maxDiff(got, expected)})`,
  );
  const mirroredInput = ndarray(mirror(pixels, H, W, 3, false, true) as Uint8Array, [H, W, 3]);
  const mirroredOut = mirror(got, h, w, K, false, true) as Float32Array;
  t.ok(
    maxDiff(await averaged.classProbabilities(mirroredInput), mirroredOut) < 1e-5,
    "mirroring the image mirrors the map",
  );
  const one = await single.classProbabilities(ndarray(pixels, [H, W, 3]));
  t.ok(
    maxDiff(mirror(await single.classProbabilities(mirroredInput), h, w, K, false, true) as Float32Array, one) > 1e-3,
    "a single pass is not mirror-equivariant (so the check above can fail)",
  );
  t.throws(() => new SyntheticShapePrior({ flipAverage: "yes" as unknown as boolean }), {
    name: "InvalidArgumentError",
    message: /flipAverage must be a boolean, got yes/,
  });
});

t.test("other weights", async (t) => {
  await selectBackend("wasm");
  const count = Buffer.from(SHAPE_PRIOR_WEIGHTS_BASE64, "base64").length / 2;
  // All-zero weights: every logit 0, so every class has probability 1/7 everywhere.
  const zero = new SyntheticShapePrior({ weights: new Uint16Array(count), flipAverage: false });
  t.teardown(() => zero.dispose());
  const probs = await zero.classProbabilities(ndarray(new Uint8Array(96 * 128 * 3).fill(90), [96, 128, 3]));
  t.ok(
    probs.every((p) => Math.abs(p - 1 / 7) < 1e-6),
    "zero weights give uniform class probabilities",
  );
  t.throws(() => new SyntheticShapePrior({ weights: new Uint16Array(count - 1) }), {
    name: "InvalidArgumentError",
    message: new RegExp(`${count - 1} values for a network of ${count}`),
  });
});
