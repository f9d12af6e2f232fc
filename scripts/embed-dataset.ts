// A synthetic image folder for the embed tests: n distinct PNG images (a coloured disc on a noisy
// background) in <root>/images, plus, with masks, the disc as masks/NAME.png (maskfolder layout).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ndarray from "ndarray";
import { Rng } from "../src/core/rng";
import { encodePng } from "../src/data";

export function writeEmbedDataset(
  root: string,
  n: number,
  opts: { h?: number; w?: number; masks?: boolean; seed?: number } = {},
): string[] {
  const h = opts.h ?? 40,
    w = opts.w ?? 56;
  const rng = new Rng(opts.seed ?? 1);
  mkdirSync(join(root, "images"), { recursive: true });
  if (opts.masks) mkdirSync(join(root, "masks"), { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `img-${String(i).padStart(5, "0")}`;
    const image = ndarray(new Uint8Array(h * w * 3), [h, w, 3]);
    const mask = ndarray(new Uint8Array(h * w), [h, w]);
    const cx = rng.integers(10, w - 10),
      cy = rng.integers(10, h - 10),
      r = rng.integers(5, 9);
    const colour = [rng.integers(0, 256), rng.integers(0, 256), rng.integers(0, 256)];
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const inside = Math.hypot(x - cx, y - cy) <= r;
        for (let c = 0; c < 3; c++) image.set(y, x, c, inside ? colour[c] : 60 + rng.integers(0, 40));
        mask.set(y, x, inside ? 1 : 0);
      }
    writeFileSync(join(root, "images", `${name}.png`), encodePng(image));
    if (opts.masks) writeFileSync(join(root, "masks", `${name}.png`), encodePng(mask));
    names.push(`${name}.png`);
  }
  return names;
}
