import t from "tap";
import ndarray from "ndarray";
import { encodeGif } from "../../src/wrappers/gif-encoder";
import { decodeGif } from "../data/gif-decoder";

function frame(
  h: number,
  w: number,
  f: (y: number, x: number) => [number, number, number],
): ndarray.NdArray<Uint8Array> {
  const a = ndarray(new Uint8Array(h * w * 3), [h, w, 3]);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) f(y, x).forEach((v, c) => a.set(y, x, c, v));
  return a;
}

t.test("encodeGif round-trips flat-colour frames exactly", async (t) => {
  // Colours exact in RGB565 (multiples of 8 / 4 / 8 that survive the 5/6/5-bit round trip).
  const colours: Array<[number, number, number]> = [
    [0, 0, 0],
    [255, 255, 255],
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
  ];
  const frames = [0, 1, 2].map((k) =>
    frame(30, 41, (y, x) => colours[(Math.floor(x / 9) + Math.floor(y / 7) + k) % colours.length]!),
  );
  const gif = decodeGif(encodeGif(frames, { fps: 5 }));
  t.equal(gif.width, 41);
  t.equal(gif.height, 30);
  t.equal(gif.loops, 0, "loops forever");
  t.equal(gif.frames.length, 3);
  gif.frames.forEach((f, k) => {
    t.equal(f.delayMs, 200, `frame ${k}: 5 fps`);
    t.same(Array.from(f.rgb), Array.from(frames[k]!.data), `frame ${k} pixels`);
  });
});

t.test("encodeGif keeps a smooth gradient within quantization error", async (t) => {
  const f = frame(16, 64, (y, x) => [x * 4, y * 16, 128]);
  const [out] = decodeGif(encodeGif([f])).frames;
  let worst = 0;
  for (let i = 0; i < f.data.length; i++) worst = Math.max(worst, Math.abs(out!.rgb[i]! - f.data[i]!));
  t.ok(worst <= 12, `max channel error ${worst} <= 12`);
});

t.test("encodeGif refuses bad input", async (t) => {
  t.throws(() => encodeGif([]), /at least one frame/);
  t.throws(
    () => encodeGif([frame(4, 4, () => [0, 0, 0]), frame(4, 5, () => [0, 0, 0])]),
    /frame 1 is 4x5, frame 0 is 4x4/,
  );
  t.throws(() => encodeGif([ndarray(new Uint8Array(16), [4, 4, 1])]), /must be \[H, W, 3\]/);
  t.throws(() => encodeGif([frame(2, 2, () => [0, 0, 0])], { fps: 0 }), /fps must be a positive number/);
});
