import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { DatasetError } from "../core/errors";
import { CocoScanner, scanCocoFile } from "./coco-json-scanner";
import { IndexBuilder } from "./coco-index-builder";

/**
 * A compact, read-only, in-memory index of a COCO instances file: images, categories and
 * annotations in typed arrays, annotations grouped by (category, image) for sampling, and each
 * annotation's segmentation kept as its raw JSON bytes (decoded only when a mask is needed).
 * Built by streaming the file, so train2017's ~450 MB annotation file loads without a 450 MB
 * string or millions of JS objects. One index can be shared by any number of datasets and envs
 * in a process; {@link CocoIndex.load} caches it by path.
 *
 * Annotations whose image_id or category_id is unknown are skipped (counted in `skipped`), and so
 * are annotations without a segmentation (bounding-box-only ones, `"segmentation": []`, as CVAT
 * writes rectangles; counted in `noSegmentation`): they stay in the per-annotation arrays but
 * are in no (category, image) group, so sampling never sees them.
 *
 * @example
 * ```ts
 * const index = await CocoIndex.load("coco/annotations/instances_val2017.json");
 * const a = new CocoDataset({ dataDir: "coco", split: "val2017", index });
 * const b = new CocoDataset({ dataDir: "coco", split: "val2017", index }); // same memory
 * ```
 */
export class CocoIndex {
  /** The file it was built from (absolute), or "<memory>". */
  readonly path: string;
  /** Image ids, widths and heights (pixels) and file names, by image index. */
  readonly imageIds: Float64Array;
  readonly imageWidths: Int32Array;
  readonly imageHeights: Int32Array;
  readonly imageFiles: string[];
  /** Category ids and names, by category index (file order). */
  readonly categoryIds: Float64Array;
  readonly categoryNames: string[];
  /** Per annotation (file order): id, image index, category index, area (NaN if absent), iscrowd. */
  readonly annIds: Float64Array;
  readonly annImage: Int32Array;
  readonly annCategory: Int32Array;
  readonly annArea: Float64Array;
  readonly annCrowd: Uint8Array;
  /** Annotations that referenced an unknown image or category and were left out. */
  readonly skipped: number;
  /** Annotations with no segmentation (absent, null, `[]`, `[[]]`: bbox-only) left out of the groups. */
  readonly noSegmentation: number;
  /** Annotation indices sorted by (category, image, file order). */
  readonly order: Int32Array;
  /** (category, image) groups: image index of group g and its slice [groupStart[g], groupStart[g+1]) of `order`. */
  readonly groupImage: Int32Array;
  readonly groupStart: Int32Array;
  /** Groups of category c: [catGroupStart[c], catGroupStart[c + 1]). */
  readonly catGroupStart: Int32Array;
  private readonly segPage: Uint16Array;
  private readonly segOffset: Uint32Array;
  private readonly segLength: Uint32Array;
  private readonly pages: Buffer[];

  private static cache = new Map<string, Promise<CocoIndex>>();

  private constructor(path: string, b: IndexBuilder) {
    this.path = path;
    const built = b.finish(path);
    this.imageIds = built.imageIds;
    this.imageWidths = built.imageWidths;
    this.imageHeights = built.imageHeights;
    this.imageFiles = built.imageFiles;
    this.categoryIds = built.categoryIds;
    this.categoryNames = built.categoryNames;
    this.annIds = built.annIds;
    this.annImage = built.annImage;
    this.annCategory = built.annCategory;
    this.annArea = built.annArea;
    this.annCrowd = built.annCrowd;
    this.skipped = built.skipped;
    this.noSegmentation = built.noSegmentation;
    this.segPage = built.segPage;
    this.segOffset = built.segOffset;
    this.segLength = built.segLength;
    this.pages = built.pages;
    this.order = built.order;
    this.groupImage = built.groupImage;
    this.groupStart = built.groupStart;
    this.catGroupStart = built.catGroupStart;
  }

  /**
   * Load (stream-parse) a COCO instances file, or return the index already loaded from the
   * same path (same size and modification time) in this process.
   * @throws DatasetError naming the file when it is missing, malformed or truncated.
   */
  static load(path: string): Promise<CocoIndex> {
    const abs = resolve(path);
    const key = stat(abs).then(
      (s) => `${abs}|${s.size}|${s.mtimeMs}`,
      (e: unknown) => {
        throw new DatasetError(`COCO annotation file "${abs}" not found or unreadable: ${(e as Error).message}`, {
          cause: e,
        });
      },
    );
    return key.then((k) => {
      let p = CocoIndex.cache.get(k);
      if (!p) {
        p = CocoIndex.fromFile(abs);
        CocoIndex.cache.set(k, p);
        p.catch(() => CocoIndex.cache.delete(k));
      }
      return p;
    });
  }

  /** Build an index from a file without the process-wide cache. */
  static async fromFile(path: string): Promise<CocoIndex> {
    const b = new IndexBuilder();
    await scanCocoFile(path, (e) => b.add(e, path));
    return new CocoIndex(path, b);
  }

  /** Build an index from a JSON text or an already parsed object (small files, tests). */
  static fromJson(json: string | object, name = "<memory>"): CocoIndex {
    const text = typeof json === "string" ? json : JSON.stringify(json);
    const b = new IndexBuilder();
    const s = new CocoScanner(name, (e) => b.add(e, name));
    s.push(Buffer.from(text, "utf8"));
    s.end();
    return new CocoIndex(name, b);
  }

  /** Forget every cached index (they stay valid for whoever holds them). */
  static clearCache(): void {
    CocoIndex.cache.clear();
  }

  /** Number of images, annotations and categories. */
  get numImages(): number {
    return this.imageIds.length;
  }
  get numAnnotations(): number {
    return this.annIds.length;
  }
  get numCategories(): number {
    return this.categoryIds.length;
  }

  /** Counts for logs and the `check` command (annotations: all records; grouped: those sampling can draw). */
  get stats(): CocoIndexStats {
    return {
      images: this.numImages,
      categories: this.numCategories,
      annotations: this.numAnnotations,
      grouped: this.order.length,
      unknownReference: this.skipped,
      noSegmentation: this.noSegmentation,
      crowd: this.annCrowd.reduce((a, c) => a + c, 0),
    };
  }

  /** Category index of a name or id, or -1. Names are matched exactly. */
  categoryIndex(nameOrId: string | number): number {
    if (typeof nameOrId === "number") return this.categoryIds.indexOf(nameOrId);
    return this.categoryNames.indexOf(nameOrId);
  }

  /** The parsed "segmentation" value of annotation `ann` (index), or undefined when absent. */
  segmentation(ann: number): unknown {
    const len = this.segLength[ann] as number;
    if (!len) return undefined;
    const page = this.pages[this.segPage[ann] as number] as Buffer;
    const off = this.segOffset[ann] as number;
    return JSON.parse(page.toString("utf8", off, off + len));
  }
}

/** What {@link CocoIndex.stats} reports (counts of records). */
export interface CocoIndexStats {
  images: number;
  categories: number;
  /** Annotation records in the file. */
  annotations: number;
  /** Annotations in a (category, image) group, i.e. with a known image and category and a segmentation. */
  grouped: number;
  /** Annotations skipped for an unknown image_id or category_id. */
  unknownReference: number;
  /** Annotations skipped for having no segmentation (bbox-only). */
  noSegmentation: number;
  /** Annotations marked iscrowd (kept in groups, never used as a target). */
  crowd: number;
}
