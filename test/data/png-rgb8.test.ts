import t from "tap";
import { crc32 } from "node:zlib";
import { PNG } from "pngjs";
import { ImageDecodeError } from "../../src/core/errors";
import { decodeImage } from "../../src/data/image-io";
import { decodePngRgb8 } from "../../src/data/png-rgb8";
import { Rng } from "../../src/core/rng";

/** An image with smooth gradients, edges and noise (every PNG filter wins somewhere), RGBA bytes. */
function pixels(w: number, h: number, seed: number): Buffer {
  const rng = new Rng(seed);
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = 4 * (y * w + x);
      data[o] = (x * 7 + y * 3) & 255;
      data[o + 1] = x > w / 2 ? 250 : rng.integers(0, 256);
      data[o + 2] = (y * 11) & 255;
      data[o + 3] = rng.integers(0, 256);
    }
  return data;
}

function encode(w: number, h: number, colorType: 2 | 6, filterType: number, chunk = 32 * 1024): Buffer {
  const png = new PNG({ width: w, height: h, colorType, inputHasAlpha: true, filterType, deflateChunkSize: chunk });
  pixels(w, h, w + h).copy(png.data);
  return PNG.sync.write(png, { colorType, inputHasAlpha: true, filterType, deflateChunkSize: chunk });
}

/** pngjs's RGBA, alpha dropped: what decodeImage returned for every PNG before the fast path. */
function reference(bytes: Buffer): Uint8Array {
  const png = PNG.sync.read(bytes);
  const out = new Uint8Array(png.width * png.height * 3);
  for (let i = 0, j = 0; j < out.length; i += 4, j += 3) out.set(png.data.subarray(i, i + 3), j);
  return out;
}

/** `bytes` with a chunk inserted before IEND (the last 12 bytes). */
function withChunk(bytes: Buffer, type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([bytes.subarray(0, bytes.length - 12), head, data, crc, bytes.subarray(bytes.length - 12)]);
}

t.test("8-bit RGB and RGBA, every filter type, one or many IDAT chunks: pngjs's pixels", async (t) => {
  for (const colorType of [2, 6] as const)
    for (const filterType of [0, 1, 2, 3, 4, -1])
      for (const [w, h, chunk] of [
        [37, 23, 32 * 1024],
        [64, 40, 500],
        [1, 5, 32 * 1024],
      ]) {
        const bytes = encode(w, h, colorType, filterType, chunk);
        const got = decodePngRgb8(bytes);
        const what = `colour type ${colorType}, filter ${filterType}, ${w}x${h}, IDAT <= ${chunk} B`;
        t.ok(got, `${what}: decoded by the fast path`);
        t.same([got!.width, got!.height], [w, h]);
        t.ok(Buffer.from(got!.data).equals(Buffer.from(reference(bytes))), `${what}: same bytes as pngjs`);
        t.ok(Buffer.from(decodeImage(bytes).data).equals(Buffer.from(reference(bytes))), `${what}: decodeImage`);
      }
});

t.test("an ancillary chunk is skipped; other PNGs are left to the general decoder (null)", async (t) => {
  const rgb = encode(20, 10, 2, -1);
  const text = withChunk(rgb, "tEXt", Buffer.from("Comment\0hello", "latin1"));
  t.ok(Buffer.from(decodePngRgb8(text)!.data).equals(Buffer.from(reference(rgb))), "tEXt skipped");
  t.equal(decodePngRgb8(withChunk(rgb, "tRNS", Buffer.from([0, 1, 0, 2, 0, 3]))), null, "tRNS: general decoder");
  t.equal(decodePngRgb8(withChunk(rgb, "ABCD", Buffer.alloc(4))), null, "an unknown critical chunk");
  const grey = PNG.sync.write(Object.assign(new PNG({ width: 4, height: 4 }), { data: Buffer.alloc(64, 9) }), {
    colorType: 0,
    inputHasAlpha: true,
  });
  t.equal(decodePngRgb8(grey), null, "greyscale");
  t.ok(Buffer.from(decodeImage(grey).data).equals(Buffer.from(reference(grey))), "greyscale still decodes (pngjs)");
  const deep = PNG.sync.write(Object.assign(new PNG({ width: 2, height: 2 }), { data: Buffer.alloc(16, 200) }), {
    colorType: 2,
    inputHasAlpha: true,
    bitDepth: 16,
  });
  t.equal(decodePngRgb8(deep), null, "16-bit");
});

t.test("a corrupt file is not decoded by the fast path; decodeImage still throws ImageDecodeError", async (t) => {
  const bytes = encode(30, 20, 2, -1);
  const flipped = Buffer.from(bytes);
  flipped[60] ^= 0x10; // inside the IDAT data: its CRC no longer matches
  t.equal(decodePngRgb8(flipped), null);
  t.throws(() => decodeImage(flipped, { name: "flipped.png" }), ImageDecodeError);
  const truncated = bytes.subarray(0, bytes.length - 40);
  t.equal(decodePngRgb8(truncated), null);
  t.throws(() => decodeImage(truncated, { name: "short.png" }), ImageDecodeError);
});
