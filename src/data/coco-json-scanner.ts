import { open } from "node:fs/promises";
import { DatasetError } from "../core/errors";

/** Which top-level array of a COCO file an element comes from. */
export type CocoSection = "images" | "annotations" | "categories";

/** One element of a top-level COCO array, as raw UTF-8 bytes. */
export interface CocoElement {
  section: CocoSection;
  /** The element's JSON text with its "segmentation" value (annotations only) replaced by null. */
  json: string;
  /** The raw bytes of the "segmentation" value (annotations only; empty when absent). */
  segmentation: Uint8Array;
}

const SECTIONS = new Set<string>(["images", "annotations", "categories"]);
const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  LBRACE = 0x7b,
  RBRACE = 0x7d,
  LBRACKET = 0x5b,
  RBRACKET = 0x5d,
  COMMA = 0x2c;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/**
 * Stream a COCO instances file and hand each element of its top-level "images",
 * "annotations" and "categories" arrays to `onElement`, without ever holding the whole file:
 * a byte-level structural scanner (strings, escapes, nesting) cuts the elements out of fixed-size
 * chunks; only one element at a time is parsed with JSON.parse, and an annotation's
 * segmentation is passed on as raw bytes (parsed later, lazily). Other top-level keys ("info",
 * "licenses", ...) are skipped.
 * @throws DatasetError naming the file on a read error, a file that is not a JSON object, or a
 *   truncated file.
 */
export async function scanCocoFile(
  path: string,
  onElement: (e: CocoElement) => void,
  chunkSize = 8 << 20,
): Promise<void> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (e) {
    throw new DatasetError(`Cannot open COCO annotation file "${path}": ${(e as Error).message}`, { cause: e });
  }
  try {
    const scanner = new CocoScanner(path, onElement);
    const chunk = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunkSize, null);
      if (bytesRead === 0) break;
      scanner.push(chunk.subarray(0, bytesRead));
    }
    scanner.end();
  } finally {
    await handle.close();
  }
}

/** The incremental scanner behind {@link scanCocoFile} (also usable on in-memory buffers). */
export class CocoScanner {
  private window: Buffer = Buffer.alloc(0);
  private pos = 0; // next byte of `window` to scan
  private depth = 0;
  private stack: number[] = []; // open container chars
  private inString = false;
  private escape = false;
  private expectKey = false;
  private keyStart = -1;
  private topKey = "";
  private section: CocoSection | null = null;
  private elemStart = -1;
  private segStart = -1;
  private segEnd = -1;
  private awaitingSegValue = false;
  private sawRoot = false;

  constructor(
    private readonly path: string,
    private readonly onElement: (e: CocoElement) => void,
  ) {}

  /** Scan the next chunk of the file (the chunk may be reused by the caller afterwards). */
  push(chunk: Uint8Array): void {
    this.window = this.window.length
      ? Buffer.concat([this.window, chunk])
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.scan();
    // Keep (as a copy) only the bytes a pending element or key still needs.
    const keepFrom = this.elemStart >= 0 ? this.elemStart : this.keyStart >= 0 ? this.keyStart : this.pos;
    this.window = Buffer.from(this.window.subarray(keepFrom));
    this.shift(keepFrom);
  }

  private shift(by: number): void {
    this.pos -= by;
    if (this.elemStart >= 0) this.elemStart -= by;
    if (this.keyStart >= 0) this.keyStart -= by;
    if (this.segStart >= 0) this.segStart -= by;
    if (this.segEnd >= 0) this.segEnd -= by;
  }

  /** Finish: the file must have closed its root object. */
  end(): void {
    if (!this.sawRoot) throw new DatasetError(`"${this.path}" is not a COCO annotation file: no top-level JSON object`);
    if (this.depth !== 0 || this.inString) {
      throw new DatasetError(
        `COCO annotation file "${this.path}" is truncated (ends inside ${this.section ?? this.topKey ?? "the root object"})`,
      );
    }
  }

  private scan(): void {
    const buf = this.window;
    const n = buf.length;
    let i = this.pos;
    while (i < n) {
      const b = buf[i] as number;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === BACKSLASH) this.escape = true;
        else if (b === QUOTE) {
          this.inString = false;
          this.onStringEnd(i);
        }
        i++;
        continue;
      }
      if (b === QUOTE) {
        this.inString = true;
        if (this.expectKey && (this.depth === 1 || this.depth === 3)) this.keyStart = i + 1;
        this.markValueStart(i);
      } else if (b === LBRACE || b === LBRACKET) {
        this.markValueStart(i);
        if (this.depth === 0) {
          if (b !== LBRACE || this.sawRoot)
            throw new DatasetError(
              `"${this.path}" is not a COCO annotation file: the top level must be one JSON object`,
            );
          this.sawRoot = true;
        }
        if (this.depth === 1)
          this.section = b === LBRACKET && SECTIONS.has(this.topKey) ? (this.topKey as CocoSection) : null;
        if (this.depth === 2 && this.section) {
          this.elemStart = i;
          this.segStart = this.segEnd = -1;
        }
        this.stack.push(b);
        this.depth++;
        this.expectKey = b === LBRACE;
      } else if (b === RBRACE || b === RBRACKET) {
        if (this.depth === 3 && this.segStart >= 0 && this.segEnd < 0) this.segEnd = i;
        this.stack.pop();
        this.depth--;
        if (this.depth === 2 && this.section && this.elemStart >= 0) {
          this.emit(i + 1);
        }
        if (this.depth === 1) this.section = null;
        this.expectKey = false;
      } else if (b === COMMA) {
        if (this.depth === 3 && this.segStart >= 0 && this.segEnd < 0) this.segEnd = i;
        this.expectKey = this.stack[this.stack.length - 1] === LBRACE;
      } else if (!isSpace(b) && b !== 0x3a) {
        this.markValueStart(i); // a literal (number, true, false, null)
      }
      i++;
    }
    this.pos = i;
  }

  private markValueStart(i: number): void {
    if (this.awaitingSegValue && this.depth === 3) {
      this.segStart = i;
      this.awaitingSegValue = false;
    }
  }

  private onStringEnd(i: number): void {
    if (this.keyStart < 0) return;
    const key = this.window.toString("latin1", this.keyStart, i);
    this.keyStart = -1;
    this.expectKey = false;
    if (this.depth === 1) this.topKey = key;
    else if (this.depth === 3 && this.section === "annotations" && key === "segmentation") this.awaitingSegValue = true;
  }

  private emit(end: number): void {
    const buf = this.window;
    const start = this.elemStart;
    let json: string;
    let segmentation: Uint8Array = new Uint8Array(0);
    if (this.section === "annotations" && this.segStart >= 0 && this.segEnd > this.segStart) {
      let e = this.segEnd;
      while (e > this.segStart && isSpace(buf[e - 1] as number)) e--;
      segmentation = Uint8Array.prototype.slice.call(buf, this.segStart, e);
      json = buf.toString("utf8", start, this.segStart) + "null" + buf.toString("utf8", e, end);
    } else {
      json = buf.toString("utf8", start, end);
    }
    this.elemStart = this.segStart = this.segEnd = -1;
    this.awaitingSegValue = false;
    this.onElement({ section: this.section as CocoSection, json, segmentation });
  }
}
