import { Rng, validateSeed } from "./rng";

/**
 * The base of every space (Gymnasium's `gymnasium.spaces.Space`): the set of valid actions or
 * observations of an env, with seeded sampling, membership tests and JSON conversion.
 * Concrete spaces live in src/spaces (Box, Discrete, MultiDiscrete, MultiBinary, Tuple, Dict,
 * Text); this base lives in core because `Env` is typed by it.
 *
 * @example
 * ```ts
 * const space = new Discrete(3);
 * space.seed(42);
 * const a = space.sample();   // 0, 1 or 2, reproducible for seed 42
 * space.contains(a);          // true
 * ```
 */
export abstract class Space<T = unknown> {
  /** Shape of a value ([] for scalars); null for spaces without a fixed shape (Dict, Tuple, Text). */
  readonly shape: readonly number[] | null;
  /** Element dtype ("int64" for Discrete, the Box dtype, ...); null for composite spaces. */
  readonly dtype: string | null;
  private _rng: Rng | null = null;

  protected constructor(shape: readonly number[] | null, dtype: string | null) {
    this.shape = shape === null ? null : Object.freeze([...shape]);
    this.dtype = dtype;
  }

  /** The space's random generator, created lazily from OS entropy if never seeded. */
  get rng(): Rng {
    if (this._rng === null) this._rng = new Rng();
    return this._rng;
  }

  set rng(rng: Rng) {
    this._rng = rng;
  }

  /**
   * Seed the space's sampler. Returns the seeds used (composite spaces return one per child,
   * after their own). Without a seed, a fresh random seed is drawn.
   * @throws SeedError when the seed is negative or not an integer.
   */
  seed(seed?: number): number[] {
    const rng = seed === undefined ? new Rng() : new Rng(validateSeed(seed));
    this._rng = rng;
    return [rng.seed];
  }

  /** Whether values are flattenable to a fixed-size numeric vector (utils.flatten). */
  get isFlattenable(): boolean {
    return false;
  }

  /** A random element of the space (drawn from `rng`). Subclasses accept mask/probability options. */
  abstract sample(opts?: unknown): T;

  /** Whether `x` is a valid element (type, dtype, shape and bounds). */
  abstract contains(x: unknown): boolean;

  /** A JSON-serialisable form of one element (Gymnasium's to_jsonable for one sample). */
  abstract toJSON(x: T): unknown;

  /** The inverse of {@link toJSON}. */
  abstract fromJSON(json: unknown): T;

  /** Whether `other` is the same space (type, shape, dtype, bounds, children). */
  abstract equals(other: Space<unknown>): boolean;

  /** A JSON description of the space itself (for `spaceFromJSON`). */
  abstract describe(): SpaceDescription;

  /** Human-readable form, e.g. `Discrete(3)`. */
  abstract toString(): string;
}

/** JSON description of a space: `{type: "Box", ...}`; see spaceFromJSON in src/spaces. */
export interface SpaceDescription {
  type: string;
  [key: string]: unknown;
}
