// The CLIP-Surgery reference fixtures (../shared/fixtures/clip-surgery relative to the repo
// root): loaded when present, null otherwise so tests can skip cleanly.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ndarray from "ndarray";
import type { NdArray } from "ndarray";

export const CLIP_FIXTURES = join(__dirname, "..", "..", "..", "shared", "fixtures", "clip-surgery");
export const TINY_IMAGE_ENCODER = join(CLIP_FIXTURES, "tiny-clip-surgery-image.onnx");
export const TINY_TEXT_ENCODER = join(CLIP_FIXTURES, "tiny-clip-surgery-text.onnx");

/** The parts of clip-surgery-golden.json the tests read. */
export interface ClipGolden {
  prompt_templates: string[];
  tokenizer_cases: Array<{ text: string; ids: number[] }>;
  clip_image_mean: number[];
  clip_image_std: number[];
  image_input: number[][][][];
  image_features: number[][][];
  text_onnx_check: { texts: string[]; tokens: number[][]; text_features: number[][] };
  categories: string[];
  text_features_ensemble: number[][];
  redundant_features: number[][];
  similarity: number[][][];
  similarity_maps: Record<string, number[][][]>;
}

let cached: ClipGolden | null | undefined;

/** The golden file, or null when the fixtures directory is absent. */
export function clipGolden(): ClipGolden | null {
  if (cached !== undefined) return cached;
  const file = join(CLIP_FIXTURES, "clip-surgery-golden.json");
  cached =
    existsSync(file) && existsSync(TINY_IMAGE_ENCODER) && existsSync(TINY_TEXT_ENCODER)
      ? (JSON.parse(readFileSync(file, "utf8")) as ClipGolden)
      : null;
  return cached;
}

/** A nested number array as a dense float32 ndarray. */
export function nd(values: unknown): NdArray<Float32Array> {
  const shape: number[] = [];
  for (let v = values; Array.isArray(v); v = v[0]) shape.push(v.length);
  return ndarray(Float32Array.from((values as unknown[]).flat(Infinity) as number[]), shape);
}

/** Max |a - b| over two equal-length arrays (Infinity when the lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** tap's `skip` option for tests that need the fixtures: a reason when they are absent, else false. */
export const FIXTURES_SKIP: string | false = clipGolden() === null ? `${CLIP_FIXTURES} is absent` : false;
