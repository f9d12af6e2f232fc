import ndarray, { type NdArray } from "ndarray";
import { PNG } from "pngjs";
import { ImageDecodeError } from "../core/errors";
import { readBoundedFile } from "../core/bounded-file";
import { DEFAULT_MAX_MEGAPIXELS, checkImageSize, readImageHeader } from "./image-header";

/** Palette (PLTE chunk) of a PNG as packed 0xRRGGBB values, or null when it has none. */
function readPalette(bytes: Uint8Array): number[] | null {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 8;
  while (p + 8 <= view.length) {
    const len = view.readUInt32BE(p);
    const type = view.toString("latin1", p + 4, p + 8);
    if (type === "PLTE") {
      const out: number[] = [];
      for (let i = 0; i + 2 < len; i += 3)
        out.push((view[p + 8 + i]! << 16) | (view[p + 9 + i]! << 8) | view[p + 10 + i]!);
      return out;
    }
    if (type === "IDAT" || type === "IEND") return null;
    p += 12 + len;
  }
  return null;
}

/**
 * Decode a label PNG (a mask of instance ids or a binary mask) to its raw values [H, W] uint32,
 * without any rescaling: grayscale samples as stored (1- to 16-bit), palette PNGs as palette
 * INDICES (the usual VOC/DAVIS convention), RGB(A) as 0xRRGGBB (alpha ignored).
 * Masks above {@link DEFAULT_MAX_MEGAPIXELS} are refused from their IHDR header, before decoding.
 * @throws ImageDecodeError naming the file on a corrupt, oversized or non-PNG file.
 */
export function decodeLabelPng(bytes: Uint8Array, name = "mask"): NdArray<Uint32Array> {
  let png: ReturnType<typeof PNG.sync.read>;
  checkImageSize(readImageHeader(bytes, "png", `mask "${name}"`), DEFAULT_MAX_MEGAPIXELS, `mask "${name}"`);
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipRescale: true });
  } catch (e) {
    throw new ImageDecodeError(`Cannot decode mask "${name}" (png): ${(e as Error).message}`, { cause: e });
  }
  const { width: w, height: h, data } = png;
  const out = new Uint32Array(w * h);
  const colorType = png.colorType as number;
  if (colorType === 3) {
    const palette = readPalette(bytes) ?? [];
    const index = new Map<number, number>();
    palette.forEach((rgb, i) => {
      if (!index.has(rgb)) index.set(rgb, i);
    });
    for (let i = 0; i < w * h; i++) {
      const rgb = ((data[i * 4] as number) << 16) | ((data[i * 4 + 1] as number) << 8) | (data[i * 4 + 2] as number);
      out[i] = index.get(rgb) ?? 0;
    }
  } else if (colorType === 0 || colorType === 4) {
    for (let i = 0; i < w * h; i++) out[i] = data[i * 4] as number;
  } else {
    const shift = png.depth === 16 ? 8 : 0; // 16-bit colour: keep the high byte of each channel
    for (let i = 0; i < w * h; i++) {
      out[i] =
        (((data[i * 4] as number) >> shift) << 16) |
        (((data[i * 4 + 1] as number) >> shift) << 8) |
        ((data[i * 4 + 2] as number) >> shift);
    }
  }
  return ndarray(out, [h, w]);
}

/**
 * Read and decode a label PNG file ({@link decodeLabelPng}); only regular files up to 256 MiB
 * are read. Errors name the path.
 */
export async function loadLabelPng(path: string): Promise<NdArray<Uint32Array>> {
  let bytes: Buffer;
  try {
    bytes = await readBoundedFile(path, { maxBytes: 256 * 1024 * 1024 });
  } catch (e) {
    throw new ImageDecodeError(`Cannot read mask "${path}": ${(e as Error).message}`, { cause: e });
  }
  return decodeLabelPng(bytes, path);
}
