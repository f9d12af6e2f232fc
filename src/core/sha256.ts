import { nodeBuiltin } from "./node-builtins";

/** FIPS 180-4 round constants: first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Int32Array(64);
/** Initial hash value: first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const H0 = new Int32Array(8);
{
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  const frac32 = (x: number): number => Math.floor((x - Math.floor(x)) * 2 ** 32) | 0;
  for (let i = 0; i < 64; i++) K[i] = frac32(Math.cbrt(primes[i] as number));
  for (let i = 0; i < 8; i++) H0[i] = frac32(Math.sqrt(primes[i] as number));
}

/**
 * An incremental SHA-256 (FIPS 180-4) in plain JavaScript, for platforms without node:crypto
 * (a browser, where WebCrypto's digest is asynchronous). Same digests as node:crypto.
 *
 * @example
 * ```ts
 * new Sha256().update(new TextEncoder().encode("abc")).hex(); // "ba7816bf…15ad"
 * ```
 */
export class Sha256 {
  private readonly h = Int32Array.from(H0);
  private readonly w = new Int32Array(64);
  private readonly block = new Uint8Array(64);
  private filled = 0;
  private total = 0;
  private done = false;

  /** Hash more bytes (a string is hashed as its UTF-8 bytes). */
  update(data: Uint8Array | string): this {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.total += bytes.length;
    let i = 0;
    if (this.filled > 0) {
      const take = Math.min(64 - this.filled, bytes.length);
      this.block.set(bytes.subarray(0, take), this.filled);
      this.filled += take;
      i = take;
      if (this.filled < 64) return this;
      this.compress(this.block, 0);
      this.filled = 0;
    }
    for (; i + 64 <= bytes.length; i += 64) this.compress(bytes, i);
    this.block.set(bytes.subarray(i), 0);
    this.filled = bytes.length - i;
    return this;
  }

  /** The 32-byte digest; the hash cannot be updated afterwards. */
  digest(): Uint8Array {
    if (!this.done) {
      const bitsHigh = Math.floor(this.total / 2 ** 29),
        bitsLow = (this.total << 3) >>> 0;
      const pad = new Uint8Array((this.filled < 56 ? 56 : 120) - this.filled + 8);
      pad[0] = 0x80;
      const view = new DataView(pad.buffer);
      view.setUint32(pad.length - 8, bitsHigh);
      view.setUint32(pad.length - 4, bitsLow);
      const total = this.total;
      this.update(pad);
      this.total = total;
      this.done = true;
    }
    const out = new Uint8Array(32);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) view.setInt32(4 * i, this.h[i] as number);
    return out;
  }

  /** The digest as 64 lowercase hex digits. */
  hex(): string {
    let s = "";
    for (const b of this.digest()) s += b.toString(16).padStart(2, "0");
    return s;
  }

  private compress(bytes: Uint8Array, at: number): void {
    const w = this.w,
      h = this.h;
    for (let t = 0; t < 16; t++) {
      const j = at + 4 * t;
      const b0 = bytes[j] as number,
        b1 = bytes[j + 1] as number;
      const b2 = bytes[j + 2] as number,
        b3 = bytes[j + 3] as number;
      w[t] = (b0 << 24) | (b1 << 16) | (b2 << 8) | b3;
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15] as number,
        y = w[t - 2] as number;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = ((w[t - 16] as number) + s0 + (w[t - 7] as number) + s1) | 0;
    }
    let a = h[0] as number,
      b = h[1] as number,
      c = h[2] as number,
      d = h[3] as number;
    let e = h[4] as number,
      f = h[5] as number,
      g = h[6] as number,
      k = h[7] as number;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (k + S1 + ((e & f) ^ (~e & g)) + (K[t] as number) + (w[t] as number)) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
    h[5] = (h[5]! + f) | 0;
    h[6] = (h[6]! + g) | 0;
    h[7] = (h[7]! + k) | 0;
  }
}

/**
 * Hex SHA-256 of the concatenated parts: node:crypto where available (Node.js), else
 * {@link Sha256} (a browser). Both give the same digest, so content keys agree across platforms.
 *
 * @example
 * ```ts
 * sha256Hex(["abc"]); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 */
export function sha256Hex(parts: ReadonlyArray<Uint8Array | string>): string {
  const crypto = nodeBuiltin("node:crypto");
  if (crypto !== null) {
    const h = crypto.createHash("sha256");
    for (const p of parts) h.update(p);
    return h.digest("hex");
  }
  const h = new Sha256();
  for (const p of parts) h.update(p);
  return h.hex();
}
