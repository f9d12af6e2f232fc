import { InvalidArgumentError } from "./errors";

/**
 * Keys refused in option objects: through `obj[key] = value` or a merge they would replace an
 * object's prototype (`JSON.parse('{"__proto__": {...}}')` makes such an own key), so that
 * options are read from the prototype and skip every unknown-option check.
 */
export const FORBIDDEN_OPTION_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

/**
 * Check an options object (and the plain objects and arrays nested in it, as JSON gives them)
 * for {@link FORBIDDEN_OPTION_KEYS}. Class instances inside (datasets, segmenters) are not
 * entered. Only own keys count: options are read from own keys only.
 * @param where how messages name the options, e.g. `make(SamSegEnv-v0)`.
 * @throws InvalidArgumentError naming the key's path when a forbidden key is found, or when
 *   `options` itself is not an object.
 * @example
 * ```ts
 * checkOptionKeys(JSON.parse('{"__proto__": {"maxSteps": 1}}'), "make"); // throws
 * ```
 */
export function checkOptionKeys(options: unknown, where: string): void {
  if (options === null || typeof options !== "object") {
    throw new InvalidArgumentError(
      `${where}: options must be an object, got ${options === null ? "null" : typeof options}`,
    );
  }
  walk(options, where, "", new Set(), 0);
}

function walk(value: object, where: string, path: string, seen: Set<object>, depth: number): void {
  if (seen.has(value) || depth > 32) return;
  seen.add(value);
  for (const key of Object.keys(value)) {
    const at = path === "" ? key : `${path}.${key}`;
    if (FORBIDDEN_OPTION_KEYS.includes(key)) {
      throw new InvalidArgumentError(
        `${where}: option key ${JSON.stringify(at)} is not allowed (${FORBIDDEN_OPTION_KEYS.join(", ")} are refused)`,
      );
    }
    const child = (value as Record<string, unknown>)[key];
    if (child !== null && typeof child === "object" && isPlain(child)) walk(child, where, at, seen, depth + 1);
  }
}

function isPlain(v: object): boolean {
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
