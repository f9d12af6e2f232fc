import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import type { PromptableSegmenter, SegmenterPrediction, SegmenterPrompt } from "../segmenters/promptable-segmenter";
import { InvalidArgumentError, SegmenterError } from "../core/errors";
import type { MaskArt } from "./mask-art";
import { probabilityFromArt } from "./mask-art";

/** A mask for a test segmenter: probability art, or an [H, W] array (uint8 0/1 or float32 probabilities). */
export type TestMask = MaskArt | NdArray<Uint8Array> | NdArray<Float32Array>;

/** What a scripted segmenter returns for one prompt: one mask, or candidates with predicted IoUs. */
export type ScriptedOutput = TestMask | { masks: readonly TestMask[]; scores: readonly number[] };

/** A prompt as a test double recorded it (copies, safe to keep). */
export interface RecordedPrompt {
  points: Array<[number, number]>;
  labels: number[];
  imageSize: [number, number];
  /** A copy of the mask_input logits [256, 256], or null when none was given. */
  maskInput: Float32Array | null;
  multimask: boolean;
}

/** Options shared by the test segmenters. */
export interface TestSegmenterOptions {
  /** [C, h, w] of the embedding (default [4, 16, 16]: small, so tests stay fast). */
  embeddingShape?: [number, number, number];
  /** |logit| written for probability 0 or 1 (default 30: sigmoid gives 1 in float32). */
  logitMagnitude?: number;
  /** Id (default: the class name). */
  id?: string;
}

const LOW_RES = 256;

/**
 * Base of the test doubles: turns probability masks into SAM-shaped outputs (full-size logits,
 * low-res logits in SAM's padded 1024 frame) and records every prompt in `calls`.
 */
abstract class MaskSegmenterDouble implements PromptableSegmenter {
  readonly id: string;
  readonly embeddingShape: [number, number, number];
  readonly lowResShape: [number, number] = [LOW_RES, LOW_RES];
  /** Every predict() prompt, in order. */
  readonly calls: RecordedPrompt[] = [];
  /** How many images embed() was asked for. */
  embedCount = 0;
  protected readonly logitMagnitude: number;

  protected constructor(opts: TestSegmenterOptions, defaultId: string) {
    this.id = opts.id ?? defaultId;
    this.embeddingShape = opts.embeddingShape ?? [4, 16, 16];
    this.logitMagnitude = opts.logitMagnitude ?? 30;
    if (!this.embeddingShape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new InvalidArgumentError(`embeddingShape must be three positive integers, got [${this.embeddingShape}]`);
    }
  }

  /** A cheap deterministic embedding: channel c of grid cell (i, j) = pixel value of channel c % 3 at the cell centre / 255. */
  async embed(image: NdArray<Uint8Array>): Promise<NdArray<Float32Array>> {
    this.embedCount++;
    const [h, w] = image.shape as [number, number, number];
    const [c, gh, gw] = this.embeddingShape;
    const out = ndarray(new Float32Array(c * gh * gw), [c, gh, gw]);
    const side = Math.max(h, w);
    for (let i = 0; i < gh; i++) {
      const y = Math.floor(((i + 0.5) * side) / gh);
      for (let j = 0; j < gw; j++) {
        const x = Math.floor(((j + 0.5) * side) / gw);
        if (y >= h || x >= w) continue; // padding
        for (let k = 0; k < c; k++) out.set(k, i, j, image.get(y, x, k % 3) / 255);
      }
    }
    return out;
  }

  async predict(embedding: NdArray<Float32Array>, prompt: SegmenterPrompt): Promise<SegmenterPrediction> {
    const [c, gh, gw] = this.embeddingShape;
    if (
      embedding.shape.length !== 3 ||
      embedding.shape[0] !== c ||
      embedding.shape[1] !== gh ||
      embedding.shape[2] !== gw
    ) {
      throw new SegmenterError(`${this.id}: embedding must be [${this.embeddingShape}], got [${embedding.shape}]`);
    }
    this.calls.push({
      points: prompt.points.map(([x, y]) => [x, y]),
      labels: [...prompt.labels],
      imageSize: [prompt.imageSize[0], prompt.imageSize[1]],
      maskInput: prompt.maskInput ? Float32Array.from(prompt.maskInput.data) : null,
      multimask: prompt.multimask ?? false,
    });
    const out = this.output(prompt, this.calls.length - 1);
    const candidates = isCandidates(out) ? out : { masks: [out], scores: [1] };
    if (candidates.masks.length === 0 || candidates.masks.length !== candidates.scores.length) {
      throw new SegmenterError(
        `${this.id}: a scripted output needs as many scores as masks (at least one), got ${candidates.masks.length} and ${candidates.scores.length}`,
      );
    }
    return this.toPrediction(candidates.masks.map(toProbability), candidates.scores, prompt.imageSize);
  }

  /** The output for one prompt; `call` counts predict() calls from 0. */
  protected abstract output(prompt: SegmenterPrompt, call: number): ScriptedOutput;

  private toPrediction(
    probs: NdArray<Float32Array>[],
    scores: readonly number[],
    imageSize: [number, number],
  ): SegmenterPrediction {
    const [h, w] = imageSize;
    const k = probs.length;
    const masks = new Float32Array(k * h * w);
    const low = new Float32Array(k * LOW_RES * LOW_RES);
    const scale = 1024 / Math.max(h, w);
    const newH = Math.trunc(h * scale + 0.5);
    const newW = Math.trunc(w * scale + 0.5);
    probs.forEach((p, m) => {
      if (p.shape[0] !== h || p.shape[1] !== w) {
        throw new SegmenterError(`${this.id}: scripted mask is [${p.shape}] but the image is [${h}, ${w}]`);
      }
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) masks[m * h * w + y * w + x] = this.logit(p.get(y, x));
      for (let i = 0; i < LOW_RES; i++) {
        const y1024 = (i + 0.5) * 4;
        for (let j = 0; j < LOW_RES; j++) {
          const x1024 = (j + 0.5) * 4;
          const v =
            y1024 >= newH || x1024 >= newW
              ? -this.logitMagnitude
              : masks[
                  m * h * w +
                    Math.min(h - 1, Math.floor((y1024 * h) / newH)) * w +
                    Math.min(w - 1, Math.floor((x1024 * w) / newW))
                ];
          low[m * LOW_RES * LOW_RES + i * LOW_RES + j] = v as number;
        }
      }
    });
    return {
      masks: ndarray(masks, [k, h, w]),
      scores: Float32Array.from(scores),
      lowResLogits: ndarray(low, [k, LOW_RES, LOW_RES]),
    };
  }

  private logit(p: number): number {
    const m = this.logitMagnitude;
    if (p <= 0) return -m;
    if (p >= 1) return m;
    return Math.max(-m, Math.min(m, Math.log(p / (1 - p))));
  }
}

/**
 * A segmenter test double that ignores the clicks and always predicts the same mask (three
 * copies with scores [1, 0.9, 0.8] when multimask is asked for). Records every prompt in `calls`.
 *
 * @example
 * ```ts
 * const seg = new FixedSegmenter({ mask: ["..##..", "..##.."] });
 * const env = new SamSegEnv({ segmenter: seg, dataset, imgShape: [2, 6, 3], imgPatchSize: 2 });
 * ```
 */
export class FixedSegmenter extends MaskSegmenterDouble {
  private readonly mask: TestMask;

  /** @param opts.mask the mask predicted for every prompt ([H, W] of the env's imgShape). */
  constructor(opts: TestSegmenterOptions & { mask: TestMask }) {
    super(opts, "FixedSegmenter");
    this.mask = opts.mask;
  }

  protected output(prompt: SegmenterPrompt): ScriptedOutput {
    return prompt.multimask ? { masks: [this.mask, this.mask, this.mask], scores: [1, 0.9, 0.8] } : this.mask;
  }
}

/**
 * A segmenter test double that follows a script: either a list (the prompt with n clicks gets
 * `script[n - 1]`, the last entry repeating) or a function of the prompt and the call index.
 * An entry is a mask or `{masks, scores}` candidates (the env picks the highest score).
 *
 * @example
 * ```ts
 * const seg = new ScriptedSegmenter({ script: [["#...", "...."], ["##..", "##.."]] });
 * const discs = new ScriptedSegmenter({ script: (prompt) => discAround(prompt.points) });
 * ```
 */
export class ScriptedSegmenter extends MaskSegmenterDouble {
  private readonly script: readonly ScriptedOutput[] | ((prompt: SegmenterPrompt, call: number) => ScriptedOutput);

  constructor(
    opts: TestSegmenterOptions & {
      script: readonly ScriptedOutput[] | ((prompt: SegmenterPrompt, call: number) => ScriptedOutput);
    },
  ) {
    super(opts, "ScriptedSegmenter");
    if (Array.isArray(opts.script) && opts.script.length === 0)
      throw new InvalidArgumentError("ScriptedSegmenter: script must not be empty");
    this.script = opts.script;
  }

  protected output(prompt: SegmenterPrompt, call: number): ScriptedOutput {
    if (typeof this.script === "function") return this.script(prompt, call);
    const i = Math.min(Math.max(prompt.points.length, 1), this.script.length) - 1;
    return this.script[i] as ScriptedOutput;
  }
}

function isCandidates(o: ScriptedOutput): o is { masks: readonly TestMask[]; scores: readonly number[] } {
  return typeof o === "object" && o !== null && !Array.isArray(o) && "masks" in o && "scores" in o;
}

function toProbability(m: TestMask): NdArray<Float32Array> {
  if (typeof m === "string" || Array.isArray(m)) return probabilityFromArt(m as MaskArt);
  const a = m as NdArray<Uint8Array> | NdArray<Float32Array>;
  if (a.dimension !== 2) throw new InvalidArgumentError(`a test mask must be [H, W], got [${a.shape}]`);
  if (a.data instanceof Float32Array) return a as NdArray<Float32Array>;
  const [h, w] = a.shape as [number, number];
  const out = ndarray(new Float32Array(h * w), [h, w]);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.set(y, x, a.get(y, x) > 0 ? 1 : 0);
  return out;
}
