import { MissingDependencyError } from "../core/errors";

/**
 * CLIP's BPE merges (`bpe_simple_vocab_16e6.txt.gz`, identical in openai/CLIP and CLIP_Surgery)
 * ship with the package as an asset, next to OpenAI's MIT licence notice:
 * `assets/clip/bpe_simple_vocab_16e6.txt.gz` and `assets/clip/LICENSE-openai-clip`.
 *
 * Nothing is read at import time: {@link bundledClipBpeMerges} reads and gunzips the asset on
 * first use through Node's built-in fs and zlib (looked up at call time, so a browser bundle of
 * the package never pulls them in). In a browser, fetch the file yourself and build the
 * tokenizer with `ClipBpeTokenizer.fromGzip(bytes)` or `new ClipBpeTokenizer(text)`.
 */

/** File name of the bundled merges asset (also its name in CLIP's repositories). */
export const CLIP_BPE_FILE = "bpe_simple_vocab_16e6.txt.gz";

interface NodeFs {
  readFileSync(path: string): Uint8Array;
}
interface NodeZlib {
  gunzipSync(data: Uint8Array): Uint8Array;
}
interface NodePath {
  join(...parts: string[]): string;
}

/** A Node built-in module looked up at call time, or null outside Node. */
function nodeBuiltin<T>(name: string): T | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule === "function") return (proc.getBuiltinModule(name) as T | undefined) ?? null;
  return typeof require === "function" ? (require(name) as T) : null;
}

let cached: string | null = null;

/** Path of the bundled merges asset (Node only): `<package root>/assets/clip/bpe_simple_vocab_16e6.txt.gz`. */
export function bundledClipBpePath(): string {
  const path = nodeBuiltin<NodePath>("node:path");
  if (path === null || typeof __dirname !== "string") {
    throw new MissingDependencyError(
      `the bundled ${CLIP_BPE_FILE} is read with Node's fs; outside Node pass the merges to ClipBpeTokenizer yourself`,
    );
  }
  // src/priors/ (sources) and lib/priors/ (build) both sit two levels below the package root.
  return path.join(__dirname, "..", "..", "assets", "clip", CLIP_BPE_FILE);
}

/**
 * The text of the bundled merges file (decompressed, ~1.6 MB), read once per process.
 * @throws MissingDependencyError outside Node, or when the asset is missing from the install.
 */
export function bundledClipBpeMerges(): string {
  if (cached !== null) return cached;
  const fs = nodeBuiltin<NodeFs>("node:fs");
  const zlib = nodeBuiltin<NodeZlib>("node:zlib");
  const file = bundledClipBpePath();
  if (fs === null || zlib === null) {
    throw new MissingDependencyError(
      `reading ${file} needs Node's fs and zlib; outside Node pass the merges to ClipBpeTokenizer yourself`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new MissingDependencyError(
      `cannot read CLIP's BPE merges ${file} (${(err as Error).message}); the package ships it under assets/clip/`,
      { cause: err },
    );
  }
  cached = new TextDecoder("utf-8").decode(zlib.gunzipSync(bytes));
  return cached;
}

/** Decompress gzip bytes with the platform's DecompressionStream (Node >= 18 and browsers). */
export async function gunzipText(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}
