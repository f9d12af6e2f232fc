// The builder behind CocoIndex: accumulates the scanned elements of a COCO instances file into
// growable typed arrays, then groups annotations by (category, image).
import { DatasetError } from "../core/errors";
import type { CocoElement } from "./coco-json-scanner";

const PAGE_SIZE = 32 << 20;

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

export interface BuiltIndex {
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
export class IndexBuilder {
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
