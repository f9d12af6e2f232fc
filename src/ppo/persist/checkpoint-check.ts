import { checkOptionKeys } from "../../core/own-options";
import { checkAgentConfig } from "../agents/agent-config-check";
import { resolveHyperparameters } from "../hyperparameters";

/** Reports a problem with the checkpoint being read (throws; the caller names the file). */
export type CheckpointFail = (problem: string) => never;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const numberList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === "number");

/**
 * Check the parsed JSON header of a checkpoint: the types of every field the loader and the
 * trainer read, and that each array reference {offset, length} (in float32s) lies within the
 * `floats` of the data section and matches its parameter's shape. Returns the header.
 * @throws through `fail`, naming the field and what is wrong with it.
 */
export function checkCheckpointHeader(header: unknown, floats: number, fail: CheckpointFail): Record<string, unknown> {
  if (!isObject(header)) return fail("the header is not a JSON object");
  try {
    checkOptionKeys(header, "header");
  } catch (e) {
    fail((e as Error).message);
  }
  const h = header;
  const ref = (r: unknown, what: string): number => {
    if (!isObject(r) || !isCount(r.offset) || !isCount(r.length))
      return fail(`${what} is not an {offset, length} array reference`);
    if ((r.offset as number) + (r.length as number) > floats) {
      fail(
        `${what} (offset ${String(r.offset)}, length ${String(r.length)}) lies outside the data section of ${floats} float32`,
      );
    }
    return r.length as number;
  };
  try {
    checkAgentConfig(h.agent, "agent");
  } catch (e) {
    fail((e as Error).message);
  }
  if (!Array.isArray(h.params)) fail("params is not a list");
  (h.params as unknown[]).forEach((p, i) => {
    if (!isObject(p) || typeof p.name !== "string") return fail(`params[${i}] has no name`);
    if (!Array.isArray(p.shape) || !p.shape.every(isCount))
      return fail(`params[${i}] (${p.name}) has a bad shape ${JSON.stringify(p.shape)}`);
    const size = (p.shape as number[]).reduce((a, b) => a * b, 1);
    const length = ref(p.data, `params[${i}] (${p.name}).data`);
    if (length !== size)
      fail(`params[${i}] (${p.name}) has shape [${(p.shape as number[]).join(", ")}] but ${length} values`);
    return undefined;
  });
  if (typeof h.envId !== "string") fail(`envId must be a string, got ${JSON.stringify(h.envId)}`);
  if (!isObject(h.envKwargs)) fail("envKwargs must be an object");
  if (h.vectorMode !== "sync" && h.vectorMode !== "async")
    fail(`vectorMode must be "sync" or "async", got ${JSON.stringify(h.vectorMode)}`);
  if (!isObject(h.hyperparameters)) fail("hyperparameters must be an object");
  for (const [k, v] of Object.entries(h.hyperparameters as Record<string, unknown>)) {
    if (v !== null && typeof v !== "number" && typeof v !== "boolean")
      fail(`hyperparameters.${k} has the wrong type (${JSON.stringify(v)})`);
  }
  try {
    resolveHyperparameters(h.hyperparameters as never);
  } catch (e) {
    fail(`hyperparameters: ${(e as Error).message}`);
  }
  const tr = h.trainer;
  if (!isObject(tr)) return fail("trainer must be an object");
  if (!isCount(tr.iteration) || !isCount(tr.globalStep))
    fail("trainer.iteration and trainer.globalStep must be non-negative integers");
  if (!isObject(tr.actionRng) || !isObject(tr.shuffleRng))
    fail("trainer.actionRng and trainer.shuffleRng must be RNG states");
  if (!Array.isArray(tr.nextResetRow) || !tr.nextResetRow.every((b) => typeof b === "boolean"))
    fail("trainer.nextResetRow must be a list of booleans");
  if (!numberList(tr.episodeReturn) || !numberList(tr.episodeLength))
    fail("trainer.episodeReturn and trainer.episodeLength must be lists of numbers");
  if (tr.takenActions !== undefined && !(Array.isArray(tr.takenActions) && tr.takenActions.every(numberList))) {
    fail("trainer.takenActions must be a list of lists of numbers");
  }
  const opt = tr.optimizer;
  if (!isObject(opt) || !isCount(opt.step)) return fail("trainer.optimizer must be {step, m, v}");
  const total = (h.params as Array<{ data: { length: number } }>).reduce((a, p) => a + p.data.length, 0);
  const m = ref(opt.m, "trainer.optimizer.m");
  const v = ref(opt.v, "trainer.optimizer.v");
  // Both empty: an inference-only checkpoint (its optimizer state dropped, e.g. the web demo's).
  if (!(m === 0 && v === 0) && (m !== total || v !== total)) {
    fail(`trainer.optimizer moments must have one value per weight (${total}), or none (inference only)`);
  }
  if (h.envLogs !== null && h.envLogs !== undefined) {
    if (
      !Array.isArray(h.envLogs) ||
      !h.envLogs.every((l) => isObject(l) && numberList(l.actions) && typeof l.ended === "boolean")
    ) {
      fail("envLogs must be null or a list of {rngState, seed, options, actions, ended}");
    }
  }
  if (h.meta !== undefined && !isObject(h.meta)) fail("meta must be an object");
  return h;
}
