import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { InvalidArgumentError } from "../core/errors";
import { bundledClipBpeMerges, gunzipText } from "./clip-bpe-merges";
import { clipBasicClean, clipWhitespaceClean } from "./clip-text-clean";

/** Merges CLIP uses: lines 1 .. 49152 - 256 - 2 of the merges file (line 0 is a version header). */
const MERGE_COUNT = 49152 - 256 - 2;

/**
 * CLIP's word split (case-insensitive): the special tokens, English contractions, runs of
 * letters, single digits, runs of other non-space characters.
 */
const WORD = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/giu;

const END_OF_WORD = "</w>";

/**
 * GPT-2's reversible byte -> printable character table: printable Latin-1 bytes map to
 * themselves, the other 68 bytes to U+0100 onwards in byte order.
 */
function byteCharacters(): string[] {
  const table = new Array<string>(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = String.fromCharCode(printable ? b : next++);
  }
  return table;
}

/** The vocabulary order of CLIP: bytes, bytes + "</w>", merged symbols, then the two special tokens. */
function bytesInVocabOrder(table: readonly string[]): string[] {
  const order: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) order.push(b);
  for (let b = 0xa1; b <= 0xac; b++) order.push(b);
  for (let b = 0xae; b <= 0xff; b++) order.push(b);
  for (let b = 0; b < 256; b++) if (!order.includes(b)) order.push(b);
  return order.map((b) => table[b] as string);
}

/** Options of {@link clipTokenize} and {@link ClipBpeTokenizer.tokenize}. */
export interface ClipTokenizeOptions {
  /** Tokens per row, start and end tokens included (CLIP: 77). */
  contextLength?: number;
  /**
   * Cut over-long texts to `contextLength` tokens with the end token last (default false: an
   * over-long text is an error naming it).
   */
  truncate?: boolean;
}

/**
 * CLIP's byte-level BPE tokenizer (openai/CLIP `simple_tokenizer.py`, also CLIP Surgery's),
 * written from its description: text cleaned (see clip-text-clean.ts) and lower-cased, split
 * into words, each word's UTF-8 bytes mapped to printable characters with "</w>" on the last
 * one, then merged pair by pair in merge-rank order; ids are positions in CLIP's 49408-token
 * vocabulary (start of text 49406, end of text 49407).
 *
 * @example
 * ```ts
 * const tok = ClipBpeTokenizer.bundled();
 * tok.encode("a photo of a dog."); // [320, 1125, 539, 320, 1929, 269]
 * ```
 */
export class ClipBpeTokenizer {
  /** Id of `<|startoftext|>` (49406 with CLIP's merges). */
  readonly startToken: number;
  /** Id of `<|endoftext|>` (49407 with CLIP's merges). */
  readonly endToken: number;
  /** Vocabulary size (49408 with CLIP's merges). */
  readonly vocabSize: number;
  private readonly encoder = new Map<string, number>();
  /** Rank of a merge, keyed by "first second". */
  private readonly ranks = new Map<string, number>();
  private readonly byteChar: string[];
  private readonly wordCache = new Map<string, number[]>();
  private readonly utf8 = new TextEncoder();

  private static shared: ClipBpeTokenizer | null = null;

  /**
   * @param merges the text of CLIP's merges file (decompressed `bpe_simple_vocab_16e6.txt`).
   * @throws InvalidArgumentError when it does not hold CLIP's 48894 merges.
   */
  constructor(merges: string) {
    if (typeof merges !== "string")
      throw new InvalidArgumentError("ClipBpeTokenizer: merges must be the text of CLIP's merges file");
    const lines = merges.split("\n").slice(1, MERGE_COUNT + 1);
    this.byteChar = byteCharacters();
    const vocab = bytesInVocabOrder(this.byteChar);
    const n = vocab.length;
    for (let i = 0; i < n; i++) vocab.push((vocab[i] as string) + END_OF_WORD);
    lines.forEach((line, rank) => {
      const parts = line.split(/\s+/).filter((p) => p !== "");
      if (parts.length !== 2)
        throw new InvalidArgumentError(
          `ClipBpeTokenizer: merge line ${rank + 1} is ${JSON.stringify(line)}, expected two symbols`,
        );
      this.ranks.set(`${parts[0]} ${parts[1]}`, rank);
      vocab.push(`${parts[0]}${parts[1]}`);
    });
    if (lines.length !== MERGE_COUNT) {
      throw new InvalidArgumentError(
        `ClipBpeTokenizer: the merges file has ${lines.length} merges after its header, CLIP uses ${MERGE_COUNT}`,
      );
    }
    vocab.push("<|startoftext|>", "<|endoftext|>");
    vocab.forEach((v, i) => this.encoder.set(v, i));
    this.vocabSize = vocab.length;
    this.startToken = this.vocabSize - 2;
    this.endToken = this.vocabSize - 1;
  }

  /** The tokenizer of the merges file bundled with the package (built once per process; Node). */
  static bundled(): ClipBpeTokenizer {
    ClipBpeTokenizer.shared ??= new ClipBpeTokenizer(bundledClipBpeMerges());
    return ClipBpeTokenizer.shared;
  }

  /** A tokenizer from the gzipped merges file's bytes (any platform with DecompressionStream). */
  static async fromGzip(bytes: Uint8Array): Promise<ClipBpeTokenizer> {
    return new ClipBpeTokenizer(await gunzipText(bytes));
  }

  /** BPE ids of a text, without the start and end tokens. */
  encode(text: string): number[] {
    if (typeof text !== "string")
      throw new InvalidArgumentError(`clipTokenize: texts must be strings, got ${JSON.stringify(text)}`);
    const ids: number[] = [];
    const cleaned = clipWhitespaceClean(clipBasicClean(text)).toLowerCase();
    for (const match of cleaned.matchAll(WORD)) {
      const word = match[0];
      let mapped = "";
      for (const b of this.utf8.encode(word)) mapped += this.byteChar[b] as string;
      for (const id of this.wordIds(mapped)) ids.push(id);
    }
    return ids;
  }

  /**
   * Rows of `[start, ...ids, end]` zero-padded to `contextLength`: NdArray<Int32Array> [n, contextLength].
   * @throws InvalidArgumentError on a text over `contextLength` tokens (without `truncate`) or bad options.
   */
  tokenize(texts: string | readonly string[], options: ClipTokenizeOptions = {}): NdArray<Int32Array> {
    const list = typeof texts === "string" ? [texts] : texts;
    if (!Array.isArray(list))
      throw new InvalidArgumentError(
        `clipTokenize: texts must be a string or an array of strings, got ${typeof texts}`,
      );
    const length = options.contextLength ?? 77;
    if (!(Number.isSafeInteger(length) && length >= 2))
      throw new InvalidArgumentError(`clipTokenize: contextLength must be an integer >= 2, got ${length}`);
    const out = new Int32Array(list.length * length);
    list.forEach((text, row) => {
      const ids = [this.startToken, ...this.encode(text), this.endToken];
      if (ids.length > length) {
        if (options.truncate !== true) {
          const shown = text.length > 80 ? `${JSON.stringify(text.slice(0, 80))}...` : JSON.stringify(text);
          throw new InvalidArgumentError(
            `clipTokenize: text ${shown} is ${ids.length} tokens, over the context length ${length} (pass truncate: true to cut it)`,
          );
        }
        ids.length = length;
        ids[length - 1] = this.endToken;
      }
      out.set(ids, row * length);
    });
    return ndarray(out, [list.length, length]);
  }

  /** Ids of one mapped word: merge the lowest-ranked adjacent pair until none is known. */
  private wordIds(word: string): number[] {
    const hit = this.wordCache.get(word);
    if (hit !== undefined) return hit;
    let symbols = Array.from(word);
    symbols[symbols.length - 1] += END_OF_WORD;
    while (symbols.length > 1) {
      let best = -1,
        bestRank = Infinity;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const r = this.ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      const first = symbols[best] as string,
        second = symbols[best + 1] as string;
      const merged: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (symbols[i] === first && symbols[i + 1] === second && i + 1 < symbols.length) {
          merged.push(first + second);
          i++;
        } else merged.push(symbols[i] as string);
      }
      symbols = merged;
    }
    const ids = symbols.map((s) => {
      const id = this.encoder.get(s);
      if (id === undefined)
        throw new InvalidArgumentError(`ClipBpeTokenizer: symbol ${JSON.stringify(s)} is not in the vocabulary`);
      return id;
    });
    if (this.wordCache.size < 50000) this.wordCache.set(word, ids);
    return ids;
  }
}

/**
 * CLIP's `tokenize`: each text as `[<|startoftext|>, ...BPE ids, <|endoftext|>]`, zero-padded,
 * in an NdArray<Int32Array> [texts.length, contextLength] (default 77), with the bundled
 * merges. Over-long texts throw an InvalidArgumentError naming the text, or with `truncate`
 * are cut to `contextLength` tokens with the end token last.
 *
 * @example
 * ```ts
 * const tokens = clipTokenize(["a photo of a dog.", "a cat"]); // shape [2, 77]
 * tokens.get(0, 0); // 49406
 * ```
 */
export function clipTokenize(
  texts: string | readonly string[],
  options: ClipTokenizeOptions = {},
): NdArray<Int32Array> {
  return ClipBpeTokenizer.bundled().tokenize(texts, options);
}
