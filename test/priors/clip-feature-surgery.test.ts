import t from "tap";
import ndarray from "ndarray";
import { clipFeatureSurgery, clipSimilarityMaps } from "../../src/priors/clip-feature-surgery";
import { InvalidArgumentError } from "../../src/core/errors";
import { FIXTURES_SKIP, clipGolden, maxAbsDiff, nd } from "./clip-fixtures";
import type { ClipGolden } from "./clip-fixtures";

t.test("similarity and maps of the reference features match torch within 1e-4", { skip: FIXTURES_SKIP }, async (t) => {
  const g = clipGolden() as ClipGolden;
  const sim = clipFeatureSurgery(nd(g.image_features), nd(g.text_features_ensemble), nd(g.redundant_features));
  t.same(sim.shape, [1, 17, 3]);
  const err = maxAbsDiff(sim.data, nd(g.similarity).data);
  t.ok(err < 1e-4, `similarity max abs error ${err.toExponential(2)}`);
  for (const [key, want] of Object.entries(g.similarity_maps)) {
    const [h, w] = key.split("x").map(Number) as [number, number];
    const maps = clipSimilarityMaps(nd(g.similarity), [h, w]);
    t.same(maps.shape, [1, h, w, 3]);
    const e = maxAbsDiff(maps.data, nd(want).data);
    t.ok(e < 1e-4, `maps ${key} max abs error ${e.toExponential(2)}`);
  }
});

t.test("the quirk: normalisation is over the token axis, not the feature axis", async (t) => {
  // Two tokens, two channels: channel 0 = [3, 4] (norm 5), channel 1 = [1, 0] (norm 1).
  const img = ndarray(new Float32Array([3, 1, 4, 0]), [1, 2, 2]);
  const text = ndarray(new Float32Array([1, 0, 0, 1]), [2, 2]);
  const red = ndarray(new Float32Array([0, 0]), [1, 2]);
  const sim = clipFeatureSurgery(img, text, red);
  t.same(
    Array.from(sim.data).map((v) => +v.toFixed(6)),
    [0.6, 1, 0.8, 0],
  );
  // The redundant features are subtracted from every category.
  const sim2 = clipFeatureSurgery(img, text, ndarray(new Float32Array([1, 1]), [1, 2]));
  t.same(
    Array.from(sim2.data).map((v) => +v.toFixed(6)),
    [-1, -0.6, 0, -0.8],
  );
  // Strided input gives the same numbers as dense input.
  const strided = ndarray(new Float32Array([3, 4, 1, 0]), [1, 2, 2], [4, 1, 2]);
  t.same(Array.from(clipFeatureSurgery(strided, text, red).data), Array.from(sim.data));
});

t.test("maps: min-max per category over patch tokens, CLS dropped, exact at equal size", async (t) => {
  // CLS (huge, ignored) then a 2x2 grid, two categories.
  const sim = ndarray(new Float32Array([100, -100, 1, 5, 2, 5, 3, 5, 5, 7]), [1, 5, 2]);
  const maps = clipSimilarityMaps(sim, [2, 2]);
  t.same(
    Array.from(maps.data),
    [0, 0, 0.25, 0, 0.5, 0, 1, 1],
    "category 1 constant except the last token; category 0 spans [1, 5]",
  );
  const up = clipSimilarityMaps(sim, [4, 4]);
  t.equal(up.get(0, 0, 0, 0), 0, "corner keeps the corner value (border clamp)");
  t.equal(up.get(0, 3, 3, 0), 1);
  t.ok(Math.abs(up.get(0, 0, 1, 0) - 0.0625) < 1e-7, "half-pixel centres: x = 0.25 between 0 and 0.25");
  t.throws(() => clipSimilarityMaps(ndarray(new Float32Array(6), [1, 3, 2]), [4, 4]), InvalidArgumentError);
  t.throws(() => clipSimilarityMaps(sim, [0, 4]), InvalidArgumentError);
  t.throws(
    () =>
      clipFeatureSurgery(
        ndarray(new Float32Array(4), [1, 2, 2]),
        ndarray(new Float32Array(3), [1, 3]),
        ndarray(new Float32Array(2), [1, 2]),
      ),
    /feature widths differ/,
  );
});
