import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { checkEmbeddingFile } from "../../segmenters/cache/embedding-file";
import { imageId, keyedImage, mapLimit } from "./image-key";
import { manifestDir, readManifests, sameKeys } from "./manifest";
import type { ManifestEntry, ManifestFailure } from "./manifest";

/** Options of {@link verifyCoverage}. */
export interface VerifyCoverageOptions {
  /** The dataset's image files to check. */
  files: readonly string[];
  /** The image folder (ids are relative to it). */
  imageRoot: string;
  /** Dataset name, as given to `embed` (selects its manifests). */
  dataset: string;
  /** Folder of the segmenter's entries (`<cache>/<segmenter>-<tag>/`). */
  entryDir: string;
  segmenterId: string;
  /** The env's [H, W] the entries were made for, or null (images as they are). */
  resizeTo: readonly [number, number] | null;
  /** Check every present entry's SHA-256 (reads every byte) instead of its length. */
  checksums: boolean;
  /** Count foreign entries and temp files (default true; false when checking one shard of the images). */
  listFolder?: boolean;
  /** Files checked at once (default 32). */
  concurrency?: number;
}

/** What {@link verifyCoverage} found. */
export interface CoverageReport {
  /** Images checked. */
  images: number;
  /** Images with a sound entry. */
  present: number;
  /** Image ids without an entry. */
  missing: string[];
  /** Image ids whose entry is truncated, foreign or (with checksums) fails its SHA-256. */
  corrupt: string[];
  /** Images that could not be read or decoded (so their key is unknown). */
  unreadable: ManifestFailure[];
  /** Entries in the folder that belong to none of these images (another dataset, a stale resize...); null: not counted. */
  foreign: number | null;
  /** Leftover temporary files of interrupted writes (harmless; safe to delete when no job runs); null: not counted. */
  tempFiles: number | null;
  /** Images not found in any manifest, decoded and hashed to find their key. */
  hashed: number;
  /** Manifests used (same segmenter, dataset and resize). */
  manifests: number;
  /** True when every image has a sound entry. */
  complete: boolean;
  seconds: number;
}

/**
 * Check that a cache folder covers a dataset: each image's key comes from the shard manifests
 * (when the image file's size still matches) or, failing that, from decoding and hashing it; each
 * key's entry is then checked (its length, or the full checksum). Never modifies anything.
 */
export async function verifyCoverage(o: VerifyCoverageOptions): Promise<CoverageReport> {
  const t0 = performance.now();
  const manifests = (await readManifests(manifestDir(o.entryDir))).filter((m) =>
    sameKeys(m, {
      segmenterId: o.segmenterId,
      dataset: o.dataset,
      resizeTo: o.resizeTo ? [o.resizeTo[0], o.resizeTo[1]] : null,
    }),
  );
  const known = new Map<string, ManifestEntry[]>();
  for (const m of manifests) {
    for (const e of [...m.done, ...m.skipped]) {
      const list = known.get(e.image);
      if (list) list.push(e);
      else known.set(e.image, [e]);
    }
  }
  let hashed = 0;
  const keys = new Set<string>();
  const report: CoverageReport = {
    images: o.files.length,
    present: 0,
    missing: [],
    corrupt: [],
    unreadable: [],
    foreign: 0,
    tempFiles: 0,
    hashed: 0,
    manifests: manifests.length,
    complete: false,
    seconds: 0,
  };
  const results = await mapLimit(o.files, o.concurrency ?? 32, async (file) => {
    const id = imageId(o.imageRoot, file);
    let key: string | null = null;
    let entryBytes: number | undefined;
    const candidates = known.get(id);
    if (candidates) {
      const size = await stat(file).then(
        (s) => s.size,
        () => -1,
      );
      const hit = candidates.find((e) => e.bytes === size);
      key = hit?.key ?? null;
      entryBytes = hit?.entryBytes;
    }
    if (key === null) {
      hashed++;
      try {
        key = (await keyedImage(o.imageRoot, file, o.resizeTo)).key;
      } catch (err) {
        return { id, status: "unreadable" as const, reason: err instanceof Error ? err.message : String(err) };
      }
    }
    keys.add(key);
    const status = await checkEmbeddingFile(join(o.entryDir, `${key}.emb`), o.checksums, entryBytes);
    return { id, status, reason: "" };
  });
  for (const r of results) {
    if (r.status === "ok") report.present++;
    else if (r.status === "missing") report.missing.push(r.id);
    else if (r.status === "corrupt") report.corrupt.push(r.id);
    else report.unreadable.push({ image: r.id, reason: r.reason });
  }
  if (o.listFolder === false) {
    report.foreign = report.tempFiles = null;
  } else {
    let names: string[] = [];
    try {
      names = await readdir(o.entryDir);
    } catch {
      // no folder: every image is missing, nothing is foreign
    }
    let foreign = 0,
      temp = 0;
    for (const n of names) {
      if (n.endsWith(".emb") && !keys.has(n.slice(0, -4))) foreign++;
      else if (n.endsWith(".tmp")) temp++;
    }
    report.foreign = foreign;
    report.tempFiles = temp;
  }
  report.hashed = hashed;
  report.complete = report.present === report.images;
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}
