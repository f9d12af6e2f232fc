import { SpaceError } from "../core/errors";
import { Space } from "../core/space";
import type { SpaceDescription } from "../core/space";
import { formatValue } from "./nd";
import { checkOneOf, sampleProbabilityIndex, validateMask01, validateProbability } from "./sampling";

/** Gymnasium's default charset: ASCII letters and digits (sorted, as Gymnasium sorts a set). */
export const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Options of {@link Text}. */
export interface TextSpaceOptions {
  /** Longest string, in characters (code points). */
  maxLength: number;
  /** Shortest string (default 1). */
  minLength?: number;
  /**
   * Allowed characters: a string (order kept, duplicates dropped), an array of single
   * characters (order kept) or a Set (sorted by code point, as Gymnasium sorts a set).
   * Default {@link ALPHANUMERIC}.
   */
  charset?: string | readonly string[] | ReadonlySet<string>;
  /** Seed the sampler (see {@link Space.seed}). */
  seed?: number;
}

/** `[length, mask]` for {@link Text.sample}: either may be undefined/null. */
export type TextMask = readonly [length: number | null | undefined, charMask: ArrayLike<number> | null | undefined];

/**
 * Strings over a character set with a length in [minLength, maxLength] (Gymnasium's
 * `spaces.Text`); lengths count code points. `characterList` fixes each character's index, used
 * by masks and by flatten (which encodes a string as maxLength int32 indices, padded with
 * `characterList.length`).
 *
 * `sample({mask: [length, charMask]})`: a fixed length (or null for random) and a 0/1 mask over
 * `characterList`; `sample({probability: [length, charProbability]})` likewise with
 * probabilities. An all-zero mask gives "" when minLength is 0 and is an error otherwise.
 *
 * @example
 * ```ts
 * const names = new Text({ maxLength: 8, charset: "abc" });
 * names.seed(5);
 * names.sample();                                        // e.g. "cab"
 * names.sample({ mask: [4, Uint8Array.of(1, 0, 0)] });   // "aaaa"
 * names.contains("abd");                                 // false ("d" is not in the charset)
 * ```
 */
export class Text extends Space<string> {
  declare readonly dtype: "str";
  /** Shortest allowed length. */
  readonly minLength: number;
  /** Longest allowed length. */
  readonly maxLength: number;
  /** The characters in index order. */
  readonly characterList: readonly string[];
  /** The characters sorted by code point, as one string (Gymnasium's `characters`). */
  readonly characters: string;
  private readonly index: ReadonlyMap<string, number>;

  /** @throws SpaceError on negative or non-integer lengths, minLength > maxLength, or a charset entry that is not one character. */
  constructor(opts: TextSpaceOptions) {
    const o = (opts ?? {}) as Partial<TextSpaceOptions>;
    const maxLength = o.maxLength;
    const minLength = o.minLength ?? 1;
    if (!Number.isSafeInteger(maxLength) || (maxLength as number) < 0) {
      throw new SpaceError(`Text maxLength must be a non-negative integer, got ${formatValue(maxLength)}`);
    }
    if (!Number.isSafeInteger(minLength) || minLength < 0)
      throw new SpaceError(`Text minLength must be a non-negative integer, got ${formatValue(minLength)}`);
    if (minLength > (maxLength as number))
      throw new SpaceError(`Text minLength (${minLength}) must be <= maxLength (${maxLength})`);
    const list = charList(o.charset ?? ALPHANUMERIC);
    super(null, "str");
    this.minLength = minLength;
    this.maxLength = maxLength as number;
    this.characterList = Object.freeze(list);
    this.characters = [...list].sort(byCodePoint).join("");
    this.index = new Map(list.map((c, i) => [c, i]));
    if (o.seed !== undefined) this.seed(o.seed);
  }

  override get isFlattenable(): boolean {
    return true;
  }

  /** The index of a character in {@link characterList}, or -1. */
  characterIndex(char: string): number {
    return this.index.get(char) ?? -1;
  }

  /**
   * A random string: length uniform in [minLength, maxLength] unless fixed, characters drawn
   * uniformly from the charset, from a mask's allowed characters, or with given probabilities.
   * @throws SpaceError on both options, a length outside the bounds, a mask/probability of the
   *   wrong length or values, or an all-zero mask with minLength > 0.
   */
  sample(opts?: { mask?: TextMask; probability?: TextMask }): string {
    checkOneOf("Text", opts);
    const which = opts?.mask != null ? "mask" : opts?.probability != null ? "probability" : null;
    const arg = which === null ? undefined : (opts as Record<string, unknown>)[which];
    if (arg !== undefined && (!Array.isArray(arg) || arg.length !== 2)) {
      throw new SpaceError(`Text.sample ${which} must be a [length, charMask] pair, got ${formatValue(arg)}`);
    }
    const [lengthArg, charArg] = (arg ?? [null, null]) as unknown as TextMask;
    if (
      lengthArg != null &&
      (!Number.isInteger(lengthArg) || lengthArg < this.minLength || lengthArg > this.maxLength)
    ) {
      throw new SpaceError(
        `Text.sample length must be an integer in [${this.minLength}, ${this.maxLength}], got ${formatValue(lengthArg)}`,
      );
    }
    const nChars = this.characterList.length;
    let weights: ArrayLike<number> | null = null;
    let total = 0;
    if (charArg != null) {
      total =
        which === "mask"
          ? validateMask01(charArg, nChars, "Text.sample mask")
          : validateProbability(charArg, nChars, "Text.sample probability");
      weights = charArg;
    }
    if ((weights !== null && total === 0) || nChars === 0) {
      if (this.minLength === 0) return "";
      throw new SpaceError(
        `Text.sample: no character can be drawn (empty charset or all-zero mask) but minLength is ${this.minLength}`,
      );
    }
    const length = lengthArg ?? this.rng.integers(this.minLength, this.maxLength + 1);
    let s = "";
    for (let i = 0; i < length; i++) {
      const k = weights === null ? this.rng.integers(0, nChars) : sampleProbabilityIndex(this.rng, weights, total);
      s += this.characterList[k] as string;
    }
    return s;
  }

  /** Whether `x` is a string of allowed length made of charset characters. */
  contains(x: unknown): boolean {
    if (typeof x !== "string") return false;
    let n = 0;
    for (const c of x) {
      if (!this.index.has(c)) return false;
      n++;
    }
    return n >= this.minLength && n <= this.maxLength;
  }

  /** The string itself. */
  toJSON(x: string): unknown {
    return x;
  }

  /**
   * The string from its JSON form.
   * @throws SpaceError when it is not a string.
   */
  fromJSON(json: unknown): string {
    if (typeof json !== "string") throw new SpaceError(`Text.fromJSON: expected a string, got ${formatValue(json)}`);
    return json;
  }

  /** Same lengths and the same set of characters. */
  equals(other: Space<unknown>): boolean {
    return (
      other instanceof Text &&
      other.minLength === this.minLength &&
      other.maxLength === this.maxLength &&
      other.characters === this.characters
    );
  }

  /** `{type: "Text", minLength, maxLength, charset}` with the charset in index order. */
  describe(): SpaceDescription {
    return { type: "Text", minLength: this.minLength, maxLength: this.maxLength, charset: [...this.characterList] };
  }

  /** `Text(1, 8, charset=abc)`. */
  toString(): string {
    return `Text(${this.minLength}, ${this.maxLength}, charset=${this.characters})`;
  }
}

function byCodePoint(a: string, b: string): number {
  return (a.codePointAt(0) as number) - (b.codePointAt(0) as number);
}

function charList(charset: unknown): string[] {
  let items: unknown[];
  if (typeof charset === "string") items = Array.from(charset);
  else if (charset instanceof Set) items = [...(charset as Set<unknown>)];
  else if (Array.isArray(charset)) items = [...charset];
  else
    throw new SpaceError(`Text charset must be a string, an array or a Set of characters, got ${formatValue(charset)}`);
  const bad = items.filter((c) => typeof c !== "string" || Array.from(c).length !== 1);
  if (bad.length > 0) throw new SpaceError(`Text charset entries must be single characters, got ${formatValue(bad)}`);
  const unique = [...new Set(items as string[])];
  return charset instanceof Set ? unique.sort(byCodePoint) : unique;
}
