import { Option } from "commander";
import type { Command } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { InvalidArgumentError } from "../../core/errors";
import { generateSyntheticCoco, SYNTHETIC_SHAPES, type SyntheticShape } from "../../data";

interface MakeSyntheticCliOptions {
  outDir?: string;
  /** Old name of --out-dir. */
  out?: string;
  images: string;
  seed: string;
  size: string;
  split: string;
  categories?: string;
  quality: string;
  progress: boolean;
}

function integer(v: string, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}], got "${v}"`);
  return n;
}

/** Parse "HxW" (e.g. "375x500") into [H, W]. */
function parseSize(v: string): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`--size must look like HxW (e.g. 375x500), got "${v}"`);
  return [integer(m[1] as string, "--size H", 32, 4096), integer(m[2] as string, "--size W", 32, 4096)];
}

/**
 * Register `alignsam-gym make-synthetic`: write a synthetic COCO-format dataset
 * (generateSyntheticCoco) to a folder, e.g. to train or evaluate without downloading COCO.
 *
 * @example
 * ```sh
 * alignsam-gym make-synthetic --out-dir data/shapes --images 500 --seed 1
 * ```
 */
export function addMakeSyntheticCommand(program: Command): void {
  program
    .command("make-synthetic")
    .description("Write a synthetic COCO-format dataset (JPEG images + instances JSON) of textured shape scenes")
    .option(
      "--out-dir <dir>",
      "output folder: <dir>/images/<split>/ and <dir>/annotations/instances_<split>.json (required)",
    )
    .addOption(new Option("--out <dir>", "old name of --out-dir").hideHelp())
    .option("--images <n>", "number of images", "200")
    .option("--seed <s>", "random seed (same seed -> identical files)", "0")
    .option("--size <HxW>", "image size in pixels", "375x500")
    .option("--split <name>", "split name", "train")
    .option("--categories <list>", `comma-separated subset of ${SYNTHETIC_SHAPES.join(",")}`)
    .option("--quality <q>", "JPEG quality 1..100", "90")
    .option("--no-progress", "no progress bar")
    .action(async (o: MakeSyntheticCliOptions) => {
      const outDir = o.outDir ?? o.out;
      if (outDir === undefined)
        throw new InvalidArgumentError("make-synthetic needs --out-dir <dir>: the dataset is written there");
      const images = integer(o.images, "--images", 1);
      const categories = o.categories?.split(",").map((c) => c.trim()) as SyntheticShape[] | undefined;
      const bar = o.progress
        ? new SingleBar(
            { stream: process.stderr, format: "{bar} {value}/{total} images {eta_formatted} left" },
            Presets.shades_classic,
          )
        : null;
      bar?.start(images, 0);
      const t0 = performance.now();
      try {
        const res = await generateSyntheticCoco({
          outDir,
          images,
          seed: integer(o.seed, "--seed", 0),
          size: parseSize(o.size),
          split: o.split,
          categories,
          quality: integer(o.quality, "--quality", 1, 100),
          onProgress: (done) => bar?.update(done),
        });
        bar?.stop();
        console.log(
          `${res.images} images, ${res.annotations} annotations, categories ${res.categories.join(", ")} ` +
            `in ${((performance.now() - t0) / 1000).toFixed(1)} s -> ${res.annotationFile}`,
        );
      } finally {
        bar?.stop();
      }
    });
}
