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

/** The default handler: `process.emitWarning(message, "AlignSamGymWarning")`. */
export const emitProcessWarning: WarningHandler = (message) => {
  process.emitWarning(message, "AlignSamGymWarning");
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
