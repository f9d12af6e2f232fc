import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";
import { clipPolygonToBox } from "./polygon-clip";
import { DEFAULT_MAX_MASK_PIXELS, rleDecode, rleMerge, rleRuns, type Rle, type RleRuns } from "./rle";

/** A polygon as COCO stores it: flat [x0, y0, x1, y1, ...] in pixel coordinates. */
export type Polygon = ArrayLike<number>;

/** A COCO segmentation: polygons, an uncompressed RLE (number counts) or a compressed RLE. */
export type CocoSegmentation = Polygon[] | Rle;

const UPSAMPLE = 5;

/**
 * Rasterise one polygon exactly as pycocotools' `rleFrPoly`: vertices are scaled by 5 and
 * rounded, the closed boundary is traced densely on that grid, the crossings of pixel-centre
 * columns are kept and turned into column-major runs. (`(int)` casts of C truncate toward zero,
 * which matters for negative coordinates, so Math.trunc is used.)
 *
 * A polygon reaching more than one pixel beyond the image is first clipped to
 * [-1, w + 1] x [-1, h + 1], so that huge coordinates cost no more than the image (pycocotools
 * would trace every point of the far-away edges); pixels then match pycocotools' up to rounding
 * where an edge crosses the clip box. Polygons within that box are rasterised unchanged.
 * @param xy flat [x0, y0, x1, y1, ...] of finite numbers, an even count.
 * @throws InvalidArgumentError on an odd count or a non-finite coordinate (naming the vertex).
 */
export function polygonToRuns(xy: Polygon, h: number, w: number): RleRuns {
  if (xy.length % 2 !== 0) throw new InvalidArgumentError(`polygon has an odd number of coordinates (${xy.length})`);
  let outside = false;
  const margin = Math.max(h, w);
  for (let j = 0; j < xy.length; j += 2) {
    const px = xy[j] as unknown;
    const py = xy[j + 1] as unknown;
    if (typeof px !== "number" || typeof py !== "number" || !Number.isFinite(px) || !Number.isFinite(py)) {
      throw new InvalidArgumentError(
        `polygon vertex ${j / 2} is not a pair of finite numbers: (${String(px)}, ${String(py)})`,
      );
    }
    if (px < -margin || px > w + margin || py < -margin || py > h + margin) outside = true;
  }
  // Only polygons reaching far outside the image are clipped (bounding the rasterizer's work and
  // memory); every other polygon, also one partly outside, is rasterised as pycocotools does.
  if (outside) xy = clipPolygonToBox(xy, -margin, -margin, w + margin, h + margin);
  const k = Math.floor(xy.length / 2);
  if (k < 3) return { size: [h, w], counts: Uint32Array.of(h * w) };
  const x = new Int32Array(k + 1);
  const y = new Int32Array(k + 1);
  for (let j = 0; j < k; j++) {
    const px = xy[2 * j] as number;
    const py = xy[2 * j + 1] as number;
    x[j] = Math.trunc(UPSAMPLE * px + 0.5);
    y[j] = Math.trunc(UPSAMPLE * py + 0.5);
  }
  x[k] = x[0] as number;
  y[k] = y[0] as number;
  let m = 0;
  for (let j = 0; j < k; j++) {
    m +=
      Math.max(Math.abs((x[j] as number) - (x[j + 1] as number)), Math.abs((y[j] as number) - (y[j + 1] as number))) +
      1;
  }
  const u = new Int32Array(m);
  const v = new Int32Array(m);
  m = 0;
  for (let j = 0; j < k; j++) {
    let xs = x[j] as number;
    let xe = x[j + 1] as number;
    let ys = y[j] as number;
    let ye = y[j + 1] as number;
    const dx = Math.abs(xe - xs);
    const dy = Math.abs(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      let t = xs;
      xs = xe;
      xe = t;
      t = ys;
      ys = ye;
      ye = t;
    }
    const s = dx >= dy ? (ye - ys) / dx : (xe - xs) / dy;
    if (dx >= dy) {
      for (let d = 0; d <= dx; d++) {
        const t = flip ? dx - d : d;
        u[m] = t + xs;
        v[m] = Math.trunc(ys + s * t + 0.5);
        m++;
      }
    } else {
      for (let d = 0; d <= dy; d++) {
        const t = flip ? dy - d : d;
        v[m] = t + ys;
        u[m] = Math.trunc(xs + s * t + 0.5);
        m++;
      }
    }
  }
  // Points where the boundary crosses a pixel-centre column, downsampled to the pixel grid.
  const a: number[] = [];
  for (let j = 1; j < m; j++) {
    const uj = u[j] as number;
    const uj1 = u[j - 1] as number;
    if (uj === uj1) continue;
    let xd = uj < uj1 ? uj : uj - 1;
    xd = (xd + 0.5) / UPSAMPLE - 0.5;
    if (Math.floor(xd) !== xd || xd < 0 || xd > w - 1) continue;
    const vj = v[j] as number;
    const vj1 = v[j - 1] as number;
    let yd = vj < vj1 ? vj : vj1;
    yd = (yd + 0.5) / UPSAMPLE - 0.5;
    if (yd < 0) yd = 0;
    else if (yd > h) yd = h;
    yd = Math.ceil(yd);
    a.push(xd * h + yd);
  }
  a.push(h * w);
  a.sort((p, q) => p - q);
  let prev = 0;
  for (let j = 0; j < a.length; j++) {
    const t = a[j] as number;
    a[j] = t - prev;
    prev = t;
  }
  const b: number[] = [a[0] as number];
  let j = 1;
  while (j < a.length) {
    if ((a[j] as number) > 0) b.push(a[j++] as number);
    else {
      j++;
      if (j < a.length) b[b.length - 1] = (b[b.length - 1] as number) + (a[j++] as number);
    }
  }
  return { size: [h, w], counts: Uint32Array.from(b) };
}

/** A box [x, y, width, height] as runs, pycocotools' `frBbox` (the box's polygon, rasterised). */
export function bboxToRuns(bbox: ArrayLike<number>, h: number, w: number): RleRuns {
  const xs = bbox[0] as number;
  const ys = bbox[1] as number;
  const xe = xs + (bbox[2] as number);
  const ye = ys + (bbox[3] as number);
  return polygonToRuns([xs, ys, xs, ye, xe, ye, xe, ys], h, w);
}

function checkDims(h: number, w: number): void {
  if (!Number.isSafeInteger(h) || !Number.isSafeInteger(w) || h <= 0 || w <= 0) {
    throw new InvalidArgumentError(`mask size must be positive integers, got h=${h}, w=${w}`);
  }
  if (h * w > DEFAULT_MAX_MASK_PIXELS) {
    throw new InvalidArgumentError(`mask size ${h}x${w} is above the limit of ${DEFAULT_MAX_MASK_PIXELS} pixels`);
  }
}

/**
 * The union of several polygons as one RLE (pycocotools' `frPyObjects` + `merge`).
 * pycocotools' quirk is kept: when the FIRST entry has exactly 4 numbers, every entry is read
 * as a box [x, y, width, height]; when the first has 3 or more vertices, every later part is
 * rasterised as a polygon whatever its length (a 4-number part is a line: zero area, no error).
 * @throws InvalidArgumentError on an empty list, a first polygon with fewer than 3 vertices, an
 *   odd count or a non-finite coordinate (naming the polygon), or a bad or oversized mask size.
 */
export function polygonsToRuns(polygons: ReadonlyArray<Polygon>, h: number, w: number): RleRuns {
  checkDims(h, w);
  if (!Array.isArray(polygons) || polygons.length === 0) {
    throw new InvalidArgumentError("polygons must be a non-empty list of [x0, y0, x1, y1, ...]");
  }
  const asBoxes = (polygons[0] as Polygon).length === 4;
  const runs = polygons.map((p, i) => {
    if (p === null || typeof p !== "object" || typeof p.length !== "number") {
      throw new InvalidArgumentError(`polygon ${i} is not an array of numbers`);
    }
    // pycocotools checks only the first part; later short parts (e.g. 4 numbers) are rasterised: zero area.
    if (!asBoxes && i === 0 && p.length < 6)
      throw new InvalidArgumentError(`polygon ${i} has ${p.length} numbers; at least 6 (3 vertices) are needed`);
    if (asBoxes && p.length !== 4) throw new InvalidArgumentError(`polygon ${i} has ${p.length} numbers; boxes have 4`);
    try {
      return asBoxes ? bboxToRuns(p, h, w) : polygonToRuns(p, h, w);
    } catch (e) {
      if (e instanceof InvalidArgumentError) throw new InvalidArgumentError(`polygon ${i}: ${e.message}`);
      throw e;
    }
  });
  return rleMerge(runs);
}

/**
 * Rasterise polygons (union) into a binary mask [h, w] uint8 with pycocotools' exact pixels.
 * @example
 * ```ts
 * const m = polygonsToMask([[1, 1, 4, 1, 4, 3, 1, 3]], 5, 6); // a 3x2 box: rows 1..2, cols 1..3
 * ```
 */
export function polygonsToMask(polygons: ReadonlyArray<Polygon>, h: number, w: number): NdArray<Uint8Array> {
  const r = polygonsToRuns(polygons, h, w);
  return rleDecode(r);
}

/**
 * The RLE of a COCO annotation's segmentation for an image of size [h, w], as pycocotools'
 * `COCO.annToRLE`: polygons are rasterised and merged; an uncompressed RLE uses its own size;
 * a compressed RLE is used as is.
 * @throws InvalidArgumentError on an unsupported or malformed segmentation.
 */
export function segmentationToRuns(segm: unknown, h: number, w: number): RleRuns {
  if (Array.isArray(segm)) return polygonsToRuns(segm as Polygon[], h, w);
  if (segm !== null && typeof segm === "object" && "counts" in segm && "size" in segm) {
    return rleRuns(segm as Rle);
  }
  throw new InvalidArgumentError(
    `unsupported segmentation: expected polygons or an RLE {size, counts}, got ${JSON.stringify(segm)?.slice(0, 80)}`,
  );
}

/** Decode a COCO segmentation (polygons or RLE) to a binary mask [h, w] uint8. */
export function segmentationToMask(segm: unknown, h: number, w: number): NdArray<Uint8Array> {
  return rleDecode(segmentationToRuns(segm, h, w));
}
