import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { DatasetError } from "../core/errors";
import { CocoScanner, scanCocoFile, type CocoElement } from "./coco-json-scanner";

/** Growable typed array buffer (doubling), trimmed by {@link GrowArray.done}. */
class GrowArray<T extends Float64Array | Int32Array | Uint32Array | Uint8Array | Uint16Array> {
  n = 0;
  constructor(public data: T) {}
  push(v: number): void {
    if (this.n === this.data.length) {
      const next = new (this.data.constructor as new (n: number) => T)(Math.max(16, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = v;
  }
  done(): T {
    return this.data.slice(0, this.n) as T;
  }
}

const PAGE_SIZE = 32 << 20;

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

interface BuiltIndex {
  imageIds: Float64Array;
  imageWidths: Int32Array;
  imageHeights: Int32Array;
  imageFiles: string[];
  categoryIds: Float64Array;
  categoryNames: string[];
  annIds: Float64Array;
  annImage: Int32Array;
  annCategory: Int32Array;
  annArea: Float64Array;
  annCrowd: Uint8Array;
  skipped: number;
  noSegmentation: number;
  segPage: Uint16Array;
  segOffset: Uint32Array;
  segLength: Uint32Array;
  pages: Buffer[];
  order: Int32Array;
  groupImage: Int32Array;
  groupStart: Int32Array;
  catGroupStart: Int32Array;
}

/** Accumulates scanned elements into growable typed arrays. */
class IndexBuilder {
  private imageIds = new GrowArray(new Float64Array(1024));
  private imageWidths = new GrowArray(new Int32Array(1024));
  private imageHeights = new GrowArray(new Int32Array(1024));
  private imageFiles: string[] = [];
  private categoryIds: number[] = [];
  private categoryNames: string[] = [];
  private annIds = new GrowArray(new Float64Array(4096));
  private annImageId = new GrowArray(new Float64Array(4096));
  private annCategoryId = new GrowArray(new Float64Array(4096));
  private annArea = new GrowArray(new Float64Array(4096));
  private annCrowd = new GrowArray(new Uint8Array(4096));
  private annHasSeg = new GrowArray(new Uint8Array(4096));
  private segPage = new GrowArray(new Uint16Array(4096));
  private segOffset = new GrowArray(new Uint32Array(4096));
  private segLength = new GrowArray(new Uint32Array(4096));
  private pages: Buffer[] = [];
  private pageSize = 0;
  private pageUsed = 0;

  add(e: CocoElement, path: string): void {
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(e.json) as Record<string, unknown>;
    } catch (err) {
      throw new DatasetError(
        `Malformed ${e.section} entry in "${path}": ${(err as Error).message}: ${e.json.slice(0, 120)}`,
        { cause: err },
      );
    }
    if (e.section === "images") this.addImage(obj, path);
    else if (e.section === "categories") this.addCategory(obj, path);
    else this.addAnnotation(obj, e.segmentation, path);
  }

  private num(obj: Record<string, unknown>, key: string, what: string, path: string): number {
    const v = obj[key];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new DatasetError(`${what} in "${path}" has no numeric "${key}": ${JSON.stringify(obj).slice(0, 160)}`);
    }
    return v;
  }

  private addImage(o: Record<string, unknown>, path: string): void {
    this.imageIds.push(this.num(o, "id", "An image", path));
    this.imageWidths.push(this.num(o, "width", "An image", path));
    this.imageHeights.push(this.num(o, "height", "An image", path));
    if (typeof o.file_name !== "string")
      throw new DatasetError(`An image in "${path}" has no "file_name": ${JSON.stringify(o).slice(0, 160)}`);
    this.imageFiles.push(o.file_name);
  }

  private addCategory(o: Record<string, unknown>, path: string): void {
    this.categoryIds.push(this.num(o, "id", "A category", path));
    if (typeof o.name !== "string")
      throw new DatasetError(`A category in "${path}" has no "name": ${JSON.stringify(o)}`);
    this.categoryNames.push(o.name);
  }

  private addAnnotation(o: Record<string, unknown>, seg: Uint8Array, path: string): void {
    this.annIds.push(this.num(o, "id", "An annotation", path));
    this.annImageId.push(this.num(o, "image_id", "An annotation", path));
    this.annCategoryId.push(this.num(o, "category_id", "An annotation", path));
    this.annArea.push(typeof o.area === "number" ? o.area : NaN);
    this.annCrowd.push(o.iscrowd ? 1 : 0);
    this.annHasSeg.push(hasDigit(seg) ? 1 : 0);
    if (seg.length > this.pageSize - this.pageUsed) {
      // Pages grow from 1 MB to 32 MB so small files stay small.
      this.pageSize = Math.max(seg.length, Math.min(PAGE_SIZE, this.pages.length ? this.pageSize * 2 : 1 << 20));
      this.pages.push(Buffer.allocUnsafe(this.pageSize));
      this.pageUsed = 0;
    }
    const page = this.pages[this.pages.length - 1];
    if (seg.length && page) {
      page.set(seg, this.pageUsed);
    }
    this.segPage.push(Math.max(0, this.pages.length - 1));
    this.segOffset.push(this.pageUsed);
    this.segLength.push(seg.length);
    this.pageUsed += seg.length;
  }

  finish(path: string): BuiltIndex {
    const imageIds = this.imageIds.done();
    const nImg = imageIds.length;
    const imgOf = new Map<number, number>();
    imageIds.forEach((id, i) => {
      if (imgOf.has(id)) throw new DatasetError(`Duplicate image id ${id} in "${path}"`);
      imgOf.set(id, i);
    });
    const catOf = new Map<number, number>();
    this.categoryIds.forEach((id, i) => {
      if (catOf.has(id)) throw new DatasetError(`Duplicate category id ${id} in "${path}"`);
      catOf.set(id, i);
    });
    const nCat = this.categoryIds.length;
    const n = this.annIds.n;
    const annImage = new Int32Array(n);
    const annCategory = new Int32Array(n);
    const imgIdArr = this.annImageId.data;
    const catIdArr = this.annCategoryId.data;
    const hasSeg = this.annHasSeg.data;
    const groupCategory = new Int32Array(n); // annCategory, or -1 to leave the annotation out of the groups
    let skipped = 0;
    let noSegmentation = 0;
    for (let a = 0; a < n; a++) {
      annImage[a] = imgOf.get(imgIdArr[a] as number) ?? -1;
      annCategory[a] = catOf.get(catIdArr[a] as number) ?? -1;
      groupCategory[a] = annCategory[a] as number;
      if (annImage[a] === -1 || annCategory[a] === -1) skipped++;
      else if (!hasSeg[a]) {
        noSegmentation++;
        groupCategory[a] = -1;
      }
    }
    // Two stable counting sorts: by image, then by category -> (category, image, file order).
    const byImage = countingSort(rangeOf(n), annImage, nImg);
    const order = countingSort(byImage, groupCategory, nCat);
    const groupImage: number[] = [];
    const groupStart: number[] = [];
    const catGroupStart = new Int32Array(nCat + 1);
    let prevCat = -1;
    let prevImg = -1;
    for (let k = 0; k < order.length; k++) {
      const a = order[k] as number;
      const c = annCategory[a] as number;
      const im = annImage[a] as number;
      if (c !== prevCat || im !== prevImg) {
        for (let cc = prevCat + 1; cc <= c; cc++) catGroupStart[cc] = groupImage.length;
        groupImage.push(im);
        groupStart.push(k);
        prevCat = c;
        prevImg = im;
      }
    }
    for (let cc = prevCat + 1; cc <= nCat; cc++) catGroupStart[cc] = groupImage.length;
    groupStart.push(order.length);
    return {
      imageIds,
      imageWidths: this.imageWidths.done(),
      imageHeights: this.imageHeights.done(),
      imageFiles: this.imageFiles,
      categoryIds: Float64Array.from(this.categoryIds),
      categoryNames: this.categoryNames,
      annIds: this.annIds.done(),
      annImage,
      annCategory,
      annArea: this.annArea.done(),
      annCrowd: this.annCrowd.done(),
      skipped,
      noSegmentation,
      segPage: this.segPage.done(),
      segOffset: this.segOffset.done(),
      segLength: this.segLength.done(),
      pages: this.pages,
      order,
      groupImage: Int32Array.from(groupImage),
      groupStart: Int32Array.from(groupStart),
      catGroupStart,
    };
  }
}

/**
 * Whether raw segmentation bytes hold any number: false for an absent value, `null`, `[]`,
 * `[[]]`, `{}` or `""` (a bbox-only annotation), true for any polygon or RLE.
 */
function hasDigit(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b >= 0x30 && b <= 0x39) return true;
  }
  return false;
}

function rangeOf(n: number): Int32Array {
  const r = new Int32Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  return r;
}

/** Stable counting sort of `items` by key[item] in [0, k); items with key -1 are dropped. */
function countingSort(items: Int32Array, key: Int32Array, k: number): Int32Array {
  const count = new Int32Array(k + 1);
  let kept = 0;
  for (let i = 0; i < items.length; i++) {
    const v = key[items[i] as number] as number;
    if (v >= 0) {
      count[v + 1]++;
      kept++;
    }
  }
  for (let i = 0; i < k; i++) count[i + 1] += count[i] as number;
  const out = new Int32Array(kept);
  for (let i = 0; i < items.length; i++) {
    const it = items[i] as number;
    const v = key[it] as number;
    if (v >= 0) out[count[v]++] = it;
  }
  return out;
}
