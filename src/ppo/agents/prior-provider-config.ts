import { InvalidArgumentError } from "../../core/errors";
import { LazyClipSurgeryPrior, isClipSurgeryProviderConfig } from "../../priors/clip-surgery-provider";
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
  if (isClipSurgeryProviderConfig(spec)) return new LazyClipSurgeryPrior(spec);
  throw new InvalidArgumentError(
    `unknown prior provider ${JSON.stringify(spec)}; expected one of ${BUILTIN_PRIORS.map((n) => JSON.stringify(n)).join(", ")} ` +
      `or { "kind": "clip-surgery", "imageEncoder": path, "textEncoder": path }`,
  );
}
