import { InvalidArgumentError } from "./errors";
import { requireNodeBuiltin } from "./node-builtins";

// Node-only (files): the built-ins are looked up when used, so a browser bundle of the image
// decoders (which can read files in Node.js) holds no Node import.
const FEATURE = "reading dataset files";

/** Options of {@link readBoundedFile}. */
export interface ReadBoundedFileOptions {
  /** Refuse files larger than this many bytes (checked on the open handle before reading). */
  maxBytes: number;
  /** How errors name the file (default: the path). */
  name?: string;
}

/**
 * Read a whole file, refusing anything that is not a regular file (devices such as /dev/zero,
 * FIFOs, directories; symlinks are followed, so a link to a device is refused too) or that is
 * larger than `maxBytes`. The size is taken from the opened handle and at most that many bytes
 * are read, so a file growing meanwhile cannot blow the limit. Errors name the file, its kind
 * or size, never its contents.
 * @throws InvalidArgumentError when the file is not a regular file or is too large; the
 *   underlying Node error (ENOENT, EACCES, ...) when it cannot be opened.
 */
export async function readBoundedFile(path: string, options: ReadBoundedFileOptions): Promise<Buffer> {
  const name = options.name ?? path;
  const handle = await requireNodeBuiltin("node:fs/promises", FEATURE).open(path, "r");
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new InvalidArgumentError(`"${name}" is not a regular file`);
    if (st.size > options.maxBytes) {
      throw new InvalidArgumentError(`"${name}" is ${st.size} bytes, above the limit of ${options.maxBytes} bytes`);
    }
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const { bytesRead } = await handle.read(buf, off, buf.length - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return off === buf.length ? buf : buf.subarray(0, off);
  } finally {
    await handle.close();
  }
}

/**
 * `dir` joined with `file` (a path a data file names, e.g. a COCO `file_name`), refused unless
 * the resolved path stays inside `dir` (no "..", no absolute path leaving it). Symlinks inside
 * `dir` are not resolved (datasets are often built from links); {@link readBoundedFile} still
 * refuses links to anything but a regular file.
 * @throws InvalidArgumentError naming `what` and the offending name when it leaves `dir`.
 */
export function containedPath(dir: string, file: string, what: string): string {
  if (typeof file !== "string" || file.length === 0 || file.includes("\0")) {
    throw new InvalidArgumentError(`${what}: file name ${JSON.stringify(file)} is not a usable file name`);
  }
  const { isAbsolute, relative, resolve, sep } = requireNodeBuiltin("node:path", FEATURE);
  const root = resolve(dir);
  const full = resolve(root, file);
  const rel = relative(root, full);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new InvalidArgumentError(`${what}: file name ${JSON.stringify(file)} points outside its folder "${dir}"`);
  }
  return full;
}
