import { InvalidArgumentError } from "../core/errors";

/**
 * When a vector env resets a sub-env whose episode ended (Gymnasium 1.x `AutoresetMode`; see
 * https://farama.org/Vector-Autoreset-Mode):
 * - `NEXT_STEP` (default): the step AFTER the end resets it; that step ignores the env's action
 *   and reports reward 0, terminated = truncated = false, the reset observation and reset info.
 * - `SAME_STEP`: the ending step resets it at once; the returned observation is the reset one,
 *   the ending observation and info are in `infos.finalObs` / `infos.finalInfo` (masks
 *   `infos._finalObs` / `infos._finalInfo`).
 * - `DISABLED`: never resets by itself; stepping an ended env is an error, reset it with
 *   `reset({options: {resetMask}})`.
 *
 * @example
 * ```ts
 * const envs = new SyncVectorEnv(fns, { autoresetMode: AutoresetMode.SAME_STEP });
 * envs.metadata.autoresetMode; // "SameStep"
 * ```
 */
export enum AutoresetMode {
  NEXT_STEP = "NextStep",
  SAME_STEP = "SameStep",
  DISABLED = "Disabled",
}

const MODES: readonly string[] = Object.values(AutoresetMode);

/**
 * The AutoresetMode named by `mode` (the enum value or its string, e.g. "SameStep").
 * @throws InvalidArgumentError naming the value when it is not a mode.
 */
export function parseAutoresetMode(mode: unknown): AutoresetMode {
  if (typeof mode === "string" && MODES.includes(mode)) return mode as AutoresetMode;
  throw new InvalidArgumentError(
    `autoresetMode must be one of ${MODES.map((m) => JSON.stringify(m)).join(", ")}, got ${JSON.stringify(mode)}`,
  );
}
