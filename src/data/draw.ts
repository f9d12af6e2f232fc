import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";

/** An RGB colour, each channel 0..255. */
export type Rgb = readonly [number, number, number];

/** Width and height of one glyph of the built-in font, pixels at scale 1 (plus 1 px spacing). */
export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;

// A 5x7 bitmap font for printable ASCII (32..126): 7 rows per glyph as 2 hex digits each,
// bit 4 = leftmost column. Characters outside that range are drawn as '?'.
const GLYPHS: readonly string[] = [
  "00000000000000",
  "04040404040004",
  "0a0a0a00000000",
  "0a0a1f0a1f0a0a",
  "040f140e051e04",
  "18190204081303",
  "0c12140815120d",
  "0c040800000000",
  "02040808080402",
  "08040202020408",
  "0004150e150400",
  "0004041f040400",
  "000000000c0408",
  "0000001f000000",
  "00000000000c0c",
  "00010204081000",
  "0e11131519110e",
  "040c040404040e",
  "0e11010204081f",
  "1f02040201110e",
  "02060a121f0202",
  "1f101e0101110e",
  "0608101e11110e",
  "1f010204080808",
  "0e11110e11110e",
  "0e11110f01020c",
  "000c0c000c0c00",
  "000c0c000c0408",
  "02040810080402",
  "00001f001f0000",
  "08040201020408",
  "0e110102040004",
  "0e11010d15150e",
  "0e1111111f1111",
  "1e11111e11111e",
  "0e11101010110e",
  "1c12111111121c",
  "1f10101e10101f",
  "1f10101e101010",
  "0e11101711110f",
  "1111111f111111",
  "0e04040404040e",
  "0702020202120c",
  "11121418141211",
  "1010101010101f",
  "111b1515111111",
  "11111915131111",
  "0e11111111110e",
  "1e11111e101010",
  "0e11111115120d",
  "1e11111e141211",
  "0f10100e01011e",
  "1f040404040404",
  "1111111111110e",
  "11111111110a04",
  "1111111515150a",
  "11110a040a1111",
  "1111110a040404",
  "1f01020408101f",
  "0e08080808080e",
  "00100804020100",
  "0e02020202020e",
  "040a1100000000",
  "0000000000001f",
  "08040200000000",
  "00000e010f110f",
  "1010161911111e",
  "00000e1010110e",
  "01010d1311110f",
  "00000e111f100e",
  "0609081c080808",
  "000f11110f010e",
  "10101619111111",
  "04000c0404040e",
  "0200060202120c",
  "10101214181412",
  "0c04040404040e",
  "00001a15151111",
  "00001619111111",
  "00000e1111110e",
  "00001e111e1010",
  "00000d130f0101",
  "00001619101010",
  "00000e100e011e",
  "08081c08080906",
  "0000111111130d",
  "00001111110a04",
  "0000111115150a",
  "0000110a040a11",
  "000011110f010e",
  "00001f0204081f",
  "02040408040402",
  "04040404040404",
  "08040402040408",
  "00000815020000",
];

/** GLYPHS decoded: 7 bytes per glyph. */
const GLYPH_BITS: Uint8Array = (() => {
  const bits = new Uint8Array(GLYPHS.length * GLYPH_HEIGHT);
  GLYPHS.forEach((g, i) => {
    for (let r = 0; r < GLYPH_HEIGHT; r++) bits[i * GLYPH_HEIGHT + r] = parseInt(g.slice(2 * r, 2 * r + 2), 16);
  });
  return bits;
})();

// Glyphs with true descenders for g, j, p, q, y: 9 rows (2 more below the baseline), used with
// TextOptions.descenders; the default glyphs above keep the reference render pixel-exact.
const DESCENDER_GLYPHS: Readonly<Record<string, readonly number[]>> = {
  g: [0x00, 0x00, 0x0f, 0x11, 0x11, 0x0f, 0x01, 0x11, 0x0e],
  j: [0x02, 0x00, 0x06, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c],
  p: [0x00, 0x00, 0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10],
  q: [0x00, 0x00, 0x0f, 0x11, 0x11, 0x0f, 0x01, 0x01, 0x01],
  y: [0x00, 0x00, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x11, 0x0e],
};

/** Index of a character's glyph ('?' for characters outside printable ASCII). */
function glyphIndex(ch: string): number {
  const code = ch.codePointAt(0) ?? 63;
  return code >= 32 && code <= 126 ? code - 32 : 63 - 32;
}

/**
 * Size of `text` drawn with {@link drawText}: width = n * 6 * scale - scale (1 px spacing between
 * glyphs), height = 7 * scale; multi-line text is not supported.
 */
export function measureText(text: string, scale = 1): { width: number; height: number } {
  const n = [...text].length;
  return n === 0
    ? { width: 0, height: 0 }
    : { width: (n * (GLYPH_WIDTH + 1) - 1) * scale, height: GLYPH_HEIGHT * scale };
}

/** Options of {@link drawText}. */
export interface TextOptions {
  /** Text colour (default white). */
  color?: Rgb;
  /** Integer magnification of the 5x7 font (default 1). */
  scale?: number;
  /** A colour for a 1-pixel-per-scale drop shadow (bottom-right), for legibility on any background. */
  shadow?: Rgb;
  /**
   * Draw g, j, p, q and y with descenders reaching 2 rows (times scale) below the other glyphs
   * (default false: the compact 5x7 forms, as the reference render uses).
   */
  descenders?: boolean;
  /** 'top' (default): (x, y) is the top-left corner; 'baseline': y is the bottom row of the glyphs (as OpenCV's putText origin). */
  anchor?: "top" | "baseline";
}

/**
 * Draw `text` into an RGB image [H, W, 3] uint8 with the built-in 5x7 bitmap font, clipped to
 * the image. (x, y) in pixels: the top-left corner of the first glyph (or its baseline-left with
 * `anchor: 'baseline'`).
 *
 * @example
 * ```ts
 * drawText(frame, "Reward: 1.00", 10, 210, { scale: 2, color: [255, 255, 255], shadow: [0, 0, 0] });
 * ```
 */
export function drawText(image: NdArray<Uint8Array>, text: string, x: number, y: number, opts: TextOptions = {}): void {
  checkImage(image, "drawText");
  const scale = opts.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1)
    throw new InvalidArgumentError(`drawText: scale must be a positive integer, got ${scale}`);
  const top = Math.round(opts.anchor === "baseline" ? y - GLYPH_HEIGHT * scale + 1 : y);
  const left = Math.round(x);
  const descenders = opts.descenders === true;
  if (opts.shadow) paintText(image, text, left + scale, top + scale, scale, opts.shadow, descenders);
  paintText(image, text, left, top, scale, opts.color ?? [255, 255, 255], descenders);
}

function paintText(
  image: NdArray<Uint8Array>,
  text: string,
  left: number,
  top: number,
  scale: number,
  color: Rgb,
  descenders: boolean,
): void {
  let gx = left;
  for (const ch of text) {
    const g = glyphIndex(ch) * GLYPH_HEIGHT;
    const tall = descenders ? DESCENDER_GLYPHS[ch] : undefined;
    const rows = tall ? tall.length : GLYPH_HEIGHT;
    for (let r = 0; r < rows; r++) {
      const bits = tall ? (tall[r] as number) : (GLYPH_BITS[g + r] as number);
      if (bits === 0) continue;
      for (let c = 0; c < GLYPH_WIDTH; c++) {
        if ((bits >> (GLYPH_WIDTH - 1 - c)) & 1)
          fillRect(image, gx + c * scale, top + r * scale, gx + (c + 1) * scale, top + (r + 1) * scale, color);
      }
    }
    gx += (GLYPH_WIDTH + 1) * scale;
  }
}

/** Fill the rectangle x in [x0, x1), y in [y0, y1) (pixels, clipped) with `color`. */
export function fillRect(image: NdArray<Uint8Array>, x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
  const [h, w] = image.shape as [number, number, number];
  const xa = Math.max(0, Math.round(x0));
  const xb = Math.min(w, Math.round(x1));
  const ya = Math.max(0, Math.round(y0));
  const yb = Math.min(h, Math.round(y1));
  const [s0, s1, s2] = image.stride as [number, number, number];
  const d = image.data;
  for (let yy = ya; yy < yb; yy++) {
    let i = image.offset + yy * s0 + xa * s1;
    for (let xx = xa; xx < xb; xx++, i += s1) {
      d[i] = color[0];
      d[i + s2] = color[1];
      d[i + 2 * s2] = color[2];
    }
  }
}

/** Draw the outline of the rectangle x in [x0, x1), y in [y0, y1), `thickness` pixels inwards. */
export function drawRect(
  image: NdArray<Uint8Array>,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  color: Rgb,
  thickness = 1,
): void {
  fillRect(image, x0, y0, x1, y0 + thickness, color);
  fillRect(image, x0, y1 - thickness, x1, y1, color);
  fillRect(image, x0, y0, x0 + thickness, y1, color);
  fillRect(image, x1 - thickness, y0, x1, y1, color);
}

/**
 * Fill the disc of `radius` pixels centred at (cx, cy): every pixel (x, y) with
 * (x - cx)^2 + (y - cy)^2 <= radius^2 (clipped to the image).
 */
export function fillDisc(image: NdArray<Uint8Array>, cx: number, cy: number, radius: number, color: Rgb): void {
  const [h, w] = image.shape as [number, number, number];
  const [s0, s1, s2] = image.stride as [number, number, number];
  const d = image.data;
  const r2 = radius * radius;
  const ya = Math.max(0, Math.ceil(cy - radius));
  const yb = Math.min(h - 1, Math.floor(cy + radius));
  for (let yy = ya; yy <= yb; yy++) {
    const dy = yy - cy;
    const half = Math.sqrt(Math.max(0, r2 - dy * dy));
    const xa = Math.max(0, Math.ceil(cx - half));
    const xb = Math.min(w - 1, Math.floor(cx + half));
    let i = image.offset + yy * s0 + xa * s1;
    for (let xx = xa; xx <= xb; xx++, i += s1) {
      d[i] = color[0];
      d[i + s2] = color[1];
      d[i + 2 * s2] = color[2];
    }
  }
}

/**
 * Draw a straight line from (x0, y0) to (x1, y1) (pixels, endpoints included; Bresenham),
 * `thickness` pixels wide (square pen), clipped to the image.
 */
export function drawLine(
  image: NdArray<Uint8Array>,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  color: Rgb,
  thickness = 1,
): void {
  let x = Math.round(x0);
  let y = Math.round(y0);
  const xe = Math.round(x1);
  const ye = Math.round(y1);
  const dx = Math.abs(xe - x);
  const dy = -Math.abs(ye - y);
  const sx = x < xe ? 1 : -1;
  const sy = y < ye ? 1 : -1;
  const lo = Math.floor((thickness - 1) / 2);
  const hi = thickness - lo;
  let err = dx + dy;
  for (;;) {
    fillRect(image, x - lo, y - lo, x + hi, y + hi, color);
    if (x === xe && y === ye) break;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
}

/** Draw connected line segments through `points` ((x, y) pixels), as a line chart does. */
export function drawPolyline(
  image: NdArray<Uint8Array>,
  points: ReadonlyArray<readonly [number, number]>,
  color: Rgb,
  thickness = 1,
): void {
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as readonly [number, number];
    const b = points[i] as readonly [number, number];
    drawLine(image, a[0], a[1], b[0], b[1], color, thickness);
  }
}

function checkImage(image: NdArray<Uint8Array>, fn: string): void {
  if (image.dimension !== 3 || image.shape[2] !== 3)
    throw new InvalidArgumentError(`${fn}: image must be [H, W, 3] uint8, got shape [${image.shape}]`);
}
