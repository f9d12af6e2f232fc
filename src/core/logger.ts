/**
 * Where the library's warnings go (Gymnasium's `logger.warn`): by default to Node's
 * `process.emitWarning` with type "AlignSamGymWarning" (printed to stderr, observable with
 * `process.on("warning", ...)`). Replace the handler to collect, silence or redirect them.
 *
 * @example
 * ```ts
 * const seen: string[] = [];
 * const previous = setWarningHandler((m) => seen.push(m));
 * // ... code that may warn ...
 * setWarningHandler(previous);
 * ```
 */
export type WarningHandler = (message: string) => void;

/** The default handler: `process.emitWarning(message, "AlignSamGymWarning")` (`console.warn` in a browser). */
export const emitProcessWarning: WarningHandler = (message) => {
  const proc = (globalThis as { process?: { emitWarning?: (m: string, type: string) => void } }).process;
  if (typeof proc?.emitWarning === "function") proc.emitWarning(message, "AlignSamGymWarning");
  else console.warn(`AlignSamGymWarning: ${message}`);
};

let handler: WarningHandler = emitProcessWarning;

/** Install `h` as the warning handler (null restores the default); returns the previous one. */
export function setWarningHandler(h: WarningHandler | null): WarningHandler {
  const previous = handler;
  handler = h ?? emitProcessWarning;
  return previous;
}

/** Emit a library warning through the current handler. */
export function warn(message: string): void {
  handler(message);
}
