import { SpaceError } from "../core/errors";
import { Space } from "../core/space";
import type { SpaceDescription } from "../core/space";
import { formatValue } from "./nd";
import { checkOneOf, sampleMaskIndex, sampleProbabilityIndex, validateMask01, validateProbability } from "./sampling";
import type { SpaceSampleOptions } from "./sampling";

/** Options of {@link Discrete}. */
export interface DiscreteOptions {
  /** The smallest element (default 0). */
  start?: number;
  /** Seed the sampler (see {@link Space.seed}). */
  seed?: number;
}

const TWO_POW_32 = 4294967296;

/**
 * The integers {start, ..., start + n - 1} (Gymnasium's `spaces.Discrete`); values are plain
 * JS numbers and the dtype is reported as "int64".
 *
 * `sample({mask})`: a length-n Uint8Array of 0/1, drawing uniformly among the 1s (all zeros ->
 * `start`); `sample({probability})`: a length-n array of probabilities summing to 1.
 *
 * @example
 * ```ts
 * const actions = new Discrete(4, { start: 1 }); // {1, 2, 3, 4}
 * actions.seed(7);
 * actions.sample();                                        // e.g. 3
 * actions.sample({ mask: Uint8Array.of(0, 1, 0, 1) });    // 2 or 4
 * actions.sample({ probability: [0, 0, 1, 0] });           // 3
 * ```
 */
export class Discrete extends Space<number> {
  declare readonly shape: readonly number[];
  declare readonly dtype: "int64";
  /** Number of elements. */
  readonly n: number;
  /** The smallest element. */
  readonly start: number;
  /** Rejection limit for drawing from 32-bit words (0 when n > 2^32). */
  private readonly limit: number;

  /** @throws SpaceError when n is not a positive integer or start is not an integer. */
  constructor(n: number, opts: DiscreteOptions = {}) {
    const start = opts.start ?? 0;
    if (!Number.isSafeInteger(n) || n <= 0)
      throw new SpaceError(`Discrete n must be a positive integer, got ${formatValue(n)}`);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(start + n)) {
      throw new SpaceError(
        `Discrete start must be an integer with start + n a safe integer, got start=${formatValue(start)}`,
      );
    }
    super([], "int64");
    this.n = n;
    this.start = start;
    this.limit = n <= TWO_POW_32 ? TWO_POW_32 - (TWO_POW_32 % n) : 0;
    if (opts.seed !== undefined) this.seed(opts.seed);
  }

  override get isFlattenable(): boolean {
    return true;
  }

  /**
   * A random element: uniform, uniform among a mask's 1s, or drawn with given probabilities.
   * @throws SpaceError on both options, a mask that is not length n of 0/1, or probabilities
   *   outside [0, 1], of the wrong length, or not summing to 1.
   */
  sample(opts?: SpaceSampleOptions<ArrayLike<number>, ArrayLike<number>>): number {
    if (opts === undefined) return this.start + this.draw();
    checkOneOf("Discrete", opts);
    if (opts.mask != null) {
      const ones = validateMask01(opts.mask, this.n, "Discrete.sample mask");
      return ones === 0 ? this.start : this.start + sampleMaskIndex(this.rng, opts.mask, ones);
    }
    if (opts.probability != null) {
      const sum = validateProbability(opts.probability, this.n, "Discrete.sample probability");
      return this.start + sampleProbabilityIndex(this.rng, opts.probability, sum);
    }
    return this.start + this.draw();
  }

  /** A uniform integer in [0, n): rejection sampling on 32-bit words (the same stream as Rng.integers). */
  private draw(): number {
    const limit = this.limit;
    if (limit === 0) return this.rng.integers(0, this.n);
    const rng = this.rng;
    for (;;) {
      const x = rng.uint32();
      if (x < limit) return x % this.n;
    }
  }

  /** Whether `x` is an integer number in [start, start + n). */
  contains(x: unknown): boolean {
    return typeof x === "number" && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  /** The value itself (a number). */
  toJSON(x: number): unknown {
    return x;
  }

  /**
   * The value from its JSON form.
   * @throws SpaceError when it is not an integer.
   */
  fromJSON(json: unknown): number {
    if (typeof json !== "number" || !Number.isInteger(json))
      throw new SpaceError(`Discrete.fromJSON: expected an integer, got ${formatValue(json)}`);
    return json;
  }

  /** Same n and start. */
  equals(other: Space<unknown>): boolean {
    return other instanceof Discrete && other.n === this.n && other.start === this.start;
  }

  /** `{type: "Discrete", n, start}`. */
  describe(): SpaceDescription {
    return { type: "Discrete", n: this.n, start: this.start };
  }

  /** `Discrete(3)` or `Discrete(3, start=1)`. */
  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
