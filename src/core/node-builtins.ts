import { MissingDependencyError } from "./errors";

/** The Node built-in modules that platform-neutral code may use on some paths (typed, looked up at run time). */
export interface NodeBuiltins {
  "node:crypto": typeof import("node:crypto");
  "node:fs": typeof import("node:fs");
  "node:fs/promises": typeof import("node:fs/promises");
  "node:path": typeof import("node:path");
  "node:zlib": typeof import("node:zlib");
}

type GetBuiltin = (name: string) => unknown;

/**
 * A Node built-in module looked up at run time with `process.getBuiltinModule` (Node >= 20.16),
 * or null elsewhere (a browser). Modules that need Node only on some paths (a disk cache, a
 * faster hash) use this instead of a static import, so a browser bundle of them contains no
 * Node import.
 *
 * @example
 * ```ts
 * const crypto = nodeBuiltin("node:crypto"); // null in a browser
 * ```
 */
export function nodeBuiltin<K extends keyof NodeBuiltins>(name: K): NodeBuiltins[K] | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  const get = proc?.getBuiltinModule;
  return typeof get === "function" ? ((get.call(proc, name) as NodeBuiltins[K] | undefined) ?? null) : null;
}

/**
 * Like {@link nodeBuiltin}, but a clear error where the module is unavailable.
 *
 * @param feature what needs the module, for the message ("an on-disk embedding cache").
 * @throws MissingDependencyError outside Node.js (>= 20.16).
 */
export function requireNodeBuiltin<K extends keyof NodeBuiltins>(name: K, feature: string): NodeBuiltins[K] {
  const mod = nodeBuiltin(name);
  if (mod === null) {
    throw new MissingDependencyError(`${feature} needs Node.js >= 20.16 (${name}); it is not available here`);
  }
  return mod;
}
