import ndarray from "ndarray";
import type { NdArray } from "ndarray";

/** A [h, w, 3] uint8 image of `bg` with filled discs (cx, cy, r, colour) drawn in order. */
export function discImage(
  h: number,
  w: number,
  bg: [number, number, number],
  discs: Array<{ cx: number; cy: number; r: number; colour: [number, number, number] }>,
): NdArray<Uint8Array> {
  const img = ndarray(new Uint8Array(h * w * 3), [h, w, 3]);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let c = bg;
      for (const d of discs) if ((x - d.cx) ** 2 + (y - d.cy) ** 2 <= d.r * d.r) c = d.colour;
      for (let k = 0; k < 3; k++) img.set(y, x, k, c[k]);
    }
  return img;
}

/** The [h, w] uint8 mask of a disc. */
export function discMask(h: number, w: number, cx: number, cy: number, r: number): NdArray<Uint8Array> {
  const m = ndarray(new Uint8Array(h * w), [h, w]);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) m.set(y, x, 1);
  return m;
}

/** Threshold plane `k` of [k, H, W] logits at 0 into an [H, W] uint8 mask. */
export function binarize(masks: NdArray<Float32Array>, k = 0): NdArray<Uint8Array> {
  const [, h, w] = masks.shape;
  const out = new Uint8Array(h * w);
  for (let i = 0; i < h * w; i++) out[i] = masks.data[k * h * w + i] > 0 ? 1 : 0;
  return ndarray(out, [h, w]);
}
