import { InvalidArgumentError } from "../../core/errors";
import { isClipSurgeryProviderConfig } from "../../priors/clip-surgery-config";
import type { ClipSurgeryProviderConfig } from "../../priors/clip-surgery-config";
import { MissingDependencyError } from "../../core/errors";
import type { ExplicitAgentConfig } from "./agent";
import type { SemanticPriorProvider } from "../../priors/semantic-prior";
import { BUILTIN_PRIORS, builtinPrior } from "../priors/shape-prior";

/**
 * The provider an explicit agent config's `priorProvider` describes: a bundled one by name
 * ("synthetic-shapes"), or the CLIP-Surgery prior from its ONNX paths (loaded on first use; see
 * {@link LazyClipSurgeryPrior}). The caller owns it (dispose it with the agent).
 * @throws InvalidArgumentError on an unknown name or kind.
 */
export function priorProviderFromConfig(
  spec: NonNullable<ExplicitAgentConfig["priorProvider"]>,
): SemanticPriorProvider & { dispose(): void } {
  if (typeof spec === "string") return builtinPrior(spec);
  if (isClipSurgeryProviderConfig(spec)) {
    if (clipSurgeryFactory === null) {
      throw new MissingDependencyError(
        "a CLIP-Surgery prior needs Node.js with onnxruntime-node (import alignsam-gym/ppo, not its browser build)",
      );
    }
    return clipSurgeryFactory(spec);
  }
  throw new InvalidArgumentError(
    `unknown prior provider ${JSON.stringify(spec)}; expected one of ${BUILTIN_PRIORS.map((n) => JSON.stringify(n)).join(", ")} ` +
      `or { "kind": "clip-surgery", "imageEncoder": path, "textEncoder": path }`,
  );
}

/** Builds the CLIP-Surgery provider of a config (installed by the Node.js entry of alignsam-gym/ppo). */
export type ClipSurgeryFactory = (spec: ClipSurgeryProviderConfig) => SemanticPriorProvider & { dispose(): void };

let clipSurgeryFactory: ClipSurgeryFactory | null = null;

/**
 * Install the builder of CLIP-Surgery providers (`src/ppo/node-priors.ts` does, for the Node.js
 * entry): the browser build leaves it out, so it never bundles onnxruntime-node.
 */
export function setClipSurgeryFactory(factory: ClipSurgeryFactory): void {
  clipSurgeryFactory = factory;
}
