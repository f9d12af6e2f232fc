import { ImageDecodeError } from "../core/errors";

/** Image size and layout read from a file's header, before any pixel is decoded. */
export interface ImageHeader {
  format: "png" | "jpeg";
  /** Pixels. */
  width: number;
  height: number;
  /** Colour components per pixel as stored (JPEG: 1, 3 or 4; PNG: 1 to 4 after palette expansion). */
  components: number;
  /** Bits per sample as stored (PNG 1 to 16; JPEG 8 or 12). */
  bitDepth: number;
}

/**
 * The default limit on decoded image size, in megapixels (width * height / 1e6): 6 MP (e.g.
 * 3000x2000) covers COCO, SA-1B and most benchmark images. It keeps the costliest decoder path
 * under 300 MB (jpeg-js needs ~38 bytes per pixel at peak for a CMYK JPEG, ~29 for RGB; PNG
 * ~10). Larger images need an explicit `maxMegapixels` (decodeImage, loadImage, the datasets).
 */
export const DEFAULT_MAX_MEGAPIXELS = 6;

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 };

/**
 * Read width, height and components from a PNG IHDR chunk or a JPEG SOF segment, without
 * decoding: the cheap check that lets callers refuse a decompression bomb (a small file claiming
 * a huge image) before allocating anything.
 * @throws ImageDecodeError naming `name` when the header is missing, truncated or malformed.
 */
export function readImageHeader(bytes: Uint8Array, format: "png" | "jpeg", name: string): ImageHeader {
  return format === "png" ? pngHeader(bytes, name) : jpegHeader(bytes, name);
}

function u32(b: Uint8Array, o: number): number {
  return (
    (((b[o] as number) << 24) >>> 0) + ((b[o + 1] as number) << 16) + ((b[o + 2] as number) << 8) + (b[o + 3] as number)
  );
}

function u16(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

function pngHeader(b: Uint8Array, name: string): ImageHeader {
  // signature (8), chunk length (4) = 13, "IHDR", width, height, depth, colour type, ...
  if (b.length < 8 + 8 + 13 || u32(b, 8) !== 13 || String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!) !== "IHDR") {
    throw new ImageDecodeError(`Cannot decode ${name} (png): missing or truncated IHDR header`);
  }
  const width = u32(b, 16);
  const height = u32(b, 20);
  const bitDepth = b[24] as number;
  const components = PNG_CHANNELS[b[25] as number];
  if (components === undefined || ![1, 2, 4, 8, 16].includes(bitDepth)) {
    throw new ImageDecodeError(`Cannot decode ${name} (png): unsupported colour type ${b[25]} / bit depth ${bitDepth}`);
  }
  if (width === 0 || height === 0)
    throw new ImageDecodeError(`Cannot decode ${name} (png): empty image (${width}x${height})`);
  return { format: "png", width, height, components, bitDepth };
}

function jpegHeader(b: Uint8Array, name: string): ImageHeader {
  let p = 2; // after SOI
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) throw new ImageDecodeError(`Cannot decode ${name} (jpeg): bad marker at byte ${p}`);
    const marker = b[p + 1] as number;
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2; // standalone markers
      continue;
    }
    const len = u16(b, p + 2);
    if (len < 2) throw new ImageDecodeError(`Cannot decode ${name} (jpeg): bad segment length ${len} at byte ${p}`);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (p + 10 > b.length || len < 8)
        throw new ImageDecodeError(`Cannot decode ${name} (jpeg): truncated frame header`);
      const bitDepth = b[p + 4] as number;
      const height = u16(b, p + 5);
      const width = u16(b, p + 7);
      const components = b[p + 9] as number;
      if (width === 0 || height === 0 || components === 0 || components > 4) {
        throw new ImageDecodeError(
          `Cannot decode ${name} (jpeg): unsupported frame ${width}x${height} with ${components} components`,
        );
      }
      return { format: "jpeg", width, height, components, bitDepth };
    }
    if (marker === 0xda || marker === 0xd9) break; // scan or end before any frame header
    p += 2 + len;
  }
  throw new ImageDecodeError(`Cannot decode ${name} (jpeg): no frame header (SOF) before the image data`);
}

/**
 * Refuse an image whose header claims more than `maxMegapixels`.
 * @throws ImageDecodeError naming the file, its claimed size and the limit.
 */
export function checkImageSize(header: ImageHeader, maxMegapixels: number, name: string): void {
  const pixels = header.width * header.height;
  if (pixels > maxMegapixels * 1e6) {
    throw new ImageDecodeError(
      `Cannot decode ${name} (${header.format}): its header says ${header.width}x${header.height} ` +
        `(${(pixels / 1e6).toFixed(1)} megapixels), above the limit of ${maxMegapixels} (option maxMegapixels)`,
    );
  }
}
