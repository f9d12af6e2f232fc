import { SpaceError } from "../core/errors";
import { Space } from "../core/space";
import type { SpaceDescription } from "../core/space";
import { formatValue } from "./nd";
import { checkOneOf } from "./sampling";
import { sampleAtomically, seedChild, seedChildrenFromOwn } from "./seeding";
import type { SpaceSeed, SpaceValue } from "./seeding";

/** The value type of a Tuple of spaces `S`: a JS array with one value per child. */
export type TupleValue<S extends readonly Space<unknown>[]> = { -readonly [K in keyof S]: SpaceValue<S[K]> };

/**
 * The Cartesian product of spaces (Gymnasium's `spaces.Tuple`); values are JS arrays with one
 * value per child.
 *
 * Seeding: `seed(n)` seeds the tuple's own rng with n, which draws one seed per child (so one
 * integer reproduces every child); `seed([s0, s1, ...])` seeds each child directly (nested for
 * composite children); `seed()` seeds every child from fresh entropy.
 *
 * @example
 * ```ts
 * const space = new Tuple([new Discrete(2), new Box({ low: 0, high: 1, shape: [2] })]);
 * space.seed(42);
 * const [d, b] = space.sample();                 // d: number, b: NdArray<Float32Array>
 * space.sample({ mask: [Uint8Array.of(0, 1), undefined] })[0]; // 1
 * ```
 */
export class Tuple<const S extends readonly Space<unknown>[] = readonly Space<unknown>[]> extends Space<TupleValue<S>> {
  /** The child spaces, in order. */
  readonly spaces: S;

  /** @throws SpaceError when a child is not a Space. */
  constructor(spaces: S, opts: { seed?: SpaceSeed } = {}) {
    if (!Array.isArray(spaces)) throw new SpaceError(`Tuple expects an array of spaces, got ${formatValue(spaces)}`);
    spaces.forEach((s, i) => {
      if (!(s instanceof Space)) throw new SpaceError(`Tuple child ${i} is not a Space: ${formatValue(s)}`);
    });
    super(null, null);
    this.spaces = Object.freeze([...spaces]) as unknown as S;
    if (opts.seed !== undefined) this.seed(opts.seed);
  }

  /** Number of children. */
  get length(): number {
    return this.spaces.length;
  }

  /** The child spaces, in order (as Dict's `children`). */
  get children(): readonly Space<unknown>[] {
    return this.spaces;
  }

  /** Child `i`. */
  get<I extends number & keyof S>(i: I): S[I] {
    return this.spaces[i];
  }

  override get isFlattenable(): boolean {
    return this.spaces.every((s) => s.isFlattenable);
  }

  /**
   * Seed the tuple and its children (see the class doc). Returns [own seed, ...every child's
   * seeds] for an integer, else the children's seeds, flattened in order.
   * @throws SpaceError when a seed array has the wrong length; SeedError on a bad seed.
   */
  override seed(seed?: SpaceSeed): number[] {
    if (seed === undefined) return this.spaces.flatMap((s) => seedChild(s, undefined));
    if (typeof seed === "number") return seedChildrenFromOwn(this, seed, this.spaces, (n) => super.seed(n));
    if (!Array.isArray(seed) || seed.length !== this.spaces.length) {
      throw new SpaceError(
        `Tuple.seed expects a number or an array of ${this.spaces.length} seeds, got ${formatValue(seed)}`,
      );
    }
    return this.spaces.flatMap((s, i) => seedChild(s, (seed as readonly SpaceSeed[])[i]));
  }

  /**
   * One sample per child. `mask` / `probability`: arrays with one entry per child (undefined or
   * null for "none"), passed to the child's own sample.
   * @throws SpaceError when both are given or an array has the wrong length.
   */
  sample(opts?: { mask?: readonly unknown[]; probability?: readonly unknown[] }): TupleValue<S> {
    checkOneOf("Tuple", opts);
    const key = opts?.mask != null ? "mask" : opts?.probability != null ? "probability" : null;
    if (key === null) return this.spaces.map((s) => s.sample()) as TupleValue<S>;
    const per = (opts as Record<string, unknown>)[key];
    if (!Array.isArray(per) || per.length !== this.spaces.length) {
      throw new SpaceError(
        `Tuple.sample ${key} must be an array of ${this.spaces.length} entries, got ${formatValue(per)}`,
      );
    }
    return sampleAtomically(
      this,
      () => this.spaces.map((s, i) => (per[i] == null ? s.sample() : s.sample({ [key]: per[i] }))) as TupleValue<S>,
    );
  }

  /** Whether `x` is an array of the right length whose every entry is in its child space. */
  contains(x: unknown): boolean {
    return Array.isArray(x) && x.length === this.spaces.length && this.spaces.every((s, i) => s.contains(x[i]));
  }

  /** An array of the children's JSON forms. */
  toJSON(x: TupleValue<S>): unknown {
    return this.spaces.map((s, i) => s.toJSON((x as unknown[])[i]));
  }

  /**
   * A value from its JSON form.
   * @throws SpaceError when it is not an array of the right length (or a child rejects its part).
   */
  fromJSON(json: unknown): TupleValue<S> {
    if (!Array.isArray(json) || json.length !== this.spaces.length) {
      throw new SpaceError(
        `Tuple.fromJSON: expected an array of ${this.spaces.length} entries, got ${formatValue(json)}`,
      );
    }
    return this.spaces.map((s, i) => s.fromJSON(json[i])) as TupleValue<S>;
  }

  /** Same number of children and each child equal. */
  equals(other: Space<unknown>): boolean {
    return (
      other instanceof Tuple &&
      other.spaces.length === this.spaces.length &&
      this.spaces.every((s, i) => s.equals(other.spaces[i] as Space<unknown>))
    );
  }

  /** `{type: "Tuple", spaces: [child descriptions]}`. */
  describe(): SpaceDescription {
    return { type: "Tuple", spaces: this.spaces.map((s) => s.describe()) };
  }

  /** `Tuple(Discrete(2), Box(...))`. */
  toString(): string {
    return `Tuple(${this.spaces.map((s) => s.toString()).join(", ")})`;
  }
}
