import t from "tap";
import { ColourModel } from "../../src/segmenters/geodesic/colour-model";

const N = 256;

t.test("colour model: cells of the object's colour are pushed up, background colours down", async (t) => {
  const h = 20,
    w = 30;
  const bins = new Uint16Array(N * N);
  const logits = new Float32Array(N * N);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = y * N + x;
      const object = x < 10;
      bins[p] = object ? 7 : 300;
      logits[p] = object ? 8 : -8;
    }
  // Two uncertain cells far apart: one of the object colour, one of the background colour.
  logits[5 * N + 25] = 0;
  bins[5 * N + 25] = 7;
  logits[15 * N + 2] = 0;
  bins[15 * N + 2] = 300;
  const before = Float32Array.from(logits);
  new ColourModel().apply(logits, bins, h, w, { weight: 1, clamp: 3, confidence: 4, smoothing: 0 });
  t.ok(logits[5 * N + 25] > 2.5, `object-coloured cell up: ${logits[5 * N + 25]}`);
  t.ok(logits[15 * N + 2] < -2.5, `background-coloured cell down: ${logits[15 * N + 2]}`);
  t.equal(logits[N * 25], 0, "outside the image region untouched");
  // Smoothing: the isolated object-coloured cell among background cells is damped.
  const smoothed = Float32Array.from(before);
  new ColourModel().apply(smoothed, bins, h, w, { weight: 1, clamp: 3, confidence: 4, smoothing: 2 });
  t.ok(smoothed[5 * N + 25] < 0, `smoothed: the lone cell no longer wins (${smoothed[5 * N + 25]})`);
});

t.test("colour model: no confident object or background cells -> logits unchanged", async (t) => {
  const logits = new Float32Array(N * N).fill(1);
  const bins = new Uint16Array(N * N);
  new ColourModel().apply(logits, bins, 10, 10, { weight: 1, clamp: 3, confidence: 4, smoothing: 2 });
  t.ok(logits.every((v) => v === 1));
});
