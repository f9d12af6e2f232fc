import { InvalidActionError, InvalidArgumentError, ResetNeededError } from "../core/errors";
import { validateSeed } from "../core/rng";
import type { Space } from "../core/space";
import { Box } from "../spaces/box";
import { Discrete } from "../spaces/discrete";
import { Tuple } from "../spaces/tuple";
import { iterate } from "../spaces/batch";
import { isNdArray } from "../spaces/nd";
import type { VectorResetOptions } from "./types";

/**
 * Per-env seeds of a vector reset (Gymnasium's rule): a number s -> [s, s+1, ..., s+n-1]; an
 * array -> one seed (or null/undefined: keep the env's stream) per env; undefined -> all
 * undefined.
 * @throws SeedError for a negative or non-integer seed; InvalidArgumentError for an array of the
 *   wrong length.
 */
export function envSeeds(seed: VectorResetOptions["seed"], numEnvs: number): (number | undefined)[] {
  if (seed === undefined || seed === null) return new Array<undefined>(numEnvs).fill(undefined);
  if (typeof seed === "number") {
    validateSeed(seed);
    return Array.from({ length: numEnvs }, (_, i) => validateSeed(seed + i, `seed + ${i}`));
  }
  if (!Array.isArray(seed))
    throw new InvalidArgumentError(`seed must be a number or an array of numbers, got ${String(seed)}`);
  if (seed.length !== numEnvs) {
    throw new InvalidArgumentError(
      `seed: an array of seeds must have one entry per env (numEnvs = ${numEnvs}), got length ${seed.length}`,
    );
  }
  return seed.map((s, i) => (s === null || s === undefined ? undefined : validateSeed(s, `seed[${i}]`)));
}

/**
 * Split reset options into the per-env options (without `resetMask`) and the reset mask
 * (null = reset every env).
 * @throws InvalidArgumentError when the mask is not boolean[numEnvs] with at least one true.
 */
export function splitResetOptions(
  options: VectorResetOptions["options"],
  numEnvs: number,
): { envOptions: Record<string, unknown> | undefined; resetMask: boolean[] | null } {
  if (options === undefined || options === null || !("resetMask" in options))
    return { envOptions: options ?? undefined, resetMask: null };
  const { resetMask, ...rest } = options;
  const mask = resetMask as unknown;
  const isArrayLike = Array.isArray(mask) || (ArrayBuffer.isView(mask) && !(mask instanceof DataView));
  if (!isArrayLike)
    throw new InvalidArgumentError(
      `options.resetMask must be a boolean array of length ${numEnvs}, got ${String(mask)}`,
    );
  const values = Array.from(mask as ArrayLike<unknown>);
  if (values.length !== numEnvs) {
    throw new InvalidArgumentError(
      `options.resetMask must have length numEnvs = ${numEnvs}, got length ${values.length}`,
    );
  }
  if (!values.every((v) => typeof v === "boolean")) {
    throw new InvalidArgumentError(`options.resetMask must hold booleans, got [${values.map(String).join(", ")}]`);
  }
  if (!values.includes(true))
    throw new InvalidArgumentError(`options.resetMask must contain at least one true, got [${values.join(", ")}]`);
  return { envOptions: rest, resetMask: values as boolean[] };
}

/**
 * The per-env actions of a batched action: the batched space's `iterate`, plus two conveniences:
 * for a Discrete single action space any array-like of n numbers (Int32Array, number[]) is
 * accepted; for non-Tuple spaces a plain array of n single actions is accepted as is.
 * @throws InvalidArgumentError when the number of actions is not numEnvs (or iterate's SpaceError).
 */
export function splitActions(
  singleSpace: Space<unknown>,
  batchedSpace: Space<unknown>,
  actions: unknown,
  numEnvs: number,
): unknown[] {
  let list: unknown[];
  if (singleSpace instanceof Discrete && ArrayBuffer.isView(actions) && !(actions instanceof DataView)) {
    list = Array.from(actions as unknown as ArrayLike<number>);
  } else if (Array.isArray(actions) && !(singleSpace instanceof Tuple) && !isNdArray(actions)) {
    list = actions;
  } else {
    list = iterate(batchedSpace, actions);
  }
  if (list.length !== numEnvs)
    throw new InvalidArgumentError(`step: expected ${numEnvs} actions (one per env), got ${list.length}`);
  return list;
}

/**
 * Check a whole batch of per-env actions before any sub-env steps, so that a bad action never
 * leaves the batch half stepped (and, in AsyncVectorEnv, never reaches a worker). An action must
 * be contained in the single action space; for a Box (continuous actions, which envs commonly
 * clip) only an NdArray of the right shape with finite values is required.
 * @throws InvalidActionError naming the first bad env index and its action.
 */
export function validateActions(singleSpace: Space<unknown>, actions: readonly unknown[]): void {
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    if (!actionFits(singleSpace, a)) {
      throw new InvalidActionError(
        `step: action ${describeAction(a)} of env ${i} is not in ${String(singleSpace)}; no env was stepped`,
      );
    }
  }
}

function actionFits(space: Space<unknown>, a: unknown): boolean {
  if (!(space instanceof Box)) return space.contains(a);
  if (!isNdArray(a) || a.shape.length !== space.shape.length || !a.shape.every((d, k) => d === space.shape[k]))
    return false;
  for (let k = 0; k < a.size; k++) {
    const idx = unravel(k, a.shape);
    if (!Number.isFinite(Number(a.get(...idx)))) return false;
  }
  return true;
}

function unravel(k: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] as number;
    idx[d] = k % n;
    k = Math.floor(k / n);
  }
  return idx;
}

function describeAction(a: unknown): string {
  if (typeof a === "string") return JSON.stringify(a);
  if (typeof a !== "object" || a === null) return String(a);
  if (isNdArray(a)) return `NdArray[${a.shape.join(", ")}]`;
  return Array.isArray(a) ? `array(${a.length})` : "object";
}

/**
 * DISABLED mode: refuse to step while some env's episode has ended.
 * @throws ResetNeededError naming the ended envs.
 */
export function assertNoneEnded(ended: readonly boolean[]): void {
  const idx = ended.flatMap((e, i) => (e ? [i] : []));
  if (idx.length > 0) {
    throw new ResetNeededError(
      `step: env${idx.length > 1 ? "s" : ""} ${idx.join(", ")} ended at the previous step and autoresetMode is Disabled; reset ${idx.length > 1 ? "them" : "it"} first with reset({ options: { resetMask } })`,
    );
  }
}

/**
 * setAttr's values: an array must have one entry per env; any other value goes to every env.
 * @throws InvalidArgumentError for an array of the wrong length.
 */
export function perEnvValues(values: unknown, numEnvs: number): unknown[] {
  if (!Array.isArray(values)) return new Array<unknown>(numEnvs).fill(values);
  if (values.length !== numEnvs)
    throw new InvalidArgumentError(
      `setAttr: expected one value per env (${numEnvs}), got an array of length ${values.length}`,
    );
  return values;
}
