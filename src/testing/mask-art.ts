import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";

/**
 * A small mask written as text, one string per row ("..##..") or one multi-line string
 * (blank lines and surrounding spaces ignored). See {@link maskFromArt} and {@link probabilityFromArt}.
 */
export type MaskArt = string | readonly string[];

/**
 * Parse string art into a binary mask [H, W] uint8: '#', '1', 'x' or 'X' -> 1; '.', '0' or '-' -> 0.
 *
 * @throws InvalidArgumentError on ragged rows, no rows, or another character (named with its position).
 * @example
 * ```ts
 * const gt = maskFromArt(["......", "..##..", "..##.."]); // [3, 6], 4 foreground pixels
 * ```
 */
export function maskFromArt(art: MaskArt): NdArray<Uint8Array> {
  const rows = artRows(art);
  return fill(rows, Uint8Array, (ch, r, c) => {
    if (ch === "#" || ch === "1" || ch === "x" || ch === "X") return 1;
    if (ch === "." || ch === "0" || ch === "-") return 0;
    throw new InvalidArgumentError(
      `mask art: unexpected ${JSON.stringify(ch)} at row ${r}, column ${c}; use '#' for foreground and '.' for background`,
    );
  });
}

/**
 * Parse string art into a probability map [H, W] float32: '.' -> 0, '#' -> 1, a digit d -> d / 10
 * ('5' = 0.5, '9' = 0.9).
 *
 * @throws InvalidArgumentError on ragged rows, no rows, or another character.
 * @example
 * ```ts
 * const pred = probabilityFromArt(["..55..", "..##.."]); // 0.5 and 1.0 in the middle
 * ```
 */
export function probabilityFromArt(art: MaskArt): NdArray<Float32Array> {
  const rows = artRows(art);
  return fill(rows, Float32Array, (ch, r, c) => {
    if (ch === "#") return 1;
    if (ch === ".") return 0;
    if (ch >= "0" && ch <= "9") return Number(ch) / 10;
    throw new InvalidArgumentError(
      `probability art: unexpected ${JSON.stringify(ch)} at row ${r}, column ${c}; use '.', '#' or a digit d for d/10`,
    );
  });
}

/**
 * A binary mask [H, W] uint8 with the boxes x in [x0, x1), y in [y0, y1) set to 1
 * (for masks too large to draw as art).
 */
export function boxMask(
  shape: readonly [number, number],
  boxes: ReadonlyArray<{ x0: number; y0: number; x1: number; y1: number }>,
): NdArray<Uint8Array> {
  const [h, w] = shape;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h <= 0 || w <= 0) {
    throw new InvalidArgumentError(`boxMask: shape must be two positive integers, got [${shape}]`);
  }
  const data = new Uint8Array(h * w);
  for (const b of boxes) {
    for (let y = Math.max(0, b.y0); y < Math.min(h, b.y1); y++)
      data.fill(1, y * w + Math.max(0, b.x0), y * w + Math.min(w, b.x1));
  }
  return ndarray(data, [h, w]);
}

function artRows(art: MaskArt): string[] {
  const lines = typeof art === "string" ? art.split(/\r?\n/) : [...art];
  const rows = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  if (rows.length === 0) throw new InvalidArgumentError("mask art has no rows");
  const w = (rows[0] as string).length;
  rows.forEach((r, i) => {
    if (r.length !== w)
      throw new InvalidArgumentError(
        `mask art rows must have one length: row 0 has ${w} characters, row ${i} has ${r.length} (${JSON.stringify(r)})`,
      );
  });
  return rows;
}

function fill<T extends Uint8Array | Float32Array>(
  rows: string[],
  Ctor: { new (n: number): T },
  value: (ch: string, r: number, c: number) => number,
): NdArray<T> {
  const h = rows.length;
  const w = (rows[0] as string).length;
  const data = new Ctor(h * w);
  rows.forEach((row, r) => {
    for (let c = 0; c < w; c++) data[r * w + c] = value(row[c] as string, r, c);
  });
  return ndarray(data, [h, w]);
}
