import { basename } from "node:path";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import type * as Ort from "onnxruntime-node";
import { InvalidArgumentError, SegmenterError } from "../../core/errors";
import { resize } from "../../data/resize";
import type { PromptableSegmenter, SegmenterPrediction, SegmenterPrompt } from "../promptable-segmenter";
import { checkPrompt, denseEmbedding, denseFloat32 } from "../prompt-checks";
import { SAM_FRAME_SIZE, SAM_LOW_RES_SIZE, samFrame, toFramePoint } from "../sam-frame";
import { checkRgbImage } from "../geodesic/lab-image";
import type { OnnxRuntime } from "./load-onnxruntime";
import { loadOnnxRuntime, providerLoadError } from "./load-onnxruntime";
import { DECODER_INPUTS, DECODER_OUTPUTS, assertContract, contractMismatches, staticDim } from "./sam-contract";

/** SAM's pixel mean and std (0-255 scale), RGB. */
const PIXEL_MEAN = [123.675, 116.28, 103.53];
const PIXEL_STD = [58.395, 57.12, 57.375];

/** Options of {@link OnnxSamSegmenter}. */
export interface OnnxSamSegmenterOptions {
  /** SAM image encoder .onnx: `input_image` [1, 3, 1024, 1024] float32 -> `image_embeddings` [1, 256, 64, 64]. Omit to use precomputed embeddings only. */
  encoderPath?: string;
  /** SAM mask decoder .onnx with segment-anything's export contract. */
  decoderPath: string;
  /** Threads inside one operator (onnxruntime intraOpNumThreads); default: onnxruntime's choice. */
  intraOpNumThreads?: number;
  /** Threads across operators (interOpNumThreads). */
  interOpNumThreads?: number;
  /**
   * onnxruntime execution providers in order of preference, e.g. ["cuda", "cpu"] (default: cpu).
   * GPU providers need onnxruntime-node's GPU binaries (see ONNXRUNTIME_GPU_HINT).
   */
  executionProviders?: string[];
  /** Identifier used in cache keys; default "onnx-sam:" + encoder file name. */
  id?: string;
}

/**
 * Segment Anything (or MobileSAM, SlimSAM, ... with the same contract) from ONNX files on
 * onnxruntime-node, an optional peer dependency loaded on first use.
 *
 * embed: resize longest side to 1024 (bilinear), normalise with SAM's mean/std, zero-pad to
 * 1024x1024, run the encoder -> [256, 64, 64]. predict: points scaled into the 1024 frame
 * (x * newW / W, y * newH / H) plus the padding point (0, 0) with label -1, mask_input (the
 * prompt's low-res logits, or zeros) with has_mask_input, orig_im_size = (H, W). With a 4-mask
 * decoder, multimask returns masks 1..3 and single-mask mask 0; a 1-mask export always returns
 * its one mask. Both models are checked against the contract when the sessions are created,
 * naming every input or output that does not fit.
 *
 * @example
 * ```ts
 * const sam = new OnnxSamSegmenter({ encoderPath: "mobile_sam_encoder.onnx", decoderPath: "mobile_sam_decoder.onnx" });
 * const emb = await sam.embed(image);                         // seconds on a CPU: cache it
 * const { masks, scores } = await sam.predict(emb, { points: [[250, 180]], labels: [1], imageSize: [375, 500], multimask: true });
 * await sam.dispose();
 * ```
 */
export class OnnxSamSegmenter implements PromptableSegmenter {
  readonly id: string;
  readonly embeddingShape: [number, number, number] = [256, 64, 64];
  readonly lowResShape: [number, number] = [SAM_LOW_RES_SIZE, SAM_LOW_RES_SIZE];
  private readonly options: OnnxSamSegmenterOptions;
  private ort: OnnxRuntime | null = null;
  private encoder: Ort.InferenceSession | null = null;
  private decoder: Ort.InferenceSession | null = null;
  private encoderLayout: "nchw" | "hwc" = "nchw";
  private encoderInput = "input_image";
  private encoderOutput = "image_embeddings";
  private loading: Promise<void> | null = null;
  /**
   * Cumulative time spent inside onnxruntime's session.run (milliseconds) and call counts, for
   * profiling: time in predict() minus decoderMs is this class's own overhead.
   */
  readonly timings = { encoderMs: 0, encoderCalls: 0, decoderMs: 0, decoderCalls: 0 };
  private zeroMask: Float32Array = new Float32Array(SAM_LOW_RES_SIZE * SAM_LOW_RES_SIZE);

  constructor(options: OnnxSamSegmenterOptions) {
    if (!options || typeof options.decoderPath !== "string" || options.decoderPath === "") {
      throw new InvalidArgumentError(
        `decoderPath must be a path to the SAM decoder .onnx, got ${JSON.stringify(options?.decoderPath)}`,
      );
    }
    for (const k of ["intraOpNumThreads", "interOpNumThreads"] as const) {
      const v = options[k];
      if (v !== undefined && !(Number.isInteger(v) && v >= 0))
        throw new InvalidArgumentError(`${k} must be an integer >= 0, got ${v}`);
    }
    const eps = options.executionProviders;
    const names = Array.isArray(eps) && eps.length > 0 && eps.every((p) => typeof p === "string" && p !== "");
    if (eps !== undefined && !names) {
      throw new InvalidArgumentError(
        `executionProviders must be a non-empty array of provider names, got ${JSON.stringify(eps)}`,
      );
    }
    this.options = { ...options };
    this.id = options.id ?? `onnx-sam:${basename(options.encoderPath ?? options.decoderPath)}`;
  }

  /**
   * Create the sessions and check them against the contract (done on first use; call it to
   * fail early). Throws MissingDependencyError without onnxruntime-node, SegmenterError on a
   * model that does not fit.
   */
  load(): Promise<void> {
    this.loading ??= this.createSessions().catch((err: unknown) => {
      this.loading = null;
      throw err;
    });
    return this.loading;
  }

  /** Embed an [H, W, 3] uint8 image into [256, 64, 64] float32 with the encoder. */
  async embed(image: NdArray<Uint8Array>): Promise<NdArray<Float32Array>> {
    const [h, w] = checkRgbImage(image);
    if (!this.options.encoderPath) {
      throw new SegmenterError(
        "OnnxSamSegmenter has no encoderPath: pass precomputed [256, 64, 64] embeddings to predict()",
      );
    }
    await this.load();
    const ort = this.ort!,
      encoder = this.encoder!;
    let feed: Ort.Tensor;
    if (this.encoderLayout === "hwc") {
      feed = new ort.Tensor("float32", Float32Array.from(denseFloat32(image)), [h, w, 3]);
    } else {
      feed = new ort.Tensor("float32", preprocess(image), [1, 3, SAM_FRAME_SIZE, SAM_FRAME_SIZE]);
    }
    const t0 = performance.now();
    const out = await encoder.run({ [this.encoderInput]: feed });
    this.timings.encoderMs += performance.now() - t0;
    this.timings.encoderCalls++;
    const emb = out[this.encoderOutput];
    const dims = emb.dims;
    if (dims.length !== 4 || dims[0] !== 1 || dims.slice(1).some((d, i) => d !== this.embeddingShape[i])) {
      throw new SegmenterError(
        `encoder output "${this.encoderOutput}" has shape [${dims.join(", ")}], expected [1, ${this.embeddingShape.join(", ")}]`,
      );
    }
    return ndarray(emb.data as Float32Array, [...this.embeddingShape]);
  }

  /**
   * The encoder's batch size: null when its batch axis is dynamic (any number of images per
   * run), else the fixed size (1 for segment-anything's standard export). Loads the sessions.
   */
  async encoderBatchSize(): Promise<number | null> {
    await this.load();
    if (!this.encoder) throw new SegmenterError("OnnxSamSegmenter has no encoderPath: it cannot embed images");
    if (this.encoderLayout === "hwc") return 1;
    return staticDim(this.encoder.inputMetadata, this.encoderInput, 0);
  }

  /**
   * Embed several [H, W, 3] uint8 images in one encoder run ([N, 3, 1024, 1024] in,
   * [N, 256, 64, 64] out); same results as calling embed on each. Needs an encoder exported with
   * a dynamic batch axis when N > 1 (see encoderBatchSize), else throws a SegmenterError.
   */
  async embedBatch(images: NdArray<Uint8Array>[]): Promise<NdArray<Float32Array>[]> {
    if (images.length === 1) return [await this.embed(images[0])];
    if (images.length === 0) return [];
    const fixed = await this.encoderBatchSize();
    if (fixed !== null && fixed !== images.length) {
      throw new SegmenterError(
        `encoder ${basename(this.options.encoderPath!)} takes ${fixed} image(s) per run ` +
          `(its batch axis is fixed), not ${images.length}: ` +
          "re-export it with a dynamic batch axis to batch images",
      );
    }
    const ort = this.ort!,
      encoder = this.encoder!;
    const plane = 3 * SAM_FRAME_SIZE * SAM_FRAME_SIZE;
    const input = new Float32Array(images.length * plane);
    images.forEach((im, i) => input.set(preprocess(im), i * plane));
    const feed = new ort.Tensor("float32", input, [images.length, 3, SAM_FRAME_SIZE, SAM_FRAME_SIZE]);
    const t0 = performance.now();
    const out = await encoder.run({ [this.encoderInput]: feed });
    this.timings.encoderMs += performance.now() - t0;
    this.timings.encoderCalls++;
    const emb = out[this.encoderOutput];
    const dims = emb.dims,
      shape = this.embeddingShape;
    if (dims.length !== 4 || dims[0] !== images.length || dims.slice(1).some((d, i) => d !== shape[i])) {
      throw new SegmenterError(
        `encoder output "${this.encoderOutput}" has shape [${dims.join(", ")}], expected [${images.length}, ${shape.join(", ")}]`,
      );
    }
    const size = shape[0] * shape[1] * shape[2],
      data = emb.data as Float32Array;
    return images.map((_, i) => ndarray(data.slice(i * size, (i + 1) * size), [...shape]));
  }

  /** Decode masks from clicks (see the class comment for the exact decoder feed). */
  async predict(embedding: NdArray<Float32Array>, prompt: SegmenterPrompt): Promise<SegmenterPrediction> {
    const embData = denseEmbedding(embedding, this.embeddingShape);
    checkPrompt(prompt);
    await this.load();
    const ort = this.ort!;
    const frame = samFrame(prompt.imageSize);
    const n = prompt.points.length + 1;
    const coords = new Float32Array(2 * n),
      labels = new Float32Array(n);
    prompt.points.forEach(([x, y], i) => {
      const [fx, fy] = toFramePoint(frame, x, y);
      coords[2 * i] = fx;
      coords[2 * i + 1] = fy;
      labels[i] = prompt.labels[i];
    });
    labels[n - 1] = -1; // padding point (0, 0): no box
    const mask = prompt.maskInput ? denseFloat32(prompt.maskInput) : this.zeroMask;
    const s = SAM_LOW_RES_SIZE;
    const feeds = {
      image_embeddings: new ort.Tensor("float32", embData, [1, ...this.embeddingShape]),
      point_coords: new ort.Tensor("float32", coords, [1, n, 2]),
      point_labels: new ort.Tensor("float32", labels, [1, n]),
      mask_input: new ort.Tensor("float32", mask, [1, 1, s, s]),
      has_mask_input: new ort.Tensor("float32", new Float32Array([prompt.maskInput ? 1 : 0]), [1]),
      orig_im_size: new ort.Tensor("float32", new Float32Array([frame.height, frame.width]), [2]),
    };
    const t0 = performance.now();
    const out = await this.decoder!.run(feeds);
    this.timings.decoderMs += performance.now() - t0;
    this.timings.decoderCalls++;
    return selectMasks(out, frame.height, frame.width, prompt.multimask === true);
  }

  /** Release both sessions (safe to call twice). */
  async dispose(): Promise<void> {
    const sessions = [this.encoder, this.decoder];
    this.encoder = this.decoder = null;
    this.loading = null;
    for (const s of sessions) await s?.release();
  }

  private async createSessions(): Promise<void> {
    const ort = await loadOnnxRuntime();
    const opts: Ort.InferenceSession.SessionOptions = {};
    if (this.options.intraOpNumThreads !== undefined) opts.intraOpNumThreads = this.options.intraOpNumThreads;
    if (this.options.interOpNumThreads !== undefined) opts.interOpNumThreads = this.options.interOpNumThreads;
    if (this.options.executionProviders) opts.executionProviders = this.options.executionProviders;
    const open = async (path: string): Promise<Ort.InferenceSession> => {
      try {
        return await ort.InferenceSession.create(path, opts);
      } catch (err) {
        const providerError = providerLoadError(this.options.executionProviders ?? [], err);
        if (providerError) throw new SegmenterError(providerError, { cause: err });
        throw new SegmenterError(`cannot load ONNX model ${path}: ${(err as Error).message}`, { cause: err });
      }
    };
    const decoder = await open(this.options.decoderPath);
    assertContract(this.options.decoderPath, [
      ...contractMismatches("input", decoder.inputMetadata, DECODER_INPUTS),
      ...contractMismatches("output", decoder.outputMetadata, DECODER_OUTPUTS),
    ]);
    const dims = [1, 2, 3].map((d) => staticDim(decoder.inputMetadata, "image_embeddings", d));
    if (dims.every((d) => d !== null))
      (this as { embeddingShape: [number, number, number] }).embeddingShape = dims as [number, number, number];
    let encoder: Ort.InferenceSession | null = null;
    if (this.options.encoderPath) {
      encoder = await open(this.options.encoderPath);
      this.checkEncoder(this.options.encoderPath, encoder);
    }
    this.ort = ort;
    this.decoder = decoder;
    this.encoder = encoder;
  }

  private checkEncoder(path: string, encoder: Ort.InferenceSession): void {
    const problems: string[] = [];
    const input =
      encoder.inputMetadata.find((m) => m.name === "input_image") ??
      (encoder.inputMetadata.length === 1 ? encoder.inputMetadata[0] : undefined);
    if (!input)
      problems.push(
        `missing input "input_image" (the model has ${encoder.inputNames.map((x) => `"${x}"`).join(", ")})`,
      );
    else if (input.isTensor) {
      const shape = input.shape;
      const is = (want: number[]): boolean =>
        shape.length === want.length && want.every((v, i) => typeof shape[i] !== "number" || shape[i] === v);
      if (input.type === "float32" && is([1, 3, SAM_FRAME_SIZE, SAM_FRAME_SIZE])) this.encoderLayout = "nchw";
      else if (input.type === "float32" && shape.length === 3 && (typeof shape[2] !== "number" || shape[2] === 3))
        this.encoderLayout = "hwc";
      else
        problems.push(
          `input "${input.name}" has type ${input.type} and shape [${shape.join(", ")}], expected float32 [1, 3, 1024, 1024] (or [H, W, 3] with preprocessing inside)`,
        );
      this.encoderInput = input.name;
    }
    const output =
      encoder.outputMetadata.find((m) => m.name === "image_embeddings") ??
      (encoder.outputMetadata.length === 1 ? encoder.outputMetadata[0] : undefined);
    if (!output)
      problems.push(
        `missing output "image_embeddings" (the model has ${encoder.outputNames.map((x) => `"${x}"`).join(", ")})`,
      );
    else {
      this.encoderOutput = output.name;
      if (output.isTensor && output.shape.length > 0 && output.shape.length !== 4) {
        problems.push(
          `output "${output.name}" has shape [${output.shape.join(", ")}], expected [1, ${this.embeddingShape.join(", ")}]`,
        );
      }
    }
    assertContract(path, problems);
  }
}

/**
 * SAM preprocessing of an [H, W, 3] uint8 image: resize longest side to 1024 (bilinear), subtract
 * the mean and divide by the std per channel, zero-pad bottom/right to 1024x1024; returns the
 * [3, 1024, 1024] float32 planes.
 */
export function preprocess(image: NdArray<Uint8Array>): Float32Array {
  const [h, w] = checkRgbImage(image);
  const frame = samFrame([h, w]);
  const resized = resize(image, [frame.newHeight, frame.newWidth], "linear");
  const src = denseFloat32Bytes(resized);
  const size = SAM_FRAME_SIZE;
  const out = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c++) {
    const mean = PIXEL_MEAN[c],
      inv = 1 / PIXEL_STD[c],
      plane = c * size * size;
    for (let y = 0; y < frame.newHeight; y++) {
      const o = plane + y * size,
        i = y * frame.newWidth * 3 + c;
      for (let x = 0; x < frame.newWidth; x++) out[o + x] = (src[i + 3 * x] - mean) * inv;
    }
  }
  return out;
}

function denseFloat32Bytes(a: NdArray<Uint8Array>): Uint8Array {
  const size = a.shape.reduce((p, v) => p * v, 1);
  return a.offset === 0 && a.data.length === size && a.stride[2] === 1 && a.stride[1] === 3
    ? a.data
    : Uint8Array.from(denseFloat32(a));
}

/** Pick the returned masks from the decoder outputs: 1..3 for multimask on a 4-mask decoder, else 0. */
function selectMasks(
  out: Ort.InferenceSession.OnnxValueMapType,
  h: number,
  w: number,
  multimask: boolean,
): SegmenterPrediction {
  const masks = out.masks,
    ious = out.iou_predictions,
    low = out.low_res_masks;
  const c = low.dims[1];
  const s = SAM_LOW_RES_SIZE;
  if (masks.dims.length !== 4 || masks.dims[1] !== c || masks.dims[2] !== h || masks.dims[3] !== w) {
    throw new SegmenterError(
      `decoder output "masks" has shape [${masks.dims.join(", ")}], expected [1, ${c}, ${h}, ${w}]`,
    );
  }
  if (ious.dims[ious.dims.length - 1] !== c) {
    throw new SegmenterError(
      `decoder output "iou_predictions" has shape [${ious.dims.join(", ")}], expected [1, ${c}]`,
    );
  }
  const [from, k] = multimask && c >= 4 ? [1, 3] : [0, 1];
  const md = masks.data as Float32Array,
    ld = low.data as Float32Array,
    id = ious.data as Float32Array;
  return {
    masks: ndarray(md.subarray(from * h * w, (from + k) * h * w), [k, h, w]),
    scores: id.slice(from, from + k),
    lowResLogits: ndarray(ld.subarray(from * s * s, (from + k) * s * s), [k, s, s]),
  };
}
