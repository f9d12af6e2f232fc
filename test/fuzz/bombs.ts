// Decompression bombs and crafted hostile inputs, each measured alone in a child process
// (bomb-child.ts) for its peak RSS. `prepare` writes the input files in the parent, so that
// building a bomb never counts towards the child's memory.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { Rng } from "../../src/core";
import {
  CocoDataset,
  MaskFolderDataset,
  decodeImage,
  encodePng,
  loadImage,
  polygonsToMask,
  rleDecode,
} from "../../src/data";
import ndarray from "ndarray";
import { loadCheckpoint } from "../../src/ppo/persist/checkpoint";
import { readEmbeddingFile } from "../../src/segmenters/cache/embedding-file";
import { jpegWithHeader, pngWithHeader, zeroPng } from "./crafted";

/** A bomb case: `prepare` (parent) writes its files into `dir`; `run` (child) attacks. */
export interface BombCase {
  name: string;
  /** Only in the large budget (costly to prepare). */
  largeOnly?: boolean;
  /** Near the memory cap: always measured in its own child process. */
  heavy?: boolean;
  prepare?(dir: string): void;
  run(dir: string): Promise<unknown> | unknown;
}

function coco(dir: string, sub: string, fileName: string): string {
  const root = join(dir, sub);
  mkdirSync(join(root, "images"), { recursive: true });
  const json = {
    images: [{ id: 1, file_name: fileName, height: 10, width: 10 }],
    categories: [{ id: 1, name: "cat" }],
    annotations: [
      {
        id: 7,
        image_id: 1,
        category_id: 1,
        iscrowd: 0,
        area: 16,
        bbox: [1, 1, 4, 4],
        segmentation: [[1, 1, 5, 1, 5, 5, 1, 5]],
      },
    ],
  };
  writeFileSync(join(root, "ann.json"), JSON.stringify(json));
  return root;
}

const read = (dir: string, f: string): Buffer => readFileSync(join(dir, f));

export const BOMBS: BombCase[] = [
  {
    name: "png IHDR 30000x30000, maxMegapixels 1",
    prepare: (d) => writeFileSync(join(d, "p30k.png"), pngWithHeader(30000, 30000)),
    run: (d) => decodeImage(read(d, "p30k.png"), { maxMegapixels: 1 }),
  },
  {
    name: "png IHDR 30000x30000, default cap",
    prepare: (d) => writeFileSync(join(d, "p30k.png"), pngWithHeader(30000, 30000)),
    run: (d) => decodeImage(read(d, "p30k.png")),
  },
  {
    name: "png real bomb 6000x6000 zeros (36 MP, over cap)",
    largeOnly: true,
    prepare: (d) => writeFileSync(join(d, "z6k.png"), zeroPng(6000, 6000)),
    run: (d) => decodeImage(read(d, "z6k.png")),
  },
  {
    name: "png real bomb 2400x2400 zeros (5.8 MP, at cap)",
    largeOnly: true,
    prepare: (d) => writeFileSync(join(d, "z48.png"), zeroPng(2400, 2400)),
    run: (d) => decodeImage(read(d, "z48.png")),
  },
  {
    name: "png real bomb 2000x2000 zeros",
    prepare: (d) => writeFileSync(join(d, "z2k.png"), zeroPng(2000, 2000)),
    run: (d) => decodeImage(read(d, "z2k.png")),
  },
  {
    name: "png 100x100 with a 200 MB IDAT",
    largeOnly: true,
    prepare: (d) =>
      writeFileSync(join(d, "idat.png"), pngWithHeader(100, 100, deflateSync(Buffer.alloc(200e6), { level: 9 }))),
    run: (d) => decodeImage(read(d, "idat.png")),
  },
  { name: "jpeg SOF 10000x10000 (41 bytes)", run: () => decodeImage(jpegWithHeader(10000, 10000, 3)) },
  { name: "jpeg CMYK SOF 9999x9999", run: () => decodeImage(jpegWithHeader(9999, 9999, 4)) },
  {
    name: "jpeg SOF 2400x2400, no data (5.8 MP, at cap)",
    heavy: true,
    run: () => decodeImage(jpegWithHeader(2400, 2400, 3)),
  },
  {
    name: "jpeg CMYK SOF 2400x2400, no data (at cap)",
    heavy: true,
    run: () => decodeImage(jpegWithHeader(2400, 2400, 4)),
  },
  {
    name: "polygon [-1e308,0,1e9,1e9,0,1e9] on 480x640",
    run: () => polygonsToMask([[-1e308, 0, 1e9, 1e9, 0, 1e9]], 480, 640),
  },
  {
    name: "polygon square of side 1e7 on 480x640",
    run: () => polygonsToMask([[0, 0, 1e7, 0, 1e7, 1e7, 0, 1e7]], 480, 640),
  },
  {
    name: "polygon 1e5 vertices zigzag 1e9 wide",
    run: () =>
      polygonsToMask(
        [Array.from({ length: 2e5 }, (_, i) => (i % 4 === 0 ? (i % 8 === 0 ? -1e9 : 1e9) : i / 2))],
        480,
        640,
      ),
  },
  { name: "rle size 60000x60000", run: () => rleDecode({ size: [60000, 60000], counts: [0, 3600000000] }) },
  {
    name: "rle size 10000x10000 (at cap)",
    heavy: true,
    run: () => rleDecode({ size: [10000, 10000], counts: [0, 1e8] }),
  },
  {
    name: "coco file_name ../../../../etc/passwd",
    prepare: (d) => void coco(d, "c1", "../../../../etc/passwd"),
    run: (d) => cocoSample(join(d, "c1"), false),
  },
  {
    name: "coco file_name /dev/zero (allowOutsideImagesDir)",
    prepare: (d) => void coco(d, "c2", "/dev/zero"),
    run: (d) => cocoSample(join(d, "c2"), true),
  },
  {
    name: "coco image symlink -> /dev/zero",
    prepare: (d) => symlinkSync("/dev/zero", join(coco(d, "c3", "z.png"), "images", "z.png")),
    run: (d) => cocoSample(join(d, "c3"), false),
  },
  { name: "loadImage(/dev/zero)", run: () => loadImage("/dev/zero") },
  {
    name: "mask folder: mask symlink -> /dev/zero",
    prepare: (d) => {
      mkdirSync(join(d, "mf", "images"), { recursive: true });
      mkdirSync(join(d, "mf", "masks"), { recursive: true });
      writeFileSync(join(d, "mf", "images", "a.png"), encodePng(ndarray(new Uint8Array(300), [10, 10, 3])));
      symlinkSync("/dev/zero", join(d, "mf", "masks", "a.png"));
    },
    run: (d) => new MaskFolderDataset({ root: join(d, "mf") }).sample("object", new Rng(0)),
  },
  {
    name: "embedding cache entry symlink -> /dev/zero",
    prepare: (d) => symlinkSync("/dev/zero", join(d, "emb.bin")),
    run: async (d) => {
      const r = await readEmbeddingFile(join(d, "emb.bin"));
      if (r !== "corrupt") throw new Error(`expected "corrupt", got ${typeof r}`);
    },
  },
  {
    name: "checkpoint /dev/zero",
    run: async () => loadCheckpoint("/dev/zero"),
  },
  {
    name: "checkpoint header length 2^32-1, valid checksum",
    prepare: (d) => {
      const body = Buffer.concat([Buffer.from("ASGCKPT2"), Buffer.from([255, 255, 255, 255]), Buffer.from("{}")]);
      writeFileSync(join(d, "ck.bin"), Buffer.concat([body, createHash("sha256").update(body).digest()]));
    },
    run: async (d) => loadCheckpoint(join(d, "ck.bin")),
  },
];

async function cocoSample(root: string, allowOutsideImagesDir: boolean): Promise<unknown> {
  const ds = new CocoDataset({
    annotationFile: join(root, "ann.json"),
    imagesDir: join(root, "images"),
    maxResampleAttempts: 1,
    allowOutsideImagesDir,
  });
  return ds.sample("cat", new Rng(0));
}
