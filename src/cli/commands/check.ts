import type { Command } from "commander";
import { CocoDataset, createDataset, describeDatasetSpec } from "../../data";
import type { Dataset } from "../../data";
import { DatasetError, InvalidArgumentError } from "../../core/errors";
import { addDatasetOptions, datasetSpecFromOptions, type DatasetCliOptions } from "./dataset-options";

/** What `check` found (also returned for tests). */
export interface DatasetCheckReport {
  /** Lines printed. */
  lines: string[];
  /** False when image files are missing or no category is usable. */
  ok: boolean;
}

/**
 * Load a dataset as training would and report what it holds: for COCO, the index counts
 * (annotations without segmentation, crowd, unknown references), the usable categories and every
 * missing or unreadable image file (checked up front, not decoded).
 */
export async function checkDataset(o: DatasetCliOptions): Promise<DatasetCheckReport> {
  const spec = datasetSpecFromOptions(o);
  if (spec === null) throw new InvalidArgumentError("check needs --dataset coco, maskfolder or grabcut");
  const lines: string[] = [];
  if (spec.kind === "coco") {
    const ds = new CocoDataset({ ...spec, validateFiles: true, skipMissingImages: true });
    try {
      await ds.load();
    } catch (e) {
      if (!(e instanceof DatasetError)) throw e;
      return { lines: [`error: ${e.message}`], ok: false };
    }
    const index = ds.loadedIndex!;
    const s = index.stats;
    lines.push(`${spec.annotationFile}: ${s.images} images, ${s.annotations} annotations, ${s.categories} categories`);
    lines.push(
      `  left out of sampling: ${s.noSegmentation} without segmentation (bbox-only), ` +
        `${s.unknownReference} with an unknown image or category`,
    );
    lines.push(`  crowd annotations (never targets): ${s.crowd}`);
    const unused = ds.allCategories.filter((c) => !ds.categories.includes(c));
    lines.push(`  target categories (${ds.categories.length}): ${ds.categories.join(", ")}`);
    if (unused.length) lines.push(`  without a usable instance (${unused.length}): ${unused.join(", ")}`);
    lines.push(`  images folder: ${spec.imagesDir}`);
    if (ds.missingImages.length === 0) lines.push("  every image file of a target category exists and is readable");
    else {
      lines.push(`  ${ds.missingImages.length} missing or unreadable image files:`);
      for (const m of ds.missingImages) lines.push(`    ${m.path} (image id ${m.id}): ${m.reason}`);
    }
    return { lines, ok: ds.missingImages.length === 0 };
  }
  const ds = createDataset(spec) as Dataset & { load?: () => Promise<unknown> };
  try {
    await ds.load?.();
  } catch (e) {
    if (!(e instanceof DatasetError)) throw e;
    return { lines: [`error: ${e.message}`], ok: false };
  }
  lines.push(`${describeDatasetSpec(spec)}: categories ${ds.categories.join(", ")}`);
  return { lines, ok: true };
}

/**
 * Register `alignsam-gym check`: validate a dataset before a long run.
 *
 * @example
 * ```sh
 * alignsam-gym check --dataset coco --annotations voc/annotations.json --images voc
 * ```
 */
export function addCheckCommand(program: Command): void {
  const cmd = program
    .command("check")
    .description(
      "Check a dataset: annotation counts, target categories, missing or unreadable image files (exit code 1 when any)",
    );
  addDatasetOptions(cmd, { kinds: ["coco", "maskfolder", "grabcut"], required: true });
  cmd.action(async (o: DatasetCliOptions) => {
    const r = await checkDataset(o);
    for (const l of r.lines) console.log(l);
    if (!r.ok) process.exitCode = 1;
  });
}
