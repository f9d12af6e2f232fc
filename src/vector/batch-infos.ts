import type { Info } from "../core/types";
import type { Infos } from "./types";

/**
 * Add one sub-env's info dict to the batched infos of a vector env (Gymnasium's
 * `VectorEnv._add_info`) and return `infos` (mutated in place). For each key of `info`:
 * a plain-object value recurses into a nested Infos; a number goes into a Float64Array, a
 * boolean into a boolean[] (false elsewhere), anything else into an array (null elsewhere);
 * the key `finalObs` always uses a plain array (it holds whole observations). The mask `_key`
 * (boolean[numEnvs]) gets true at `envIndex`. When envs disagree on a key's type (a number
 * here, a string there), the key falls back to a plain array keeping the earlier values.
 *
 * @example
 * ```ts
 * const infos = {};
 * addInfo(infos, { t: 3 }, 1, 2); // { t: Float64Array [0, 3], _t: [false, true] }
 * ```
 */
export function addInfo(infos: Infos, info: Info, envIndex: number, numEnvs: number): Infos {
  for (const key of Object.keys(info)) {
    const value = info[key];
    if (key !== "finalObs" && isPlainObject(value)) {
      const nested = infos[key];
      infos[key] = addInfo(isPlainObject(nested) ? nested : {}, value, envIndex, numEnvs);
    } else {
      infos[key] = storeValue(
        key === "finalObs" ? toPlainArray(infos[key], numEnvs) : infos[key],
        value,
        envIndex,
        numEnvs,
      );
    }
    const maskKey = `_${key}`;
    let mask = infos[maskKey] as boolean[] | undefined;
    if (!Array.isArray(mask)) {
      mask = new Array<boolean>(numEnvs).fill(false);
      infos[maskKey] = mask;
    }
    mask[envIndex] = true;
  }
  return infos;
}

/** Put `value` at `envIndex` of the batch array `current` (created or widened as needed). */
function storeValue(current: unknown, value: unknown, envIndex: number, numEnvs: number): unknown {
  if (current === undefined) {
    if (typeof value === "number") {
      const arr = new Float64Array(numEnvs);
      arr[envIndex] = value;
      return arr;
    }
    if (typeof value === "boolean") {
      const arr = new Array<boolean>(numEnvs).fill(false);
      arr[envIndex] = value;
      return arr;
    }
  } else if (current instanceof Float64Array) {
    if (typeof value === "number") {
      current[envIndex] = value;
      return current;
    }
  } else if (Array.isArray(current) && typeof value === "boolean" && current.every((v) => typeof v === "boolean")) {
    current[envIndex] = value;
    return current;
  }
  const arr = toPlainArray(current, numEnvs);
  arr[envIndex] = value;
  return arr;
}

/** A plain array of length numEnvs holding the values of `current` (null when absent). */
function toPlainArray(current: unknown, numEnvs: number): unknown[] {
  if (current instanceof Float64Array) return Array.from(current);
  if (Array.isArray(current)) return current;
  return new Array<unknown>(numEnvs).fill(null);
}

/** Whether `x` is a plain object (`{...}` or Object.create(null)), not an array or class instance. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}
