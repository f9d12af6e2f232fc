// A small GIF89a decoder for tests (written from the GIF89a specification): frames as RGB
// arrays through each frame's local (or the global) colour table, with their delays.

/** One decoded frame. */
export interface GifFrame {
  width: number;
  height: number;
  /** RGB bytes, row-major. */
  rgb: Uint8Array;
  /** Frame delay, ms. */
  delayMs: number;
}

/** Decode every frame of a GIF (no interlacing, no transparency: what encodeGif writes). */
export function decodeGif(bytes: Uint8Array): {
  width: number;
  height: number;
  loops: number | null;
  frames: GifFrame[];
} {
  const sig = new TextDecoder().decode(bytes.subarray(0, 6));
  if (sig !== "GIF89a" && sig !== "GIF87a") throw new Error(`not a GIF: ${sig}`);
  const u16 = (at: number): number => bytes[at]! | (bytes[at + 1]! << 8);
  const width = u16(6),
    height = u16(8);
  let at = 13;
  let global: Uint8Array | null = null;
  if (bytes[10]! & 0x80) {
    const n = 3 * (1 << ((bytes[10]! & 7) + 1));
    global = bytes.subarray(at, at + n);
    at += n;
  }
  const frames: GifFrame[] = [];
  let delayMs = 0;
  let loops: number | null = null;
  const subBlocks = (): Uint8Array => {
    const parts: number[] = [];
    for (;;) {
      const n = bytes[at++]!;
      if (n === 0) return Uint8Array.from(parts);
      for (let i = 0; i < n; i++) parts.push(bytes[at + i]!);
      at += n;
    }
  };
  for (;;) {
    const block = bytes[at++];
    if (block === 0x3b || block === undefined) break;
    if (block === 0x21) {
      const label = bytes[at++]!;
      const data = subBlocks();
      if (label === 0xf9) delayMs = (data[1]! | (data[2]! << 8)) * 10;
      if (label === 0xff && new TextDecoder().decode(data.subarray(0, 11)) === "NETSCAPE2.0")
        loops = data[12]! | (data[13]! << 8);
      continue;
    }
    if (block !== 0x2c) throw new Error(`unexpected block 0x${block.toString(16)} at ${at - 1}`);
    const fx = u16(at),
      fy = u16(at + 2),
      fw = u16(at + 4),
      fh = u16(at + 6),
      flags = bytes[at + 8]!;
    at += 9;
    if (flags & 0x40) throw new Error("interlaced frames are not supported");
    let table = global;
    if (flags & 0x80) {
      const n = 3 * (1 << ((flags & 7) + 1));
      table = bytes.subarray(at, at + n);
      at += n;
    }
    const minCodeSize = bytes[at++]!;
    const indices = lzwDecode(subBlocks(), minCodeSize, fw * fh);
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < fh; y++) {
      for (let x = 0; x < fw; x++) {
        const p = indices[y * fw + x]!,
          o = ((fy + y) * width + fx + x) * 3;
        rgb[o] = table![3 * p]!;
        rgb[o + 1] = table![3 * p + 1]!;
        rgb[o + 2] = table![3 * p + 2]!;
      }
    }
    frames.push({ width, height, rgb, delayMs });
  }
  return { width, height, loops, frames };
}

function lzwDecode(data: Uint8Array, minCodeSize: number, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  const clear = 1 << minCodeSize,
    end = clear + 1;
  let codeSize = minCodeSize + 1;
  let dict: number[][] = [];
  const resetDict = (): void => {
    dict = [];
    for (let i = 0; i < clear; i++) dict.push([i]);
    dict.push([], []);
    codeSize = minCodeSize + 1;
  };
  resetDict();
  let bit = 0,
    n = 0;
  let prev: number[] | null = null;
  while (bit + codeSize <= data.length * 8) {
    let code = 0;
    for (let i = 0; i < codeSize; i++, bit++) code |= ((data[bit >> 3]! >> (bit & 7)) & 1) << i;
    if (code === clear) {
      resetDict();
      prev = null;
      continue;
    }
    if (code === end) break;
    let entry: number[];
    if (code < dict.length) entry = dict[code]!;
    else if (code === dict.length && prev) entry = [...prev, prev[0]!];
    else throw new Error(`bad LZW code ${code}`);
    for (const v of entry) if (n < pixels) out[n++] = v;
    if (prev && dict.length < 4096) dict.push([...prev, entry[0]!]);
    prev = entry;
    if (dict.length === 1 << codeSize && codeSize < 12) codeSize++;
  }
  if (n !== pixels) throw new Error(`LZW data gave ${n} pixels, expected ${pixels}`);
  return out;
}
