import { nodeBuiltin } from "../core/node-builtins";

const SIGNATURE_BYTES = 8;
const IHDR = 0x49484452,
  IDAT = 0x49444154,
  IEND = 0x49454e44;

/** An RGB image decoded by {@link decodePngRgb8}: row-major [height, width, 3] bytes. */
export interface PngRgb8 {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * The common PNG, decoded in one pass with Node's zlib: 8-bit truecolour (RGB or RGBA, alpha
 * dropped), not interlaced, chunks IHDR, IDAT..., IEND and ancillary chunks (skipped), every CRC
 * checked. The rows are unfiltered in place in the inflated data and copied once to RGB (no RGBA
 * bitmap in between). Returns null for anything else, well-formed or not (other colour types or
 * depths, interlacing, a palette or tRNS chunk, a bad CRC, truncated data, no node:zlib): the caller
 * then decodes with the general decoder, whose errors name the problem. The pixels equal the
 * general decoder's for every file decoded here.
 *
 * @example
 * ```ts
 * const img = decodePngRgb8(bytes) ?? slowDecode(bytes); // img.data.length = 3 * width * height
 * ```
 */
export function decodePngRgb8(bytes: Uint8Array): PngRgb8 | null {
  const zlib = nodeBuiltin("node:zlib");
  if (zlib === null || typeof zlib.crc32 !== "function" || bytes.length < SIGNATURE_BYTES + 25) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0,
    height = 0,
    channels = 0,
    ended = false;
  const idat: Uint8Array[] = [];
  for (let o = SIGNATURE_BYTES; !ended;) {
    if (o + 12 > bytes.length) return null;
    const length = view.getUint32(o),
      type = view.getUint32(o + 4);
    const end = o + 8 + length;
    if (length > 0x7fffffff || end + 4 > bytes.length) return null;
    if (zlib.crc32(bytes.subarray(o + 4, end)) !== view.getUint32(end)) return null;
    const data = bytes.subarray(o + 8, end);
    if (o === SIGNATURE_BYTES) {
      if (type !== IHDR || length !== 13) return null;
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
      const [depth, colourType, compression, filter, interlace] = data.subarray(8, 13);
      channels = colourType === 2 ? 3 : colourType === 6 ? 4 : 0;
      if (depth !== 8 || channels === 0 || compression !== 0 || filter !== 0 || interlace !== 0) return null;
      if (width === 0 || height === 0) return null;
    } else if (type === IDAT) idat.push(data);
    else if (type === IEND) ended = true;
    else if ((bytes[o + 4] & 0x20) === 0 || type === 0x74524e53 /* tRNS */) return null; // critical, or alpha
    o = end + 4;
  }
  const stride = width * channels;
  const expected = height * (stride + 1);
  let raw: Uint8Array;
  try {
    raw = zlib.inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch {
    return null;
  }
  if (raw.length !== expected || !unfilter(raw, height, stride, channels)) return null;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1) + 1;
    if (channels === 3) out.set(raw.subarray(row, row + stride), y * stride);
    else {
      for (let x = 0, i = row, j = y * width * 3; x < width; x++, i += 4, j += 3) {
        out[j] = raw[i];
        out[j + 1] = raw[i + 1];
        out[j + 2] = raw[i + 2];
      }
    }
  }
  return { width, height, data: out };
}

/**
 * Undo the PNG row filters in place (each row: a filter byte, then `stride` bytes); false on an
 * unknown filter. Flat indexing into `raw` (the row above is `line` bytes back; the first row's
 * "above" is zeros, handled by the `first` branches outside the loops).
 */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number): boolean {
  const line = stride + 1;
  for (let y = 0; y < height; y++) {
    const s = y * line + 1,
      e = s + stride,
      first = y === 0;
    const filter = raw[s - 1];
    if (filter === 0 || (filter === 2 && first)) continue;
    if (filter === 1 || (filter === 4 && first)) {
      // Sub; Paeth on the first row predicts from the left too.
      for (let i = s + bpp; i < e; i++) raw[i] += raw[i - bpp];
    } else if (filter === 2) {
      for (let i = s; i < e; i++) raw[i] += raw[i - line];
    } else if (filter === 3) {
      if (first) for (let i = s + bpp; i < e; i++) raw[i] += raw[i - bpp] >> 1;
      else {
        for (let i = s; i < s + bpp; i++) raw[i] += raw[i - line] >> 1;
        for (let i = s + bpp; i < e; i++) raw[i] += (raw[i - bpp] + raw[i - line]) >> 1;
      }
    } else if (filter === 4) {
      for (let i = s; i < s + bpp; i++) raw[i] += raw[i - line]; // left = upper-left = 0: the predictor is up
      for (let i = s + bpp; i < e; i++) {
        const a = raw[i - bpp],
          b = raw[i - line],
          c = raw[i - line - bpp];
        const pa = Math.abs(b - c),
          pb = Math.abs(a - c),
          pc = Math.abs(a + b - 2 * c);
        raw[i] += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
    } else return false;
  }
  return true;
}
