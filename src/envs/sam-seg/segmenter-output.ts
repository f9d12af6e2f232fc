import { SegmenterError } from "../../core/errors";
import type { SegmenterPrediction } from "../../segmenters/promptable-segmenter";
import { show } from "./options";

/**
 * Validate a segmenter's output for an image [h, w] and low-res masks `maskShape`; returns the
 * index of the mask with the best predicted IoU (the first on ties).
 * @throws SegmenterError when the masks, low-res logits and scores do not fit.
 */
export function bestMaskIndex(
  p: SegmenterPrediction,
  [h, w]: readonly [number, number],
  maskShape: readonly [number, number],
  segmenterId: string,
): number {
  const k = p?.scores?.length ?? 0;
  const [lh, lw] = maskShape;
  if (k < 1 || p.masks?.shape.join() !== [k, h, w].join() || p.lowResLogits?.shape.join() !== [k, lh, lw].join()) {
    throw new SegmenterError(
      `segmenter ${JSON.stringify(segmenterId)} must return masks [k, ${h}, ${w}], lowResLogits [k, ${lh}, ${lw}] and k scores; got masks ${show(p?.masks?.shape)}, lowResLogits ${show(p?.lowResLogits?.shape)}, ${k} scores`,
    );
  }
  let best = 0;
  for (let i = 1; i < k; i++) if ((p.scores[i] as number) > (p.scores[best] as number)) best = i;
  return best;
}
