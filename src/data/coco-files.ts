// Image files of a COCO export: where a file_name points, which files are missing, and what to
// tell a user who passed the wrong folder.
import { existsSync } from "node:fs";
import { access, constants } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { CocoIndex } from "./coco-index";

/** An image record of the annotation file whose file cannot be read. */
export interface MissingImage {
  /** Image index in the CocoIndex. */
  image: number;
  /** The record's image id and file_name. */
  id: number;
  fileName: string;
  /** The path tried (imagesDir joined with file_name). */
  path: string;
  /** Why: the system error message. */
  reason: string;
}

/**
 * Check that the image file of every listed image (default: all) exists and is readable,
 * without decoding it. Runs a few checks at a time.
 * @returns the missing or unreadable ones, in image order.
 */
export async function findMissingImages(
  index: CocoIndex,
  imagesDir: string,
  images?: Iterable<number>,
): Promise<MissingImage[]> {
  const list = images ? [...images] : Array.from({ length: index.numImages }, (_, i) => i);
  const out: Array<MissingImage | null> = new Array(list.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const k = next++;
      const img = list[k] as number;
      const fileName = index.imageFiles[img] as string;
      const path = join(imagesDir, fileName);
      try {
        await access(path, constants.R_OK);
      } catch (e) {
        out[k] = { image: img, id: index.imageIds[img] as number, fileName, path, reason: (e as Error).message };
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return out.filter((m): m is MissingImage => m !== null);
}

/**
 * The folders a user may have meant when `file_name` is not found under `imagesDir`: labelme2coco
 * writes `JPEGImages/x.jpg` relative to the folder of annotations.json; CVAT writes names
 * relative to `images/` next to `annotations/`. Returns a sentence for an error message saying
 * what was tried and, when another folder holds the file, which folder to pass.
 */
export function imageFolderHint(imagesDir: string, fileName: string, annotationFile: string): string {
  const annDir = dirname(resolve(annotationFile));
  const candidates = [annDir, dirname(annDir), join(dirname(annDir), "images"), dirname(resolve(imagesDir))];
  const tried = [join(imagesDir, fileName)];
  for (const dir of candidates) {
    const p = join(dir, fileName);
    if (!tried.includes(p)) tried.push(p);
    if (resolve(dir) !== resolve(imagesDir) && existsSync(p)) {
      return (
        `file_name "${fileName}" is read relative to the images folder "${imagesDir}"; it exists under "${dir}": ` +
        `pass that folder as the images folder (--images / imagesDir)`
      );
    }
  }
  const flat = join(imagesDir, basename(fileName));
  if (flat !== tried[0] && existsSync(flat)) {
    return (
      `file_name "${fileName}" is read relative to the images folder "${imagesDir}"; "${flat}" exists: ` +
      `pass the folder that "${fileName}" is relative to (the export root)`
    );
  }
  const list = tried.map((p) => `"${p}"`).join(", ");
  return `file_name "${fileName}" is read relative to the images folder "${imagesDir}"; tried ${list}`;
}
