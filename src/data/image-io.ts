import ndarray, { type NdArray } from "ndarray";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { ImageDecodeError, InvalidArgumentError } from "../core/errors";
import { readBoundedFile } from "../core/bounded-file";
import { DEFAULT_MAX_MEGAPIXELS, checkImageSize, readImageHeader } from "./image-header";
import { decodePngRgb8 } from "./png-rgb8";
import type { PngRgb8 } from "./png-rgb8";

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /** File name or id used in error messages. */
  name?: string;
  /**
   * Refuse images above this many megapixels (default {@link DEFAULT_MAX_MEGAPIXELS}, 6),
   * checked on the PNG IHDR / JPEG frame header before anything is decoded or allocated.
   */
  maxMegapixels?: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** "jpeg", "png", or null from the leading bytes. */
export function sniffImageFormat(bytes: Uint8Array): "jpeg" | "png" | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return "png";
  return null;
}

function label(name: string | undefined): string {
  return name ? `"${name}"` : "image";
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Decode a JPEG or PNG file's bytes to RGB [H, W, 3] uint8.
 *
 * - JPEG (jpeg-js): baseline and progressive; grayscale is replicated to 3 channels;
 *   Adobe CMYK and YCCK (4 components with an Adobe APP14 marker) are converted to RGB.
 * - PNG (pngjs): grayscale (+alpha), RGB(A), palette, 1- to 16-bit; alpha is dropped without
 *   compositing (like PIL's convert("RGB")); 16-bit samples are scaled to 8 bits by rounding.
 *   The common 8-bit RGB(A) non-interlaced files take a faster path (Node's zlib, straight to
 *   RGB) with the same pixels.
 *
 * @throws ImageDecodeError naming the file (options.name) and the reason on a corrupt,
 *   truncated or unsupported file.
 * @example
 * ```ts
 * const img = decodeImage(readFileSync("cat.jpg"), { name: "cat.jpg" }); // img.shape = [H, W, 3]
 * ```
 */
export function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): NdArray<Uint8Array> {
  const { name, maxMegapixels = DEFAULT_MAX_MEGAPIXELS } = options;
  if (!(bytes instanceof Uint8Array))
    throw new InvalidArgumentError(`decodeImage: bytes must be a Uint8Array, got ${typeof bytes}`);
  if (!(typeof maxMegapixels === "number" && maxMegapixels > 0)) {
    throw new InvalidArgumentError(
      `decodeImage: maxMegapixels must be a positive number, got ${String(maxMegapixels)}`,
    );
  }
  const format = sniffImageFormat(bytes);
  if (format === null) {
    throw new ImageDecodeError(
      `Cannot decode ${label(name)}: unsupported format (not a JPEG or PNG signature; ${bytes.length} bytes)`,
    );
  }
  checkImageSize(readImageHeader(bytes, format, label(name)), maxMegapixels, label(name));
  let w: number;
  let h: number;
  let rgba: Uint8Array;
  let channels: number;
  let fast: PngRgb8 | null;
  try {
    if (format === "jpeg") {
      const img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: false,
        tolerantDecoding: false,
        maxResolutionInMP: maxMegapixels,
        maxMemoryUsageInMB: Math.ceil(64 + maxMegapixels * 12),
      });
      w = img.width;
      h = img.height;
      rgba = img.data;
      channels = 3;
    } else if ((fast = decodePngRgb8(bytes)) !== null) {
      // 8-bit RGB(A), not interlaced: one pass to RGB with Node's zlib (else pngjs, below).
      w = fast.width;
      h = fast.height;
      rgba = fast.data;
      channels = 3;
    } else {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      w = png.width;
      h = png.height;
      if (w * h > maxMegapixels * 1e6) throw new Error(`${w}x${h} exceeds ${maxMegapixels} megapixels`);
      rgba = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
      channels = 4;
    }
  } catch (e) {
    throw new ImageDecodeError(`Cannot decode ${label(name)} (${format}): ${reason(e)}`, { cause: e });
  }
  if (!(w > 0 && h > 0) || rgba.length < w * h * channels) {
    throw new ImageDecodeError(`Cannot decode ${label(name)} (${format}): truncated or empty image data (${w}x${h})`);
  }
  if (channels === 3) return ndarray(rgba.length === w * h * 3 ? rgba : rgba.slice(0, w * h * 3), [h, w, 3]);
  const out = new Uint8Array(w * h * 3);
  for (let i = 0, j = 0; j < out.length; i += 4, j += 3) {
    out[j] = rgba[i] as number;
    out[j + 1] = rgba[i + 1] as number;
    out[j + 2] = rgba[i + 2] as number;
  }
  return ndarray(out, [h, w, 3]);
}

/** The default limit on an image or mask file's size in bytes (256 MiB). */
export const DEFAULT_MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

/** Options of {@link loadImage}. */
export interface LoadImageOptions {
  /** As {@link DecodeImageOptions.maxMegapixels}. */
  maxMegapixels?: number;
  /** Refuse files larger than this (default {@link DEFAULT_MAX_IMAGE_FILE_BYTES}). */
  maxFileBytes?: number;
}

/**
 * Read and decode an image file (JPEG or PNG) to RGB [H, W, 3] uint8. Only regular files are
 * read (not devices, FIFOs or directories), up to `maxFileBytes`.
 * @throws ImageDecodeError naming the path when the file is missing, unreadable, not a regular
 *   file, too large, or undecodable.
 */
export async function loadImage(path: string, options: LoadImageOptions = {}): Promise<NdArray<Uint8Array>> {
  let bytes: Buffer;
  try {
    bytes = await readBoundedFile(path, { maxBytes: options.maxFileBytes ?? DEFAULT_MAX_IMAGE_FILE_BYTES });
  } catch (e) {
    throw new ImageDecodeError(`Cannot read image "${path}": ${reason(e)}`, { cause: e });
  }
  return decodeImage(bytes, { name: path, maxMegapixels: options.maxMegapixels });
}

/**
 * Encode [H, W, 3] (RGB) or [H, W] (grayscale) uint8 as a PNG file's bytes. Accepts what
 * `env.render()` returns, so `encodePng(await env.render())` needs no cast; a render that is not
 * a frame (null: no render mode or "human"; a string: a text mode) is refused in one sentence.
 * @throws InvalidArgumentError on another shape or dtype, or a render that is not a frame.
 */
export function encodePng(image: NdArray<Uint8Array> | string | null): Uint8Array {
  if (image === null || typeof image === "string") {
    throw new InvalidArgumentError(
      `encodePng: expected an image, got ${image === null ? 'null (was the env made with renderMode "rgb_array"?)' : "a string (a text render mode)"}`,
    );
  }
  const shape = image?.shape;
  if (!Array.isArray(shape) || !(shape.length === 2 || (shape.length === 3 && shape[2] === 3))) {
    throw new InvalidArgumentError(
      `encodePng: image must be [H, W, 3] or [H, W] uint8, got shape ${JSON.stringify(shape)}`,
    );
  }
  if (!(image.data instanceof Uint8Array))
    throw new InvalidArgumentError("encodePng: image must be backed by a Uint8Array");
  const [h, w] = shape as [number, number];
  if (!(h > 0 && w > 0)) throw new InvalidArgumentError(`encodePng: empty image [${shape.join(", ")}]`);
  const gray = shape.length === 2;
  const png = new PNG({
    width: w,
    height: h,
    colorType: gray ? 0 : 2,
    inputColorType: gray ? 0 : 2,
    inputHasAlpha: false,
    bitDepth: 8,
  });
  const buf = Buffer.alloc(w * h * (gray ? 1 : 3));
  let k = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (gray) buf[k++] = image.get(y, x);
      else for (let c = 0; c < 3; c++) buf[k++] = image.get(y, x, c);
    }
  }
  png.data = buf;
  const out = PNG.sync.write(png, {
    colorType: gray ? 0 : 2,
    inputColorType: gray ? 0 : 2,
    inputHasAlpha: false,
    bitDepth: 8,
  });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
