import { readFile } from "node:fs/promises";
import { relative, sep } from "node:path";
import type { NdArray } from "ndarray";
import { decodeImage } from "../../data/image-io";
import { fitImage } from "../../envs/sam-seg/episode-sample";
import { imageContentHash } from "../../segmenters/cache/content-hash";

/** An image ready to embed: the pixels the env will see, their cache key and the file's size. */
export interface KeyedImage {
  /** Path relative to the image folder ("/" separators): the shard-assignment id. */
  id: string;
  /** [H, W, 3] uint8, resized to `resizeTo` when given. */
  image: NdArray<Uint8Array>;
  /** Content hash of `image` (the embedding cache's key). */
  key: string;
  /** Size of the image file, bytes. */
  bytes: number;
}

/** The id of `file` under `root`: its relative path with "/" separators. */
export function imageId(root: string, file: string): string {
  return relative(root, file).split(sep).join("/");
}

/**
 * Read and decode an image file, bring it to `resizeTo` = [H, W] exactly as SamSegEnv does
 * (bilinear unless it already has that size), and key it as the env's embedding cache does.
 */
export async function keyedImage(
  root: string,
  file: string,
  resizeTo: readonly [number, number] | null,
): Promise<KeyedImage> {
  const bytes = await readFile(file);
  const decoded = decodeImage(bytes, { name: file });
  const image = resizeTo ? fitImage(decoded, resizeTo) : decoded;
  return { id: imageId(root, file), image, key: imageContentHash(image), bytes: bytes.length };
}

/** Map `items` through `fn` with at most `limit` calls running at once; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
