// Animated GIF encoding of RGB frames (episode videos), with gifenc as the LZW/quantizer.
import type { NdArray } from "ndarray";
import { GIFEncoder, applyPalette, quantize } from "gifenc";
import { InvalidArgumentError } from "../core/errors";

/** Options of {@link encodeGif}. */
export interface GifOptions {
  /** Frames per second (default 4); GIF delays are stored in 1/100 s, so fps above 50 are capped at 50. */
  fps?: number;
  /** How many times the animation repeats: 0 = forever (default), -1 = play once. */
  repeat?: number;
}

/**
 * Encode RGB frames ([H, W, 3] uint8, all of one size) as an animated GIF. Each frame gets its
 * own palette of up to 256 colours (quantized in RGB565), so flat renders such as SamSegEnv's
 * panels and text stay exact.
 * @throws InvalidArgumentError when there are no frames, a frame is not [H, W, 3] or sizes differ.
 *
 * @example
 * ```ts
 * const frames = [await env.render(), ...];   // rgb_array renders
 * writeFileSync("episode.gif", encodeGif(frames, { fps: 2 }));
 * ```
 */
export function encodeGif(frames: readonly NdArray<Uint8Array>[], options: GifOptions = {}): Uint8Array {
  if (frames.length === 0) throw new InvalidArgumentError("encodeGif needs at least one frame");
  const fps = options.fps ?? 4;
  if (!(fps > 0) || !Number.isFinite(fps))
    throw new InvalidArgumentError(`GIF fps must be a positive number, got ${fps}`);
  const [h, w] = frames[0]!.shape as [number, number, number];
  const gif = GIFEncoder();
  const rgba = new Uint8Array(h * w * 4);
  frames.forEach((frame, n) => {
    const [fh, fw, c] = frame.shape as [number, number, number];
    if (frame.shape.length !== 3 || c !== 3)
      throw new InvalidArgumentError(`GIF frame ${n} must be [H, W, 3], got [${frame.shape.join(", ")}]`);
    if (fh !== h || fw !== w) throw new InvalidArgumentError(`GIF frame ${n} is ${fh}x${fw}, frame 0 is ${h}x${w}`);
    for (let y = 0, i = 0; y < h; y++) {
      for (let x = 0; x < w; x++, i += 4) {
        rgba[i] = frame.get(y, x, 0);
        rgba[i + 1] = frame.get(y, x, 1);
        rgba[i + 2] = frame.get(y, x, 2);
        rgba[i + 3] = 255;
      }
    }
    const palette = quantize(rgba, 256, { format: "rgb565" });
    const index = applyPalette(rgba, palette, "rgb565");
    gif.writeFrame(index, w, h, { palette, delay: Math.max(20, Math.round(1000 / fps)), repeat: options.repeat ?? 0 });
  });
  gif.finish();
  return gif.bytes();
}
