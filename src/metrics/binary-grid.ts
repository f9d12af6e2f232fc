import type { NdArray, TypedArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";

/** A 2-D mask argument: an [H, W] ndarray over a typed array or number[]; non-zero means "on". */
export type MaskLike = NdArray<TypedArray | number[]>;

/** A dense row-major 0/1 grid, the internal form every metric works on. */
export interface BinaryGrid {
  /** 0/1 values, row-major, length h * w. */
  data: Uint8Array;
  /** Rows. */
  h: number;
  /** Columns. */
  w: number;
}

/**
 * Copy an [H, W] mask ndarray (any dtype, any strides, e.g. a `pick` view of [H, W, K]) into a
 * dense row-major 0/1 grid; `what` names the argument in error messages.
 */
export function toBinaryGrid(mask: MaskLike, what: string): BinaryGrid {
  if (!mask || !Array.isArray(mask.shape) || mask.shape.length !== 2) {
    const shape = mask && Array.isArray(mask.shape) ? `[${mask.shape.join(", ")}]` : String(mask);
    throw new InvalidArgumentError(`${what} must be an [H, W] ndarray, got shape ${shape}`);
  }
  const [h, w] = mask.shape as [number, number];
  const out = new Uint8Array(h * w);
  const src = mask.data as ArrayLike<number>;
  const [s0, s1] = mask.stride as [number, number];
  const off = mask.offset;
  for (let r = 0; r < h; r++) {
    const base = off + r * s0;
    const o = r * w;
    for (let c = 0; c < w; c++) out[o + c] = src[base + c * s1] ? 1 : 0;
  }
  return { data: out, h, w };
}

/** Throw unless `b` has the same [H, W] as `a`. */
export function assertSameShape(a: BinaryGrid, b: BinaryGrid, whatA: string, whatB: string): void {
  if (a.h !== b.h || a.w !== b.w) {
    throw new InvalidArgumentError(`${whatB} has shape [${b.h}, ${b.w}] but ${whatA} has [${a.h}, ${a.w}]`);
  }
}
