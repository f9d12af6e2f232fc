import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";
import type { MaskLike, SimulatedClick } from "../metrics";
import { iou, meanIouAt, meanNocAt, nextClick, nofAt } from "../metrics";
import type { PromptableSegmenter } from "./promptable-segmenter";
import { denseFloat32 } from "./prompt-checks";

/** One evaluation sample: an image and the one object to segment. */
export interface EvaluationSample {
  /** RGB image [H, W, 3] uint8. */
  image: NdArray<Uint8Array>;
  /** Ground truth [H, W], non-zero = object. */
  gt: MaskLike;
  /** Optional [H, W] mask of pixels excluded from clicks and IoU (GrabCut's 128 band). */
  ignore?: MaskLike;
  /** A name for reports (file name, annotation id). */
  name?: string;
}

/** Options of {@link evaluateSegmenter}. */
export interface EvaluateSegmenterOptions {
  /** Clicks per sample (default 20). */
  maxClicks?: number;
  /** IoU thresholds of NoC/NoF (default [0.85, 0.9]). */
  thresholds?: number[];
  /** k of mIoU@k (default [1, 3, 5]). */
  miouAt?: number[];
  /** Ask for three masks and keep the one with the highest predicted IoU (default true). */
  multimask?: boolean;
  /** Feed the previous chosen low-res logits back as maskInput (default true). */
  feedMaskInput?: boolean;
  /** Called after each sample (progress bars, logs). */
  onSample?: (index: number, result: SampleEvaluation) => void;
}

/** The click-by-click record of one sample. */
export interface SampleEvaluation {
  name: string;
  /** IoU after click 1, 2, ..., maxClicks (the last value repeats if the simulator runs out of errors). */
  ious: number[];
  /** The simulated clicks, in order. */
  clicks: SimulatedClick[];
  /** Milliseconds spent in embed and in all predict calls. */
  embedMs: number;
  predictMs: number;
}

/** Aggregate results of {@link evaluateSegmenter}; keys of the records are thresholds / k as strings. */
export interface SegmenterEvaluation {
  samples: SampleEvaluation[];
  maxClicks: number;
  /** Mean NoC@t per threshold, e.g. nocAt["0.9"]. */
  nocAt: Record<string, number>;
  /** NoF@t per threshold: samples that never reach t. */
  nofAt: Record<string, number>;
  /** mIoU after k clicks, e.g. miouAt["1"]. */
  miouAt: Record<string, number>;
}

/**
 * Run the standard interactive-segmentation protocol (RITM / SAM evaluations) over samples:
 * per sample, embed once, then up to `maxClicks` times: the click simulator ({@link nextClick})
 * places the next click on the current prediction's largest error, the segmenter predicts from
 * all clicks (multimask: the mask with the highest predicted IoU; the chosen low-res logits are
 * fed back as maskInput), the prediction is the logits > 0, and its IoU (ignore band excluded)
 * is recorded.
 *
 * @example
 * ```ts
 * const report = await evaluateSegmenter(new GeodesicSegmenter(), samples, { maxClicks: 20 });
 * report.nocAt["0.9"]; // mean number of clicks to IoU 90%
 * ```
 */
export async function evaluateSegmenter(
  segmenter: PromptableSegmenter,
  samples: Iterable<EvaluationSample> | AsyncIterable<EvaluationSample>,
  options: EvaluateSegmenterOptions = {},
): Promise<SegmenterEvaluation> {
  const maxClicks = options.maxClicks ?? 20;
  if (!Number.isInteger(maxClicks) || maxClicks < 1) {
    throw new InvalidArgumentError(`maxClicks must be a positive integer, got ${maxClicks}`);
  }
  const thresholds = options.thresholds ?? [0.85, 0.9];
  const ks = options.miouAt ?? [1, 3, 5];
  const results: SampleEvaluation[] = [];
  for await (const sample of samples) {
    const r = await evaluateSample(segmenter, sample, maxClicks, options, results.length);
    results.push(r);
    options.onSample?.(results.length - 1, r);
  }
  if (results.length === 0) throw new InvalidArgumentError("evaluateSegmenter got no samples");
  const curves = results.map((r) => r.ious);
  const key = (v: number): string => String(v);
  return {
    samples: results,
    maxClicks,
    nocAt: Object.fromEntries(thresholds.map((t) => [key(t), meanNocAt(curves, t, maxClicks)])),
    nofAt: Object.fromEntries(thresholds.map((t) => [key(t), nofAt(curves, t, maxClicks)])),
    miouAt: Object.fromEntries(ks.map((k) => [key(k), meanIouAt(curves, k)])),
  };
}

async function evaluateSample(
  segmenter: PromptableSegmenter,
  sample: EvaluationSample,
  maxClicks: number,
  options: EvaluateSegmenterOptions,
  index: number,
): Promise<SampleEvaluation> {
  const [h, w] = sample.image.shape;
  const t0 = performance.now();
  const embedding = await segmenter.embed(sample.image);
  const embedMs = performance.now() - t0;
  let predictMs = 0;
  const pred = ndarray(new Uint8Array(h * w), [h, w]);
  const clicks: SimulatedClick[] = [];
  const ious: number[] = [];
  let maskInput: NdArray<Float32Array> | undefined;
  const multimask = options.multimask ?? true;
  const feed = options.feedMaskInput ?? true;
  for (let i = 0; i < maxClicks; i++) {
    const click = nextClick(sample.gt, pred, { clicked: clicks, ignore: sample.ignore });
    if (!click) {
      ious.push(ious.length ? ious[ious.length - 1] : iou(pred, sample.gt, sample.ignore));
      continue;
    }
    clicks.push(click);
    const t1 = performance.now();
    const out = await segmenter.predict(embedding, {
      points: clicks.map((c) => [c.x, c.y] as [number, number]),
      labels: clicks.map((c) => (c.positive ? 1 : 0)),
      imageSize: [h, w],
      maskInput: feed ? maskInput : undefined,
      multimask,
      reuseOutput: true, // read (and the low-res plane copied) before the next predict
    });
    predictMs += performance.now() - t1;
    let best = 0;
    for (let m = 1; m < out.scores.length; m++) if (out.scores[m] > out.scores[best]) best = m;
    const plane = denseFloat32(out.masks).subarray(best * h * w, (best + 1) * h * w);
    for (let p = 0; p < h * w; p++) pred.data[p] = plane[p] > 0 ? 1 : 0;
    const [, lh, lw] = out.lowResLogits.shape;
    maskInput = ndarray(denseFloat32(out.lowResLogits).slice(best * lh * lw, (best + 1) * lh * lw), [lh, lw]);
    ious.push(iou(pred, sample.gt, sample.ignore));
  }
  return { name: sample.name ?? `sample-${index}`, ious, clicks, embedMs, predictMs };
}
