// The CLIP-Surgery prior of an explicit agent on the command line: --clip-image-encoder and
// --clip-text-encoder (train and eval) set or override the ONNX paths of the agent config's
// `priorProvider`, the files are checked before anything heavy starts, and the prior is loaded
// (and checked against its contract) once for the run.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError } from "../core/errors";
import { ClipSurgeryPrior } from "../priors/clip-surgery-prior";
import { isClipSurgeryProviderConfig } from "../priors/clip-surgery-provider";
import type { ClipSurgeryProviderConfig } from "../priors/clip-surgery-provider";
import type { AgentConfig } from "../ppo";

/** The two flags, as commander parses them. */
export interface ClipPriorFlags {
  /** --clip-image-encoder <path> */
  clipImageEncoder?: string;
  /** --clip-text-encoder <path> */
  clipTextEncoder?: string;
}

/** Help texts of the two flags (train and eval share them). */
export const CLIP_PRIOR_FLAG_HELP = {
  image:
    "CLIP-Surgery image encoder .onnx for the explicit agent's prior (sets priorProvider, or overrides the checkpoint's path)",
  text: "CLIP-Surgery text encoder .onnx for the explicit agent's prior (sets priorProvider, or overrides the checkpoint's path)",
} as const;

/**
 * The agent config with the flags applied: the paths of a clip-surgery `priorProvider` replaced
 * by the flags given, or (`allowNew`, a fresh training run) a clip-surgery provider set on an
 * explicit agent when both flags are given. Paths are made absolute, so checkpoints work from
 * any directory. Unchanged without flags (a clip-surgery config's paths are still made absolute).
 * @throws InvalidArgumentError when the flags do not fit the agent (not explicit, one flag for a
 * new prior, a checkpoint with another prior).
 */
export function withClipPriorFlags(
  config: AgentConfig,
  flags: ClipPriorFlags,
  where: string,
  allowNew: boolean,
): AgentConfig {
  const image = flags.clipImageEncoder,
    text = flags.clipTextEncoder;
  const spec = config.kind === "explicit" ? config.priorProvider : undefined;
  if (image === undefined && text === undefined) {
    return isClipSurgeryProviderConfig(spec) && config.kind === "explicit"
      ? { ...config, priorProvider: absolute(spec) }
      : config;
  }
  if (config.kind !== "explicit") {
    throw new InvalidArgumentError(
      `--clip-image-encoder / --clip-text-encoder set the explicit agent's prior, but ${where} is a ${config.kind} agent (use --agent explicit)`,
    );
  }
  if (isClipSurgeryProviderConfig(spec)) {
    return {
      ...config,
      priorProvider: absolute({
        ...spec,
        ...(image !== undefined ? { imageEncoder: image } : {}),
        ...(text !== undefined ? { textEncoder: text } : {}),
      }),
    };
  }
  if (!allowNew) {
    throw new InvalidArgumentError(
      `--clip-image-encoder / --clip-text-encoder override a CLIP-Surgery prior's files, but ${where} uses ${spec === undefined ? "no prior" : `the ${JSON.stringify(spec)} prior`}`,
    );
  }
  if (image === undefined || text === undefined) {
    throw new InvalidArgumentError(
      `a CLIP-Surgery prior needs both files: pass --clip-image-encoder and --clip-text-encoder`,
    );
  }
  return { ...config, priorProvider: absolute({ kind: "clip-surgery", imageEncoder: image, textEncoder: text }) };
}

function absolute(spec: ClipSurgeryProviderConfig): ClipSurgeryProviderConfig {
  return { ...spec, imageEncoder: resolve(spec.imageEncoder), textEncoder: resolve(spec.textEncoder) };
}

/**
 * Load the agent config's CLIP-Surgery prior (null for any other config, whose bundled prior
 * createAgent builds). Missing files fail first, in one error naming each file and the flag
 * that overrides it; then the models are checked against their contract.
 * @throws InvalidArgumentError on missing files; SegmenterError / MissingDependencyError from loading.
 */
export async function openClipPrior(config: AgentConfig, where: string): Promise<ClipSurgeryPrior | null> {
  const spec = config.kind === "explicit" ? config.priorProvider : undefined;
  if (!isClipSurgeryProviderConfig(spec)) return null;
  const missing: string[] = [];
  if (!existsSync(spec.imageEncoder))
    missing.push(`image encoder ${spec.imageEncoder} (pass --clip-image-encoder <path> to use another file)`);
  if (!existsSync(spec.textEncoder))
    missing.push(`text encoder ${spec.textEncoder} (pass --clip-text-encoder <path> to use another file)`);
  if (missing.length > 0) {
    throw new InvalidArgumentError(
      `the CLIP-Surgery prior of ${where} cannot be loaded, missing: ${missing.join("; ")}`,
    );
  }
  return ClipSurgeryPrior.create({
    imageEncoder: spec.imageEncoder,
    textEncoder: spec.textEncoder,
    ...(spec.imageSize !== undefined ? { imageSize: spec.imageSize } : {}),
  });
}
