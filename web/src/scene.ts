// Scenes of the demo: a synthetic scene generated in the page from a seed (with ground truth),
// or an uploaded image (without).
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { Rng, SYNTHETIC_SHAPES, distanceTransform, renderSyntheticScene } from "../../src/browser";

/** One visible object of a synthetic scene. */
export interface SceneObject {
  /** Shape category ("disc", "box", ...). */
  category: string;
  /** Visible pixels [H, W] 0/1. */
  mask: NdArray<Uint8Array>;
  /** Visible pixel count. */
  area: number;
  /** The visible pixel farthest from the object's border (a good "centre" to click), image pixels. */
  centre: { x: number; y: number };
}

/** An image to prompt, with its objects when it is synthetic. */
export interface Scene {
  /** RGB [H, W, 3]. */
  image: NdArray<Uint8Array>;
  /** Where it came from ("seed 3", a file name). */
  label: string;
  /** The objects (ground truth); empty for an uploaded image. */
  objects: SceneObject[];
}

/** The demo's scene size, the reference env's image size [H, W]. */
export const SCENE_SIZE: readonly [number, number] = [375, 500];

/** The synthetic scene of `seed` (the generator of SamSegEnv-v0's dataset, without JPEG). */
export function syntheticScene(seed: number): Scene {
  const [h, w] = SCENE_SIZE;
  const { rgb, owner, instances } = renderSyntheticScene(new Rng(seed), h, w, SYNTHETIC_SHAPES);
  const objects: SceneObject[] = [];
  instances.forEach((inst, k) => {
    if (inst.crowd) return;
    const mask = new Uint8Array(h * w);
    let area = 0;
    for (let p = 0; p < mask.length; p++) if (owner[p] === k) ((mask[p] = 1), area++);
    // As the dataset: objects under 20% visible (or under 20 pixels) are not annotated.
    if (area < 20 || area < 0.2 * inst.fullArea) return;
    const m = ndarray(mask, [h, w]);
    const dt = distanceTransform(m).data;
    let best = 0;
    for (let p = 1; p < dt.length; p++) if ((dt[p] as number) > (dt[best] as number)) best = p;
    objects.push({
      category: SYNTHETIC_SHAPES[inst.category] as string,
      mask: m,
      area,
      centre: { x: best % w, y: Math.floor(best / w) },
    });
  });
  return { image: ndarray(rgb, [h, w, 3]), label: `seed ${seed}`, objects };
}

/** Longest side of an uploaded image after downscaling (keeps clicks fast). */
export const UPLOAD_MAX_SIDE = 640;

/** An uploaded image file as a scene (no ground truth), downscaled to {@link UPLOAD_MAX_SIDE}. */
export async function uploadedScene(file: Blob, name: string): Promise<Scene> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, UPLOAD_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale)),
    h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext("2d");
  if (ctx === null) throw new Error("no 2D canvas");
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const rgb = new Uint8Array(w * h * 3);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
    rgb[q] = rgba[p] as number;
    rgb[q + 1] = rgba[p + 1] as number;
    rgb[q + 2] = rgba[p + 2] as number;
  }
  return { image: ndarray(rgb, [h, w, 3]), label: name, objects: [] };
}

/** The object under pixel (x, y), if any. */
export function objectAt(scene: Scene, x: number, y: number): SceneObject | null {
  const w = scene.image.shape[1] as number;
  return scene.objects.find((o) => o.mask.data[y * w + x] === 1) ?? null;
}
