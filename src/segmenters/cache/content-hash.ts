import { createHash } from "node:crypto";
import type { NdArray } from "ndarray";
import { denseFloat32 } from "../prompt-checks";

/**
 * A content hash of an image: hex SHA-256 of its shape and pixel values (row-major), so equal
 * pixels give equal keys whatever the strides or the file the image came from.
 *
 * @example
 * ```ts
 * imageContentHash(image); // "3f9a…" (64 hex digits)
 * ```
 */
export function imageContentHash(image: NdArray<Uint8Array>): string {
  const h = createHash("sha256");
  h.update(`${image.dtype}:${image.shape.join("x")}:`);
  h.update(denseBytes(image));
  return h.digest("hex");
}

/** The values of a uint8 ndarray as dense row-major bytes (no copy when already dense). */
export function denseBytes(a: NdArray<Uint8Array>): Uint8Array {
  const size = a.shape.reduce((p, v) => p * v, 1);
  let expect = 1, dense = a.offset === 0;
  for (let d = a.shape.length - 1; d >= 0 && dense; d--) {
    if (a.shape[d] !== 1 && a.stride[d] !== expect) dense = false;
    expect *= a.shape[d];
  }
  if (dense && a.data instanceof Uint8Array && a.data.length === size) return a.data;
  return Uint8Array.from(denseFloat32(a));
}
