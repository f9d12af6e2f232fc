import type * as Ort from "onnxruntime-node";
import { contractMismatches, staticDim } from "../segmenters/onnx/sam-contract";
import type { Expected } from "../segmenters/onnx/sam-contract";
import type { ClipModelSizes } from "./clip-surgery-options";

export type { ClipModelSizes } from "./clip-surgery-options";

/** Name of the contract in error messages. */
export const CLIP_SURGERY_CONTRACT = "CLIP-Surgery ONNX contract";

/** Image encoder: `image` [B, 3, S, S] float32 (CLIP-normalised) -> `image_features` [B, 1+N, D]. */
export const CLIP_IMAGE_INPUTS: Expected[] = [{ name: "image", type: "float32", shape: [null, 3, null, null] }];
export const CLIP_IMAGE_OUTPUTS: Expected[] = [{ name: "image_features", type: "float32", shape: [null, null, null] }];

/** Text encoder: `tokens` [B, 77] int64 -> `text_features` [B, D]. */
export const CLIP_TEXT_INPUTS: Expected[] = [{ name: "tokens", type: "int64", shape: [null, 77] }];
export const CLIP_TEXT_OUTPUTS: Expected[] = [{ name: "text_features", type: "float32", shape: [null, null] }];

/**
 * Every mismatch of the two sessions with the contract, one line each, prefixed by the file it
 * is about; plus a width mismatch between the two outputs' static D and a requested image size
 * that differs from a static one. Empty when everything fits.
 */
export function clipContractMismatches(
  image: { path: string; session: Ort.InferenceSession },
  text: { path: string; session: Ort.InferenceSession },
  requestedImageSize: number | null,
): { problems: string[]; sizes: ClipModelSizes } {
  const problems: string[] = [];
  const tag = (path: string, lines: string[]): string[] => lines.map((l) => `${path}: ${l}`);
  problems.push(
    ...tag(image.path, [
      ...contractMismatches("input", image.session.inputMetadata, CLIP_IMAGE_INPUTS),
      ...contractMismatches("output", image.session.outputMetadata, CLIP_IMAGE_OUTPUTS),
    ]),
  );
  problems.push(
    ...tag(text.path, [
      ...contractMismatches("input", text.session.inputMetadata, CLIP_TEXT_INPUTS),
      ...contractMismatches("output", text.session.outputMetadata, CLIP_TEXT_OUTPUTS),
    ]),
  );
  const h = staticDim(image.session.inputMetadata, "image", 2);
  const w = staticDim(image.session.inputMetadata, "image", 3);
  if (h !== null && w !== null && h !== w)
    problems.push(`${image.path}: input "image" is ${h}x${w}, expected a square S x S`);
  const sizes: ClipModelSizes = {
    imageSize: h !== null && h === w ? h : null,
    imageTokens: staticDim(image.session.outputMetadata, "image_features", 1),
    imageDim: staticDim(image.session.outputMetadata, "image_features", 2),
    textDim: staticDim(text.session.outputMetadata, "text_features", 1),
  };
  if (sizes.imageDim !== null && sizes.textDim !== null && sizes.imageDim !== sizes.textDim) {
    problems.push(
      `feature widths differ: ${image.path} gives D = ${sizes.imageDim}, ${text.path} gives D = ${sizes.textDim}`,
    );
  }
  if (requestedImageSize !== null && sizes.imageSize !== null && requestedImageSize !== sizes.imageSize) {
    problems.push(
      `imageSize ${requestedImageSize} was asked for, but ${image.path} takes ${sizes.imageSize}x${sizes.imageSize} images`,
    );
  }
  if (sizes.imageTokens !== null) {
    const n = sizes.imageTokens - 1,
      side = Math.round(Math.sqrt(n));
    if (n < 1 || side * side !== n)
      problems.push(
        `${image.path}: output "image_features" has ${sizes.imageTokens} tokens, expected 1 + a square number`,
      );
  }
  return { problems, sizes };
}
