import type { NdArray } from "ndarray";
import ndarray from "ndarray";
import { InvalidArgumentError } from "../core/errors";

/**
 * A least-recently-used cache of decoded images (dense [h, w, 3] uint8), bounded in bytes of
 * pixel data, keyed by a number (e.g. an image's position in a COCO index). It keeps its own
 * copy of what it is given and hands out fresh copies, so no caller can change a cached image.
 * A budget of 0 keeps nothing.
 *
 * @example
 * ```ts
 * const cache = new DecodedImageCache(128 * 2 ** 20); // 128 MiB: 238 images of 375x500
 * cache.set(7, image);
 * cache.get(7); // a copy of image, or null once evicted
 * ```
 */
export class DecodedImageCache {
  private readonly entries = new Map<number, NdArray<Uint8Array>>();
  private used = 0;

  /** @param maxBytes pixel bytes kept at most (finite, >= 0). @throws InvalidArgumentError otherwise. */
  constructor(readonly maxBytes: number) {
    if (!(maxBytes >= 0 && Number.isFinite(maxBytes))) {
      throw new InvalidArgumentError(
        `the decoded image cache size must be a finite number of bytes >= 0, got ${maxBytes}`,
      );
    }
  }

  /** Bytes of pixel data held now. */
  get bytes(): number {
    return this.used;
  }

  /** Images held now. */
  get size(): number {
    return this.entries.size;
  }

  /** A copy of the image stored under `key` (now the most recently used), or null. */
  get(key: number): NdArray<Uint8Array> | null {
    const hit = this.entries.get(key);
    if (hit === undefined) return null;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return ndarray(hit.data.slice(), [...hit.shape]);
  }

  /**
   * Keep a copy of `image` (dense row-major [h, w, 3] uint8 from offset 0) under `key`, evicting
   * the least recently used images beyond the budget; an image larger than the budget is not kept.
   */
  set(key: number, image: NdArray<Uint8Array>): void {
    const bytes = image.size;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.used -= old.size;
    }
    if (bytes > this.maxBytes) return;
    for (const [k, v] of this.entries) {
      if (this.used + bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.used -= v.size;
    }
    this.entries.set(key, ndarray(image.data.slice(image.offset, image.offset + bytes), [...image.shape]));
    this.used += bytes;
  }
}
