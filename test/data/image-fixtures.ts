// Test-only writers for image files the libraries cannot produce: a minimal baseline JPEG
// encoder for flat 8x8 blocks with any number of components (grayscale, CMYK and YCCK with an
// Adobe APP14 marker), and a palette PNG writer.
import { deflateSync } from "node:zlib";

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0x00); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  finish(): number[] {
    while (this.n !== 0) this.write(1, 1);
    return this.bytes;
  }
}

function segment(marker: number, data: number[]): number[] {
  const len = data.length + 2;
  return [0xff, marker, len >> 8, len & 0xff, ...data];
}

/**
 * A baseline JPEG whose 8x8 blocks are flat: `value(component, blockX, blockY)` in 0..255.
 * Quantisation 1, DC only (DC = 8 * (v - 128)), one Huffman table per class:
 * DC categories 0..11 -> 4-bit codes 0000..1011, AC has only EOB -> code 00.
 */
export function flatBlockJpeg(opts: {
  width: number;
  height: number;
  components: number;
  value: (component: number, bx: number, by: number) => number;
  adobeTransform?: 0 | 1 | 2;
}): Uint8Array {
  const { width, height, components: n } = opts;
  const out: number[] = [0xff, 0xd8];
  if (opts.adobeTransform !== undefined) {
    out.push(...segment(0xee, [0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0, 0, 0, 0, opts.adobeTransform]));
  }
  out.push(...segment(0xdb, [0x00, ...Array(64).fill(1)]));
  const sof = [8, height >> 8, height & 0xff, width >> 8, width & 0xff, n];
  for (let c = 0; c < n; c++) sof.push(c + 1, 0x11, 0);
  out.push(...segment(0xc0, sof));
  const dcCounts = Array(16).fill(0);
  dcCounts[3] = 12;
  out.push(...segment(0xc4, [0x00, ...dcCounts, ...Array.from({ length: 12 }, (_, i) => i)]));
  const acCounts = Array(16).fill(0);
  acCounts[1] = 1;
  out.push(...segment(0xc4, [0x10, ...acCounts, 0x00]));
  const sos = [n];
  for (let c = 0; c < n; c++) sos.push(c + 1, 0x00);
  sos.push(0, 63, 0);
  out.push(...segment(0xda, sos));
  const bw = new BitWriter();
  const pred = Array(n).fill(0);
  const bxs = Math.ceil(width / 8);
  const bys = Math.ceil(height / 8);
  for (let by = 0; by < bys; by++) {
    for (let bx = 0; bx < bxs; bx++) {
      for (let c = 0; c < n; c++) {
        const dc = 8 * (opts.value(c, bx, by) - 128);
        const diff = dc - pred[c];
        pred[c] = dc;
        const mag = Math.abs(diff);
        const cat = mag === 0 ? 0 : Math.floor(Math.log2(mag)) + 1;
        bw.write(cat, 4);
        if (cat > 0) bw.write(diff > 0 ? diff : diff + (1 << cat) - 1, cat);
        bw.write(0, 2); // EOB
      }
    }
  }
  out.push(...bw.finish(), 0xff, 0xd9);
  return Uint8Array.from(out);
}

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
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const body = Buffer.concat([head.subarray(4), Buffer.from(data)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([head.subarray(0, 4), body, crc]);
}

/** An 8-bit palette PNG: `indices` row-major [h * w], `palette` RGB triples. */
export function palettePng(
  w: number,
  h: number,
  indices: number[],
  palette: Array<[number, number, number]>,
): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 3;
  const raw = Buffer.alloc(h * (w + 1));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = indices[y * w + x]!;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("PLTE", Uint8Array.from(palette.flat())),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0)),
  ]);
}
