import ndarray, { type NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";

/**
 * A COCO run-length encoding: `counts` alternate runs of 0s and 1s (starting with 0s) over the
 * mask read in COLUMN-MAJOR order (down the first column, then the next), as pycocotools does.
 * `counts` is either the compressed string form (pycocotools' LEB128-like codec) or the plain
 * (uncompressed) list of run lengths.
 */
export interface Rle {
  /** [h, w] of the mask, pixels. */
  size: [number, number];
  /** Compressed string, or run lengths (0-run first). */
  counts: string | ArrayLike<number>;
}

/** An RLE with its counts decoded to numbers (runs of 0s first, column-major). */
export interface RleRuns {
  size: [number, number];
  counts: Uint32Array;
}

/**
 * The largest mask the decoders allocate by default, in pixels (100 million: 100 MB of uint8),
 * far above any real annotation; larger claimed sizes are refused before allocating.
 */
export const DEFAULT_MAX_MASK_PIXELS = 100_000_000;

function checkSize(size: unknown, what: string): [number, number] {
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isSafeInteger(v) && (v as number) >= 0)) {
    throw new InvalidArgumentError(`${what}: size must be [h, w] non-negative integers, got ${JSON.stringify(size)}`);
  }
  return [size[0] as number, size[1] as number];
}

/**
 * Decode pycocotools' compressed counts string (6 bits per character, ASCII 48..111, a
 * continuation bit 0x20, sign bit 0x10 on the last character; counts after the third are
 * stored as differences to the count two places earlier).
 * @throws InvalidArgumentError on a character outside the codec's alphabet or a negative count.
 */
export function rleCountsFromString(s: string): Uint32Array {
  const out: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) throw new InvalidArgumentError(`RLE string ends inside a count at character ${p}`);
      const code = s.charCodeAt(p) - 48;
      if (code < 0 || code > 63) {
        throw new InvalidArgumentError(`RLE string has an invalid character ${JSON.stringify(s[p])} at ${p}`);
      }
      x += (code & 0x1f) * 2 ** (5 * k);
      more = (code & 0x20) !== 0;
      p++;
      k++;
      if (!more && (code & 0x10) !== 0) x -= 2 ** (5 * k); // sign-extend
    }
    const m = out.length;
    if (m > 2) x += out[m - 2] as number;
    if (x < 0 || x > 0xffffffff)
      throw new InvalidArgumentError(`RLE string decodes to an invalid count ${x} (run ${m})`);
    out.push(x);
  }
  return Uint32Array.from(out);
}

/** Encode run lengths with pycocotools' compressed string codec (inverse of {@link rleCountsFromString}). */
export function rleCountsToString(counts: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i] as number;
    if (i > 2) x -= counts[i - 2] as number;
    let more = true;
    while (more) {
      // x & 0x1f and x >> 5 on a (possibly negative) integer, without 32-bit overflow
      const q = Math.floor(x / 32);
      let c = x - q * 32;
      x = q;
      more = (c & 0x10) !== 0 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      s += String.fromCharCode(c + 48);
    }
  }
  return s;
}

/**
 * Normalise an {@link Rle} (string or number counts) to numeric runs.
 * @throws InvalidArgumentError on a bad size or counts.
 */
export function rleRuns(rle: Rle): RleRuns {
  const size = checkSize(rle?.size, "rle");
  const c = rle.counts;
  let counts: Uint32Array;
  if (typeof c === "string") counts = rleCountsFromString(c);
  else if (c !== null && typeof c === "object" && typeof (c as ArrayLike<number>).length === "number") {
    counts = new Uint32Array(c.length);
    for (let i = 0; i < c.length; i++) {
      const v = c[i] as number;
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
        throw new InvalidArgumentError(`rle.counts[${i}] = ${v} is not a non-negative integer`);
      }
      counts[i] = v;
    }
  } else {
    throw new InvalidArgumentError(`rle.counts must be a string or an array of numbers, got ${typeof c}`);
  }
  return { size, counts };
}

/**
 * Decode a COCO RLE to a binary mask [h, w] uint8 (1 inside), as pycocotools' `decode`.
 * @param maxPixels refuse masks with more pixels than this (default {@link DEFAULT_MAX_MASK_PIXELS}).
 * @throws InvalidArgumentError when the runs do not cover exactly h * w pixels, or h * w is
 *   above `maxPixels` (checked before allocating).
 * @example
 * ```ts
 * const m = rleDecode({ size: [2, 2], counts: [1, 2, 1] }); // column-major: (1,0) and (0,1) set
 * ```
 */
export function rleDecode(rle: Rle, maxPixels: number = DEFAULT_MAX_MASK_PIXELS): NdArray<Uint8Array> {
  const { size, counts } = rleRuns(rle);
  const [h, w] = size;
  const n = h * w;
  if (n > maxPixels) {
    throw new InvalidArgumentError(`RLE size [${h}, ${w}] has ${n} pixels, above the limit of ${maxPixels} pixels`);
  }
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  if (total !== n) {
    throw new InvalidArgumentError(`RLE runs sum to ${total} pixels but size [${h}, ${w}] has ${n}`);
  }
  const out = new Uint8Array(n);
  // Runs walk column-major positions p = x * h + y; write row-major index y * w + x.
  let p = 0;
  for (let i = 0; i < counts.length; i++) {
    const len = counts[i] as number;
    if (i & 1 && len > 0) {
      let x = Math.floor(p / h);
      let y = p - x * h;
      for (let k = 0; k < len; k++) {
        out[y * w + x] = 1;
        if (++y === h) {
          y = 0;
          x++;
        }
      }
    }
    p += len;
  }
  return ndarray(out, [h, w]);
}

/** Run lengths (0-run first, column-major) of a binary mask [h, w] (any non-zero value is inside). */
export function maskToRuns(mask: NdArray): RleRuns {
  if (mask.shape.length !== 2)
    throw new InvalidArgumentError(`mask must be [h, w], got shape [${mask.shape.join(", ")}]`);
  const [h, w] = mask.shape as [number, number];
  const runs: number[] = [];
  const data = mask.data as ArrayLike<number>;
  const [sy, sx] = mask.stride as [number, number];
  let prev = 0;
  let c = 0;
  for (let x = 0; x < w; x++) {
    let idx = mask.offset + x * sx;
    for (let y = 0; y < h; y++, idx += sy) {
      const v = data[idx] !== 0 ? 1 : 0;
      if (v !== prev) {
        runs.push(c);
        c = 0;
        prev = v;
      }
      c++;
    }
  }
  runs.push(c);
  return { size: [h, w], counts: Uint32Array.from(runs) };
}

/**
 * Encode a binary mask [h, w] (non-zero = inside) as a COCO RLE with a compressed counts string,
 * byte-identical to pycocotools' `encode(...)['counts'].decode()`.
 */
export function rleEncode(mask: NdArray): { size: [number, number]; counts: string } {
  const r = maskToRuns(mask);
  return { size: r.size, counts: rleCountsToString(r.counts) };
}

/** Number of pixels inside an RLE (sum of the 1-runs), as pycocotools' `area`. */
export function rleArea(rle: Rle | RleRuns): number {
  const counts = rle.counts instanceof Uint32Array ? rle.counts : rleRuns(rle as Rle).counts;
  let a = 0;
  for (let i = 1; i < counts.length; i += 2) a += counts[i] as number;
  return a;
}

/**
 * Union (or intersection) of RLEs of the same size, with pycocotools' `merge` semantics: the
 * result's runs are canonical (adjacent equal runs joined).
 * @throws InvalidArgumentError on an empty list or mismatched sizes.
 */
export function rleMerge(rles: ReadonlyArray<RleRuns>, intersect = false): RleRuns {
  if (rles.length === 0) throw new InvalidArgumentError("rleMerge needs at least one RLE");
  const first = rles[0] as RleRuns;
  const [h, w] = first.size;
  let acc = Array.from(first.counts);
  for (let i = 1; i < rles.length; i++) {
    const B = rles[i] as RleRuns;
    if (B.size[0] !== h || B.size[1] !== w) {
      throw new InvalidArgumentError(`rleMerge: size [${B.size.join(", ")}] differs from [${h}, ${w}]`);
    }
    const A = acc;
    const out: number[] = [];
    let ca = A[0] ?? 0;
    let cb = B.counts[0] ?? 0;
    let v = false;
    let va = false;
    let vb = false;
    let a = 1;
    let b = 1;
    let cc = 0;
    let ct = 1;
    while (ct > 0) {
      const c = Math.min(ca, cb);
      cc += c;
      ct = 0;
      ca -= c;
      if (!ca && a < A.length) {
        ca = A[a++] as number;
        va = !va;
      }
      ct += ca;
      cb -= c;
      if (!cb && b < B.counts.length) {
        cb = B.counts[b++] as number;
        vb = !vb;
      }
      ct += cb;
      const vp: boolean = v;
      v = intersect ? va && vb : va || vb;
      if (v !== vp || ct === 0) {
        out.push(cc);
        cc = 0;
      }
    }
    acc = out;
  }
  return { size: [h, w], counts: Uint32Array.from(acc) };
}
