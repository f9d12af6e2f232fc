// Crafted hostile inputs shared by the regression tests and the fuzz suite: PNG and JPEG
// headers claiming huge images, real decompression bombs, and checkpoint bit flips.
import { deflateSync } from "node:zlib";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG whose IHDR says w x h (colour type 2 = RGB, 8-bit) followed by `idat` (raw zlib data). */
export function pngWithHeader(
  w: number,
  h: number,
  idat: Uint8Array = deflateSync(Buffer.alloc(64)),
  colorType = 2,
  depth = 8,
): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = depth;
  ihdr[9] = colorType;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/**
 * A real decompression bomb: a valid w x h RGB PNG of zeros (every row filter 0), whose pixel
 * data inflates to h * (3w + 1) bytes from a file of about a thousandth of that.
 */
export function zeroPng(w: number, h: number): Buffer {
  return pngWithHeader(w, h, deflateSync(Buffer.alloc(h * (3 * w + 1)), { level: 9 }));
}

/** A tiny JPEG: SOI, a baseline frame header claiming w x h with `components`, then EOI. */
export function jpegWithHeader(w: number, h: number, components = 3): Buffer {
  const sof = [0xff, 0xc0, 0, 8 + 3 * components, 8, h >> 8, h & 255, w >> 8, w & 255, components];
  for (let c = 0; c < components; c++) sof.push(c + 1, 0x11, 0);
  return Buffer.from([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0,
    16,
    0x4a,
    0x46,
    0x49,
    0x46,
    0,
    1,
    1,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
    ...sof,
    0xff,
    0xd9,
  ]);
}

/** Flip bit `bit` of byte `index` in a copy of `bytes`. */
export function flipBit(bytes: Uint8Array, index: number, bit: number): Buffer {
  const out = Buffer.from(bytes);
  out[index] = (out[index] as number) ^ (1 << bit);
  return out;
}
