import { SpaceError } from "../core/errors";
import { Space } from "../core/space";
import type { SpaceDescription } from "../core/space";
import { formatValue } from "./nd";
import { checkOneOf } from "./sampling";
import { sampleAtomically, seedChild, seedChildrenFromOwn } from "./seeding";
import type { SpaceSeed, SpaceValue } from "./seeding";

/** The value type of a Dict of spaces `S`: a plain object with one value per key. */
export type DictValue<S extends Record<string, Space<unknown>>> = { -readonly [K in keyof S]: SpaceValue<S[K]> };

/** Ordered `[key, space]` pairs: the key order is kept as given (Gymnasium's OrderedDict / list input). */
export type DictEntries = readonly (readonly [string, Space<unknown>])[];

/** Compare strings by Unicode code point, as Python sorts `str` keys. */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = (x.value.codePointAt(0) as number) - (y.value.codePointAt(0) as number);
    if (d !== 0) return d;
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * A dictionary of named spaces (Gymnasium's `spaces.Dict`); values are plain objects with one
 * value per key. Keys of a plain-object argument are sorted by code point, as Gymnasium sorts
 * a dict's keys; an array of `[key, space]` pairs keeps its order. The key order is the order
 * of flattening, seeding and printing.
 *
 * Seeding: `seed(n)` seeds the dict's own rng, which draws one seed per key; `seed({key: s,
 * ...})` seeds each child directly (every key required); `seed()` seeds every child from entropy.
 *
 * @example
 * ```ts
 * const obs = new Dict({ position: new Box({ low: 0, high: 1, shape: [2] }), gripper: new Discrete(2) });
 * obs.keys;                    // ["gripper", "position"]
 * obs.seed(3);
 * const x = obs.sample();      // { gripper: 0 | 1, position: NdArray<Float32Array> }
 * obs.contains(x);             // true
 * ```
 */
export class Dict<const S extends Record<string, Space<unknown>> = Record<string, Space<unknown>>> extends Space<
  DictValue<S>
> {
  /** The child spaces by key (iterate with {@link keys} for the space's order). */
  readonly spaces: Readonly<S>;
  /** The keys in the space's order. */
  readonly keys: readonly (keyof S & string)[];

  /** @throws SpaceError on a non-Space child, a duplicate key, or an argument that is neither an object nor pairs. */
  constructor(spaces: S | DictEntries, opts: { seed?: SpaceSeed } = {}) {
    let entries: [string, unknown][];
    if (Array.isArray(spaces)) {
      entries = spaces.map((pair: unknown, i) => {
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string") {
          throw new SpaceError(`Dict entry ${i} must be a [key, space] pair, got ${formatValue(pair)}`);
        }
        return [pair[0], pair[1]] as [string, unknown];
      });
    } else if (isPlainObject(spaces)) {
      entries = Object.keys(spaces)
        .sort(compareCodePoints)
        .map((k) => [k, (spaces as Record<string, unknown>)[k]]);
    } else {
      throw new SpaceError(
        `Dict expects an object of spaces or an array of [key, space] pairs, got ${formatValue(spaces)}`,
      );
    }
    const byKey: Record<string, Space<unknown>> = Object.create(null) as Record<string, Space<unknown>>;
    for (const [key, space] of entries) {
      if (!(space instanceof Space))
        throw new SpaceError(`Dict value for key ${JSON.stringify(key)} is not a Space: ${formatValue(space)}`);
      if (Object.prototype.hasOwnProperty.call(byKey, key))
        throw new SpaceError(`Dict key ${JSON.stringify(key)} appears twice`);
      byKey[key] = space;
    }
    super(null, null);
    this.spaces = Object.freeze(byKey) as Readonly<S>;
    this.keys = Object.freeze(entries.map(([k]) => k)) as readonly (keyof S & string)[];
    if (opts.seed !== undefined) this.seed(opts.seed);
  }

  /** Number of keys. */
  get length(): number {
    return this.keys.length;
  }

  /** The child space of `key`. */
  get<K extends keyof S & string>(key: K): S[K] {
    return this.spaces[key];
  }

  /** The child spaces in key order. */
  get children(): Space<unknown>[] {
    return this.keys.map((k) => this.spaces[k] as Space<unknown>);
  }

  override get isFlattenable(): boolean {
    return this.children.every((s) => s.isFlattenable);
  }

  /**
   * Seed the dict and its children (see the class doc). Returns [own seed, ...every child's
   * seeds] for an integer, else the children's seeds, flattened in key order.
   * @throws SpaceError when a seed object's keys differ from the space's; SeedError on a bad seed.
   */
  override seed(seed?: SpaceSeed): number[] {
    if (seed === undefined) return this.children.flatMap((s) => seedChild(s, undefined));
    if (typeof seed === "number") return seedChildrenFromOwn(this, seed, this.children, (n) => super.seed(n));
    if (!isPlainObject(seed) || !this.sameKeys(seed)) {
      throw new SpaceError(
        `Dict.seed expects a number or an object with exactly the keys [${this.keys.join(", ")}], got ${formatValue(seed)}`,
      );
    }
    const perKey = seed as { readonly [key: string]: SpaceSeed };
    return this.keys.flatMap((k) => seedChild(this.spaces[k] as Space<unknown>, perKey[k]));
  }

  private sameKeys(obj: Record<string, unknown>): boolean {
    const keys = Object.keys(obj);
    return keys.length === this.keys.length && this.keys.every((k) => Object.prototype.hasOwnProperty.call(obj, k));
  }

  /**
   * One sample per key. `mask` / `probability`: objects with exactly the space's keys (a value
   * of undefined or null means "none" for that child), passed to each child's sample.
   * @throws SpaceError when both are given or the keys differ.
   */
  sample(opts?: { mask?: Record<string, unknown>; probability?: Record<string, unknown> }): DictValue<S> {
    checkOneOf("Dict", opts);
    const which = opts?.mask != null ? "mask" : opts?.probability != null ? "probability" : null;
    if (which === null) return this.build((k, space) => space.sample());
    const per = (opts as Record<string, unknown>)[which];
    if (!isPlainObject(per) || !this.sameKeys(per)) {
      throw new SpaceError(
        `Dict.sample ${which} must be an object with exactly the keys [${this.keys.join(", ")}], got ${formatValue(per)}`,
      );
    }
    return sampleAtomically(this, () =>
      this.build((k, space) => (per[k] == null ? space.sample() : space.sample({ [which]: per[k] }))),
    );
  }

  /** A plain object in key order with `f(key, child)` per key (own properties, even for "__proto__"). */
  private build<V>(f: (key: string, space: Space<unknown>) => unknown): V {
    return Object.fromEntries(this.keys.map((k) => [k, f(k, this.spaces[k] as Space<unknown>)])) as V;
  }

  /** Whether `x` is a plain object with exactly the space's keys, each value in its child space. */
  contains(x: unknown): boolean {
    if (!isPlainObject(x) || !this.sameKeys(x)) return false;
    return this.keys.every((k) => (this.spaces[k] as Space<unknown>).contains(x[k]));
  }

  /** An object of the children's JSON forms. */
  toJSON(x: DictValue<S>): unknown {
    return this.build((k, space) => space.toJSON((x as Record<string, unknown>)[k]));
  }

  /**
   * A value from its JSON form.
   * @throws SpaceError when it is not an object with exactly the space's keys.
   */
  fromJSON(json: unknown): DictValue<S> {
    if (!isPlainObject(json) || !this.sameKeys(json)) {
      throw new SpaceError(
        `Dict.fromJSON: expected an object with exactly the keys [${this.keys.join(", ")}], got ${formatValue(json)}`,
      );
    }
    return this.build((k, space) => space.fromJSON(json[k]));
  }

  /** Same keys (in any order, as Python's dict equality) and equal children. */
  equals(other: Space<unknown>): boolean {
    if (!(other instanceof Dict) || other.keys.length !== this.keys.length) return false;
    return this.keys.every((k) => {
      const o = Object.prototype.hasOwnProperty.call(other.spaces, k)
        ? (other.spaces as Record<string, Space<unknown>>)[k]
        : undefined;
      return o !== undefined && (this.spaces[k] as Space<unknown>).equals(o);
    });
  }

  /** `{type: "Dict", spaces: [[key, description], ...]}` in key order. */
  describe(): SpaceDescription {
    return { type: "Dict", spaces: this.keys.map((k) => [k, (this.spaces[k] as Space<unknown>).describe()]) };
  }

  /** `Dict('a': Discrete(2), 'b': Box(...))`. */
  toString(): string {
    return `Dict(${this.keys.map((k) => `'${k}': ${(this.spaces[k] as Space<unknown>).toString()}`).join(", ")})`;
  }
}
