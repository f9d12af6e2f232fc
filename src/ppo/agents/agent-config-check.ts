import { InvalidArgumentError } from "../../core/errors";
import { checkOptionKeys } from "../../core/own-options";
import { isClipSurgeryProviderConfig } from "../../priors/clip-surgery-config";
import type { AgentConfig } from "./agent";

type FieldCheck = (v: unknown) => boolean;

const posInt: FieldCheck = (v) => Number.isSafeInteger(v) && (v as number) > 0;
const nonNegInt: FieldCheck = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const bool: FieldCheck = (v) => typeof v === "boolean";
const pair: FieldCheck = (v) => Array.isArray(v) && v.length === 2 && v.every(posInt);
const oneOf =
  (...values: string[]): FieldCheck =>
  (v) =>
    typeof v === "string" && values.includes(v);
const conv: FieldCheck = (v) => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const c = v as Record<string, unknown>;
  return (
    posInt(c.filters) &&
    posInt(c.kernel) &&
    posInt(c.stride) &&
    (c.padding === undefined || oneOf("same", "valid")(c.padding))
  );
};

/** Each known field with its check and what the message says it must be. */
const IMAGE_FIELDS: Record<string, [FieldCheck, string]> = {
  inputGrid: [pair, "[rows, cols] of positive integers"],
  embeddingChannels: [posInt, "a positive integer"],
  maskPlane: [bool, "a boolean"],
  convs: [(v) => Array.isArray(v) && v.every(conv), 'a list of {filters, kernel, stride, padding?: "same" | "valid"}'],
  hidden: [posInt, "a positive integer"],
  actorHead: [oneOf("dense", "spatial"), '"dense" or "spatial"'],
  actionGrid: [pair, "[nW, nH] of positive integers"],
  spatialFilters: [posInt, "a positive integer"],
  patchLogits: [oneOf("cell", "bilinear"), '"cell" or "bilinear"'],
  categoryReadout: [bool, "a boolean"],
  noRepeat: [oneOf("off", "action", "patch", "cell"), '"off", "action", "patch" or "cell"'],
  categorySlots: [nonNegInt, "a non-negative integer"],
  categories: [(v) => Array.isArray(v) && v.every((x) => typeof x === "string"), "a list of strings"],
};

const FIELDS: Record<AgentConfig["kind"], Record<string, [FieldCheck, string]>> = {
  mlp: {
    hidden: [(v) => Array.isArray(v) && v.length > 0 && v.every(posInt), "a non-empty list of positive integers"],
  },
  implicit: IMAGE_FIELDS,
  explicit: {
    ...IMAGE_FIELDS,
    priorChannels: [nonNegInt, "a non-negative integer"],
    priorProvider: [
      (v) => typeof v === "string" || isClipSurgeryProviderConfig(v),
      'the name of a bundled prior or { "kind": "clip-surgery", "imageEncoder": path, "textEncoder": path }',
    ],
    attentionDim: [posInt, "a positive integer"],
    maskTemperature: [bool, "a boolean"],
    correctionPlanes: [oneOf("off", "difference", "distance"), '"off", "difference" or "distance"'],
    correctionGain: [(v) => typeof v === "number" && Number.isFinite(v), "a finite number"],
  },
};

/**
 * Check the types of an agent config (from JSON: a checkpoint or `--agent-config`) before any
 * agent code reads it: `kind` must be mlp, implicit or explicit, every known field of that kind
 * must have its type, and no key may be `__proto__`, `constructor` or `prototype`. Unknown
 * fields are left to the agent. Values that need the spaces (sizes that must divide the
 * embedding grid, ...) are checked by the agents themselves.
 * @param where how the message names the config's source, e.g. `checkpoint "run/checkpoint.bin"`.
 * @throws InvalidArgumentError naming the source, the field, its value and the expected type.
 * @example
 * ```ts
 * checkAgentConfig({ kind: "mlp", hidden: 64 }, "--agent-config"); // throws: hidden must be a list
 * ```
 */
export function checkAgentConfig(config: unknown, where: string): AgentConfig {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new InvalidArgumentError(
      `${where}: the agent config must be an object, got ${JSON.stringify(config) ?? String(config)}`,
    );
  }
  checkOptionKeys(config, `${where}: agent config`);
  const c = config as Record<string, unknown>;
  const kind = c.kind;
  if (kind !== "mlp" && kind !== "implicit" && kind !== "explicit") {
    throw new InvalidArgumentError(
      `${where}: unknown agent kind ${JSON.stringify(kind) ?? String(kind)}; expected mlp, implicit or explicit`,
    );
  }
  for (const [field, [check, expected]] of Object.entries(FIELDS[kind])) {
    const v = c[field];
    if (v !== undefined && !check(v)) {
      throw new InvalidArgumentError(
        `${where}: agent config field ${field} must be ${expected}, got ${JSON.stringify(v) ?? String(v)}`,
      );
    }
  }
  return config as AgentConfig;
}
