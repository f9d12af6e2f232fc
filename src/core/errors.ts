/**
 * Typed errors of alignsam-gym. Every error the library throws on bad input is one of these,
 * so callers can branch on `instanceof` (or on `err.code`) instead of parsing messages.
 *
 * @example
 * ```ts
 * try { await env.step(5000); } catch (e) { if (e instanceof InvalidActionError) console.log(e.message); }
 * ```
 */
export class AlignSamGymError extends Error {
  /** A stable machine-readable code, e.g. "RESET_NEEDED". */
  readonly code: string;
  constructor(message: string, code = "ALIGNSAM_GYM_ERROR", options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** step() or render() called before the first reset(). */
export class ResetNeededError extends AlignSamGymError {
  constructor(message = "Cannot call env.step() before calling env.reset()") {
    super(message, "RESET_NEEDED");
  }
}

/** An action outside the action space (wrong type, out of range, NaN, ...). */
export class InvalidActionError extends AlignSamGymError {
  constructor(message: string) {
    super(message, "INVALID_ACTION");
  }
}

/** A space built with bad arguments, or a value that does not fit a space. */
export class SpaceError extends AlignSamGymError {
  constructor(message: string) {
    super(message, "SPACE_ERROR");
  }
}

/** A seed that is not a non-negative safe integer. */
export class SeedError extends AlignSamGymError {
  constructor(message: string) {
    super(message, "INVALID_SEED");
  }
}

/** A constructor option or function argument with a bad value. */
export class InvalidArgumentError extends AlignSamGymError {
  constructor(message: string) {
    super(message, "INVALID_ARGUMENT");
  }
}

/** Registry failures: unknown id, duplicate registration, bad entry point. */
export class RegistryError extends AlignSamGymError {
  constructor(message: string) {
    super(message, "REGISTRY_ERROR");
  }
}

/** A failed check of `checkEnv`; `check` names the check. */
export class EnvCheckError extends AlignSamGymError {
  readonly check: string;
  constructor(check: string, message: string) {
    super(`[checkEnv: ${check}] ${message}`, "ENV_CHECK_FAILED");
    this.check = check;
  }
}

/** Using an env or vector env after close(). */
export class ClosedEnvError extends AlignSamGymError {
  constructor(message = "The environment has been closed") {
    super(message, "ENV_CLOSED");
  }
}

/**
 * A reset() or step() called on an env while another reset() or step() of the same env is still
 * pending (await each call before the next; use a vector env to step several envs at once).
 */
export class ConcurrentCallError extends AlignSamGymError {
  constructor(message: string) {
    super(message, "CONCURRENT_CALL");
  }
}

/** Dataset problems: missing files, bad annotations, no image for a category. */
export class DatasetError extends AlignSamGymError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "DATASET_ERROR", options);
  }
}

/** Image decode/encode failures (corrupt, truncated or unsupported files). */
export class ImageDecodeError extends AlignSamGymError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "IMAGE_DECODE_ERROR", options);
  }
}

/** Segmenter failures: missing optional dependency, model contract mismatch, ... */
export class SegmenterError extends AlignSamGymError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "SEGMENTER_ERROR", options);
  }
}

/** A failure inside a vector-env worker (thrown, crashed, or timed out). */
export class WorkerError extends AlignSamGymError {
  /** Index of the env whose worker failed, when known. */
  readonly envIndex: number | null;
  constructor(message: string, envIndex: number | null = null, options?: { cause?: unknown }) {
    super(message, "WORKER_ERROR", options);
    this.envIndex = envIndex;
  }
}

/** An operation that did not finish within its timeout. */
export class TimeoutError extends AlignSamGymError {
  constructor(message: string) {
    super(message, "TIMEOUT");
  }
}

/** An optional dependency (onnxruntime-node, @tensorflow/tfjs-node, ...) is not installed. */
export class MissingDependencyError extends AlignSamGymError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "MISSING_DEPENDENCY", options);
  }
}
