import type { NdArray } from "ndarray";
import { denseFloat32 } from "../prompt-checks";
import { sha256Hex } from "../../core/sha256";

/**
 * A content hash of an image: hex SHA-256 of its shape and pixel values (row-major), so equal
 * pixels give equal keys whatever the strides or the file the image came from (node:crypto in
 * Node.js, a plain-JavaScript SHA-256 in a browser: the same keys on both).
 *
 * @example
 * ```ts
 * imageContentHash(image); // "3f9a…" (64 hex digits)
 * ```
 */
export function imageContentHash(image: NdArray<Uint8Array>): string {
  return sha256Hex([`${image.dtype}:${image.shape.join("x")}:`, denseBytes(image)]);
}

/** The values of a uint8 ndarray as dense row-major bytes (no copy when already dense). */
export function denseBytes(a: NdArray<Uint8Array>): Uint8Array {
  const size = a.shape.reduce((p, v) => p * v, 1);
  let expect = 1,
    dense = a.offset === 0;
  for (let d = a.shape.length - 1; d >= 0 && dense; d--) {
    if (a.shape[d] !== 1 && a.stride[d] !== expect) dense = false;
    expect *= a.shape[d];
  }
  if (dense && a.data instanceof Uint8Array && a.data.length === size) return a.data;
  return Uint8Array.from(denseFloat32(a));
}
