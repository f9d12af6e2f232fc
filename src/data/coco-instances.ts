// Which annotations of a (category, image) group of a CocoIndex become target masks: the one
// copy of the AlignSAM reference's rule, used both when sampling and when deciding up front which
// categories have a usable instance at all.
import { DatasetError } from "../core/errors";
import type { CocoIndex } from "./coco-index";
import { segmentationToRuns } from "./polygon";
import { rleArea, type RleRuns } from "./rle";

/** The instance-selection parameters of a CocoDataset. */
export interface InstanceRule {
  /** Keep at most this many largest instances (crowd ones take a slot, as in the reference). */
  maxInstances: number;
  /** Stop at the first instance smaller than this fraction of the image area. */
  minAreaFraction: number;
}

/** The rule in words, for error messages. */
export function describeInstanceRule(rule: InstanceRule): string {
  return (
    `a usable instance is an annotation with a segmentation, not iscrowd, whose area is at least ` +
    `minAreaFraction = ${rule.minAreaFraction} of its image, ` +
    `among the maxInstances = ${rule.maxInstances} largest of its image`
  );
}

/**
 * The RLE of annotation `a` (index) for an image of [h, w] pixels.
 * @throws DatasetError naming the annotation and the file on a missing or malformed segmentation.
 */
export function annotationRuns(index: CocoIndex, a: number, h: number, w: number): RleRuns {
  const seg = index.segmentation(a);
  if (seg === undefined || seg === null) {
    throw new DatasetError(`Annotation ${index.annIds[a]} in "${index.path}" has no segmentation`);
  }
  try {
    return segmentationToRuns(seg, h, w);
  } catch (e) {
    throw new DatasetError(`Annotation ${index.annIds[a]} in "${index.path}": ${(e as Error).message}`, { cause: e });
  }
}

/** Area of annotation `a` in pixels: its "area" field, else the area of its decoded mask. */
export function annotationArea(index: CocoIndex, a: number, h: number, w: number): number {
  const v = index.annArea[a] as number;
  return Number.isNaN(v) ? rleArea(annotationRuns(index, a, h, w)) : v;
}

/**
 * The annotations of group `g` that become target masks, in order, for an image of [h, w]:
 * the group's annotations sorted by area, largest first (stable: ties keep file order), the
 * first `maxInstances`; crowd ones skipped; STOP at the first smaller than minAreaFraction * h * w.
 * Empty when the group has no usable instance.
 */
export function groupTargets(index: CocoIndex, g: number, h: number, w: number, rule: InstanceRule): number[] {
  const anns = Array.from(index.order.subarray(index.groupStart[g] as number, index.groupStart[g + 1] as number));
  const areas = new Map(anns.map((a) => [a, annotationArea(index, a, h, w)]));
  anns.sort((a, b) => (areas.get(b) as number) - (areas.get(a) as number));
  const minArea = rule.minAreaFraction * h * w;
  const out: number[] = [];
  for (const a of anns.slice(0, rule.maxInstances)) {
    if (index.annCrowd[a]) continue;
    if ((areas.get(a) as number) < minArea) break;
    out.push(a);
  }
  return out;
}

/**
 * Whether category `c` (index) has at least one group with a usable instance, judged with the
 * image sizes of the annotation file; groups of images for which `skipImage` is true are ignored.
 * @throws DatasetError on a malformed segmentation whose area must be decoded (no "area" field).
 */
export function hasUsableInstance(
  index: CocoIndex,
  c: number,
  rule: InstanceRule,
  skipImage?: (image: number) => boolean,
): boolean {
  for (let g = index.catGroupStart[c] as number; g < (index.catGroupStart[c + 1] as number); g++) {
    const img = index.groupImage[g] as number;
    if (skipImage?.(img)) continue;
    const h = index.imageHeights[img] as number;
    const w = index.imageWidths[img] as number;
    if (groupTargets(index, g, h, w, rule).length > 0) return true;
  }
  return false;
}
