import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";

// Baseline JPEG encoder (JFIF, YCbCr 4:2:0 or 4:4:4, IJG-scaled Annex K quantisation tables, Huffman
// tables optimised per image as in Annex K.2). Written because jpeg-js's encoder takes ~230 ms
// for a 375x500 image, too slow to generate datasets; decoding still goes through jpeg-js.

const LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51,
  87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101,
  72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_Q = [
  17,
  18,
  24,
  47,
  99,
  99,
  99,
  99,
  18,
  21,
  26,
  66,
  99,
  99,
  99,
  99,
  24,
  26,
  56,
  99,
  99,
  99,
  99,
  99,
  47,
  66,
  99,
  99,
  99,
  99,
  99,
  99,
  ...Array<number>(32).fill(99),
];

/** ZIGZAG[k] = natural (row-major) index of the k-th coefficient in zigzag order. */
const ZIGZAG = (() => {
  const z: number[] = [];
  for (let s = 0; s < 15; s++) {
    if (s % 2 === 0) for (let r = Math.min(s, 7); r >= 0 && s - r <= 7; r--) z.push(r * 8 + (s - r));
    else for (let c = Math.min(s, 7); c >= 0 && s - c <= 7; c--) z.push((s - c) * 8 + c);
  }
  return Int32Array.from(z);
})();

/** AAN scale factors: the fast DCT below yields F(v, u) * 8 * AAN[v] * AAN[u]. */
const AAN = Float64Array.from({ length: 8 }, (_, k) => (k === 0 ? 1 : Math.cos((k * Math.PI) / 16) * Math.SQRT2));

/** In-place 8-point forward DCT (Arai-Agui-Nakajima, as libjpeg's float DCT) on d[o], d[o+st], ... */
function fdct8(d: Float64Array, o: number, st: number): void {
  const d0 = d[o] as number,
    d1 = d[o + st] as number,
    d2 = d[o + 2 * st] as number,
    d3 = d[o + 3 * st] as number;
  const d4 = d[o + 4 * st] as number,
    d5 = d[o + 5 * st] as number,
    d6 = d[o + 6 * st] as number,
    d7 = d[o + 7 * st] as number;
  const t0 = d0 + d7,
    t7 = d0 - d7,
    t1 = d1 + d6,
    t6 = d1 - d6,
    t2 = d2 + d5,
    t5 = d2 - d5,
    t3 = d3 + d4,
    t4 = d3 - d4;
  let t10 = t0 + t3;
  const t13 = t0 - t3;
  let t11 = t1 + t2;
  let t12 = t1 - t2;
  d[o] = t10 + t11;
  d[o + 4 * st] = t10 - t11;
  const z1 = (t12 + t13) * 0.7071067811865476;
  d[o + 2 * st] = t13 + z1;
  d[o + 6 * st] = t13 - z1;
  t10 = t4 + t5;
  t11 = t5 + t6;
  t12 = t6 + t7;
  const z5 = (t10 - t12) * 0.38268343236508984;
  const z2 = 0.5411961001461969 * t10 + z5;
  const z4 = 1.3065629648763766 * t12 + z5;
  const z3 = t11 * 0.7071067811865476;
  const z11 = t7 + z3,
    z13 = t7 - z3;
  d[o + 5 * st] = z13 + z2;
  d[o + 3 * st] = z13 - z2;
  d[o + st] = z11 + z4;
  d[o + 7 * st] = z11 - z4;
}

function scaledTable(base: number[], quality: number): Int32Array {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - 2 * quality;
  return Int32Array.from(base, (q) => Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))));
}

/** Huffman code lengths limited to 16 bits (JPEG Annex K.2), returned as DHT bits/values and code tables. */
function buildHuffman(freq: Int32Array): { bits: number[]; values: number[]; code: Int32Array; size: Int32Array } {
  const f = Array.from(freq, (v) => v);
  f[256] = 1; // reserved so that no code is all ones
  const others = new Int32Array(257).fill(-1);
  const codesize = new Int32Array(257);
  for (;;) {
    let c1 = -1,
      c2 = -1,
      v1 = Infinity,
      v2 = Infinity;
    for (let i = 0; i <= 256; i++) {
      const v = f[i] as number;
      if (v <= 0) continue;
      if (v <= v1) {
        v2 = v1;
        c2 = c1;
        v1 = v;
        c1 = i;
      } else if (v <= v2) {
        v2 = v;
        c2 = i;
      }
    }
    if (c2 < 0) break;
    f[c1] = (f[c1] as number) + (f[c2] as number);
    f[c2] = 0;
    codesize[c1]++;
    while ((others[c1] as number) >= 0) {
      c1 = others[c1] as number;
      codesize[c1]++;
    }
    others[c1] = c2;
    codesize[c2]++;
    while ((others[c2] as number) >= 0) {
      c2 = others[c2] as number;
      codesize[c2]++;
    }
  }
  const bits = new Array<number>(33).fill(0);
  for (let i = 0; i <= 256; i++) if (codesize[i]) bits[codesize[i] as number]++;
  for (let i = 32; i > 16; i--) {
    while ((bits[i] as number) > 0) {
      let j = i - 2;
      while (bits[j] === 0) j--;
      bits[i] -= 2;
      bits[i - 1]++;
      bits[j + 1] += 2;
      bits[j]--;
    }
  }
  let top = 16;
  while (bits[top] === 0) top--;
  bits[top]--; // drop the reserved symbol
  const values: number[] = [];
  for (let len = 1; len <= 32; len++) for (let s = 0; s < 256; s++) if (codesize[s] === len) values.push(s);
  const code = new Int32Array(256);
  const size = new Int32Array(256);
  let c = 0,
    k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let n = 0; n < (bits[len] as number); n++) {
      code[values[k] as number] = c++;
      size[values[k] as number] = len;
      k++;
    }
    c <<= 1;
  }
  return { bits: bits.slice(1, 17), values: values.slice(0, k), code, size };
}

class ByteSink {
  buf = new Uint8Array(1 << 16);
  n = 0;
  private acc = 0;
  private nbits = 0;
  byte(b: number): void {
    if (this.n === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = b;
  }
  bytes(bs: ArrayLike<number>): void {
    for (let i = 0; i < bs.length; i++) this.byte(bs[i] as number);
  }
  bits(value: number, count: number): void {
    this.acc = (this.acc << count) | (value & ((1 << count) - 1));
    this.nbits += count;
    while (this.nbits >= 8) {
      const b = (this.acc >>> (this.nbits - 8)) & 255;
      this.byte(b);
      if (b === 0xff) this.byte(0);
      this.nbits -= 8;
    }
    this.acc &= (1 << this.nbits) - 1;
  }
  flushBits(): void {
    if (this.nbits > 0) this.bits(0x7f, 8 - this.nbits);
  }
  segment(marker: number, data: ArrayLike<number>): void {
    this.bytes([0xff, marker, (data.length + 2) >> 8, (data.length + 2) & 255]);
    this.bytes(data);
  }
}

function category(v: number): number {
  let a = v < 0 ? -v : v,
    n = 0;
  while (a) {
    n++;
    a >>= 1;
  }
  return n;
}

/**
 * Encode RGB [H, W, 3] uint8 as a baseline JPEG (quality 1..100, IJG scaling), deterministic.
 * Chroma is subsampled 4:2:0 (2x2 averages, as most cameras and COCO's JPEGs) unless "4:4:4".
 * @throws InvalidArgumentError on a bad shape or quality.
 * @example
 * ```ts
 * writeFileSync("out.jpg", encodeJpeg(image, 90));
 * ```
 */
export function encodeJpeg(
  image: NdArray<Uint8Array>,
  quality = 90,
  subsampling: "4:2:0" | "4:4:4" = "4:2:0",
): Uint8Array {
  const [h, w, c] = image.shape as [number, number, number];
  if (image.shape.length !== 3 || c !== 3 || !(h > 0 && w > 0) || h > 65535 || w > 65535) {
    throw new InvalidArgumentError(`encodeJpeg: image must be [H, W, 3] uint8, got shape [${image.shape.join(", ")}]`);
  }
  if (!Number.isInteger(quality) || quality < 1 || quality > 100)
    throw new InvalidArgumentError(`encodeJpeg: quality must be in 1..100, got ${quality}`);
  const qt = [scaledTable(LUMA_Q, quality), scaledTable(CHROMA_Q, quality)];
  // MCU layout: 4:4:4 -> blocks [Y, Cb, Cr] per 8x8; 4:2:0 -> [Y00, Y01, Y10, Y11, Cb, Cr] per 16x16.
  const sub = subsampling === "4:2:0";
  const m = sub ? 16 : 8;
  const comps = sub ? [0, 0, 0, 0, 1, 2] : [0, 1, 2];
  const nb = comps.length;
  const mw = Math.ceil(w / m),
    mh = Math.ceil(h / m);
  const coef = new Int16Array(mw * mh * nb * 64);
  const data = image.data;
  const [s0, s1, s2] = image.stride as [number, number, number];
  const off = image.offset;
  const divisors = qt.map((q) =>
    Float64Array.from(q, (qv, nat) => 1 / (qv * 8 * (AAN[nat >> 3] as number) * (AAN[nat & 7] as number))),
  );
  const ycc = new Float64Array(3 * m * m); // Y, Cb, Cr planes of one MCU
  const blk = new Float64Array(64);
  // Pass 1: colour conversion (+ 2x2 chroma averaging), DCT, quantisation (zigzag order).
  for (let my = 0; my < mh; my++) {
    for (let mx = 0; mx < mw; mx++) {
      for (let y = 0; y < m; y++) {
        const sy = Math.min(my * m + y, h - 1);
        for (let x = 0; x < m; x++) {
          const sx = Math.min(mx * m + x, w - 1);
          const p = off + sy * s0 + sx * s1;
          const r = data[p] as number,
            g = data[p + s2] as number,
            b = data[p + 2 * s2] as number;
          const k = y * m + x;
          ycc[k] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
          ycc[m * m + k] = -0.168736 * r - 0.331264 * g + 0.5 * b;
          ycc[2 * m * m + k] = 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
      }
      for (let bi = 0; bi < nb; bi++) {
        const comp = comps[bi] as number;
        if (comp === 0) {
          const oy = sub ? (bi >> 1) * 8 : 0,
            ox = sub ? (bi & 1) * 8 : 0;
          for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) blk[y * 8 + x] = ycc[(oy + y) * m + ox + x] as number;
        } else if (sub) {
          const o = comp * m * m;
          for (let y = 0; y < 8; y++) {
            for (let x = 0; x < 8; x++) {
              const k = o + 2 * y * m + 2 * x;
              blk[y * 8 + x] =
                ((ycc[k] as number) + (ycc[k + 1] as number) + (ycc[k + m] as number) + (ycc[k + m + 1] as number)) / 4;
            }
          }
        } else {
          for (let k = 0; k < 64; k++) blk[k] = ycc[comp * 64 + k] as number;
        }
        for (let r = 0; r < 8; r++) fdct8(blk, r * 8, 1);
        for (let c = 0; c < 8; c++) fdct8(blk, c, 8);
        const div = divisors[comp === 0 ? 0 : 1] as Float64Array;
        const base = ((my * mw + mx) * nb + bi) * 64;
        for (let zz = 0; zz < 64; zz++) {
          const nat = ZIGZAG[zz] as number;
          coef[base + zz] = Math.round((blk[nat] as number) * (div[nat] as number));
        }
      }
    }
  }
  // Symbol statistics for optimal Huffman tables (luma: tables 0, chroma: tables 1).
  const freq = [new Int32Array(256), new Int32Array(256), new Int32Array(256), new Int32Array(256)]; // dc0 ac0 dc1 ac1
  const walk = (emit: (table: number, sym: number, extra: number, extraBits: number) => void): void => {
    const pred = [0, 0, 0];
    for (let b = 0; b < mw * mh * nb; b++) {
      const comp = comps[b % nb] as number;
      const base = b * 64;
      const t = comp === 0 ? 0 : 2;
      const dc = coef[base] as number;
      const diff = dc - (pred[comp] as number);
      pred[comp] = dc;
      const cat = category(diff);
      emit(t, cat, diff < 0 ? diff + (1 << cat) - 1 : diff, cat);
      let run = 0;
      for (let k = 1; k < 64; k++) {
        const v = coef[base + k] as number;
        if (v === 0) {
          run++;
          continue;
        }
        while (run > 15) {
          emit(t + 1, 0xf0, 0, 0);
          run -= 16;
        }
        const s = category(v);
        emit(t + 1, (run << 4) | s, v < 0 ? v + (1 << s) - 1 : v, s);
        run = 0;
      }
      if (run > 0) emit(t + 1, 0x00, 0, 0);
    }
  };
  walk((t, sym) => (freq[t] as Int32Array)[sym]++);
  const tables = freq.map(buildHuffman);
  const out = new ByteSink();
  out.bytes([0xff, 0xd8]);
  out.segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  for (let i = 0; i < 2; i++)
    out.segment(0xdb, [i, ...Array.from(ZIGZAG, (nat) => (qt[i] as Int32Array)[nat] as number)]);
  out.segment(0xc0, [8, h >> 8, h & 255, w >> 8, w & 255, 3, 1, sub ? 0x22 : 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const classId = [0x00, 0x10, 0x01, 0x11];
  tables.forEach((tb, i) => out.segment(0xc4, [classId[i] as number, ...tb.bits, ...tb.values]));
  out.segment(0xda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
  walk((t, sym, extra, extraBits) => {
    const tb = tables[t] as ReturnType<typeof buildHuffman>;
    out.bits(tb.code[sym] as number, tb.size[sym] as number);
    if (extraBits) out.bits(extra, extraBits);
  });
  out.flushBits();
  out.bytes([0xff, 0xd9]);
  return out.buf.slice(0, out.n);
}
