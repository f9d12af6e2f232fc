import ndarray from "ndarray";
import type { NdArray } from "ndarray";

/** An [h, w] uint8 mask that is 1 on rows r0..r1 x cols c0..c1 (inclusive). */
export function rect(h: number, w: number, r0: number, r1: number, c0: number, c1: number): NdArray<Uint8Array> {
  const m = ndarray(new Uint8Array(h * w), [h, w]);
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) m.set(r, c, 1);
  return m;
}

/** An all-zero [h, w] uint8 mask. */
export function empty(h: number, w: number): NdArray<Uint8Array> {
  return ndarray(new Uint8Array(h * w), [h, w]);
}
