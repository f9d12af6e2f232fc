// The CLIP-Surgery prior as plain data (an explicit agent config's `priorProvider`): no ONNX here,
// so agent configs and the browser build can name it without loading onnxruntime.

/**
 * The CLIP-Surgery prior as an agent config names it (`ExplicitAgentConfig.priorProvider`):
 * JSON, so checkpoints keep it and `eval` / `train --resume` rebuild the prior from the paths.
 */
export interface ClipSurgeryProviderConfig {
  kind: "clip-surgery";
  /** Path of the image encoder .onnx (see {@link ClipSurgeryPriorOptions.imageEncoder}). */
  imageEncoder: string;
  /** Path of the text encoder .onnx. */
  textEncoder: string;
  /** S (default: the model's static size, else 224). */
  imageSize?: number;
}

/** Whether a value is a {@link ClipSurgeryProviderConfig} (kind "clip-surgery" and two non-empty paths). */
export function isClipSurgeryProviderConfig(value: unknown): value is ClipSurgeryProviderConfig {
  const v = value as Partial<ClipSurgeryProviderConfig> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    v.kind === "clip-surgery" &&
    typeof v.imageEncoder === "string" &&
    v.imageEncoder !== "" &&
    typeof v.textEncoder === "string" &&
    v.textEncoder !== ""
  );
}
