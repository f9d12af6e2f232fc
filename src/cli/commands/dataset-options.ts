// The dataset flags shared by every command (train, eval, demo, embed, evaluate-segmenter, check):
// --dataset synthetic|coco|maskfolder|grabcut, --annotations, --images, --masks, --path, --split,
// --categories, --validate-files, --skip-missing-images. They turn into a plain-data DatasetSpec,
// which SamSegEnv accepts as its `dataset` option and checkpoints keep.
import { relative, join } from "node:path";
import { Option } from "commander";
import type { Command } from "commander";
import { InvalidArgumentError } from "../../core/errors";
import type { DatasetSpec } from "../../data/dataset-spec";

/** Parsed dataset flags (commander delivers them camelCased). */
export interface DatasetCliOptions {
  dataset?: string;
  annotations?: string;
  images?: string;
  masks?: string;
  path?: string;
  split?: string;
  categories?: string;
  validateFiles?: boolean;
  skipMissingImages?: boolean;
}

/** How a command uses the dataset flags. */
export interface DatasetFlagsConfig {
  /** Accepted --dataset kinds (first = the help's default when `defaultKind` is set). */
  kinds: readonly string[];
  /** Default --dataset (e.g. "synthetic" for train), or undefined: required or optional per `required`. */
  defaultKind?: string;
  /** Whether --dataset must be given. */
  required?: boolean;
  /** Default of --split (undefined: no default; with `explicitSplit`, COCO --path needs --split). */
  defaultSplit?: string;
  /** Held-out data must be named: COCO with --path needs --split (eval). */
  explicitSplit?: boolean;
}

/** Add the dataset flags to a command. */
export function addDatasetOptions(cmd: Command, config: DatasetFlagsConfig): Command {
  const kinds = config.kinds.join(" | ");
  const dataset = `--dataset <kind>`;
  const help = `dataset: ${kinds}${config.defaultKind ? ` (default ${config.defaultKind})` : ""}`;
  const splitNote =
    !config.defaultSplit && config.explicitSplit ? " (required with --path: name the held-out split)" : "";
  if (config.required) cmd.requiredOption(dataset, help);
  else cmd.option(dataset, help);
  cmd
    .option("--annotations <file>", "coco: the COCO instances JSON (e.g. annotations.json of a labelme2coco export)")
    .option(
      "--images <dir>",
      "coco: the folder the file_name entries are relative to (labelme2coco: the export root; CVAT: <export>/images); " +
        "maskfolder: the images folder",
    )
    .option("--masks <dir>", "maskfolder: the masks folder")
    .option(
      "--path <dir>",
      "dataset root: coco <path>/annotations/instances_<split>.json with <path>/images/<split>/; " +
        "maskfolder and grabcut: <path>/images/ and <path>/masks/",
    )
    .option("--split <name>", `COCO split with --path${splitNote}`, config.defaultSplit)
    .option("--categories <list>", "comma-separated target categories (default: every category with a usable instance)")
    .option("--validate-files", "check that every image file exists and is readable before starting (coco)")
    .option("--skip-missing-images", "draw another image when one is missing or unreadable instead of failing (coco)");
  return cmd;
}

/** The --categories list, or null. */
export function parseCategories(v: string | undefined): string[] | null {
  if (v === undefined) return null;
  const list = v
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  if (list.length === 0) throw new InvalidArgumentError(`--categories must list at least one category, got "${v}"`);
  return list;
}

/**
 * The DatasetSpec the flags describe, or null for the default (no --dataset, or synthetic).
 * grabcut becomes a maskfolder with the 128 band ignored.
 * @throws InvalidArgumentError naming the missing or conflicting flag.
 */
export function datasetSpecFromOptions(
  o: DatasetCliOptions,
  config: Pick<DatasetFlagsConfig, "explicitSplit"> = {},
): DatasetSpec | null {
  const kind = o.dataset;
  if (kind === undefined || kind === "synthetic") {
    const stray = (["annotations", "images", "masks", "path"] as const).find((k) => o[k] !== undefined);
    if (stray) throw new InvalidArgumentError(`--${stray} needs --dataset coco, maskfolder or grabcut`);
    return null;
  }
  const coco = kind === "coco";
  const files = {
    validateFiles: o.validateFiles === true ? true : undefined,
    skipMissingImages: o.skipMissingImages === true ? true : undefined,
  };
  if (!coco && (files.validateFiles || files.skipMissingImages)) {
    throw new InvalidArgumentError(`--validate-files and --skip-missing-images apply to --dataset coco, not ${kind}`);
  }
  if (coco) {
    if (o.masks !== undefined) {
      throw new InvalidArgumentError("--masks is for --dataset maskfolder; COCO masks are in the annotation file");
    }
    let annotationFile = o.annotations;
    let imagesDir = o.images;
    if (annotationFile === undefined) {
      if (o.path === undefined) {
        throw new InvalidArgumentError(
          "--dataset coco needs --annotations <file> --images <dir>, or --path <root> --split <name>",
        );
      }
      if (o.split === undefined) {
        throw new InvalidArgumentError(
          config.explicitSplit
            ? "name the held-out split explicitly: --split <name> (or --annotations <file> --images <dir>)"
            : "--dataset coco --path needs --split <name>",
        );
      }
      annotationFile = join(o.path, "annotations", `instances_${o.split}.json`);
      imagesDir ??= join(o.path, "images", o.split);
    }
    if (imagesDir === undefined) {
      if (o.path === undefined) {
        throw new InvalidArgumentError(
          "--annotations needs --images <dir>: the folder the annotation file's file_name entries are relative to " +
            "(labelme2coco: the folder of annotations.json, since names start with JPEGImages/; CVAT: <export>/images)",
        );
      }
      imagesDir = o.path;
    }
    const categories = parseCategories(o.categories);
    return { kind: "coco", annotationFile, imagesDir, ...(categories ? { categories } : {}), ...strip(files) };
  }
  if (kind === "maskfolder" || kind === "grabcut") {
    if (o.annotations !== undefined) throw new InvalidArgumentError(`--annotations is for --dataset coco, not ${kind}`);
    const root = o.path ?? ".";
    if (o.path === undefined && (o.images === undefined || o.masks === undefined)) {
      throw new InvalidArgumentError(
        `--dataset ${kind} needs --path <root> (with images/ and masks/) or both --images <dir> and --masks <dir>`,
      );
    }
    return {
      kind: "maskfolder",
      root,
      ...(o.images !== undefined ? { imagesDir: relative(root, o.images) || "." } : {}),
      ...(o.masks !== undefined ? { masksDir: relative(root, o.masks) || "." } : {}),
      ...(kind === "grabcut" ? { ignoreValues: [128] } : {}),
    };
  }
  throw new InvalidArgumentError(`--dataset must be synthetic, coco, maskfolder or grabcut, got "${kind}"`);
}

/**
 * The env options the flags give: `dataset` (a DatasetSpec) and, for datasets whose spec has no
 * category filter, `targetCategories`. Empty when every flag is at its default.
 */
export function datasetEnvKwargs(
  o: DatasetCliOptions,
  config: Pick<DatasetFlagsConfig, "explicitSplit"> = {},
): Record<string, unknown> {
  const spec = datasetSpecFromOptions(o, config);
  const categories = parseCategories(o.categories);
  const out: Record<string, unknown> = {};
  if (spec) out.dataset = spec;
  if (categories && spec?.kind !== "coco") out.targetCategories = categories;
  return out;
}

/** A hidden flag kept for an old spelling: using it fails with a pointer to the new one. */
export function addRenamedFlag(cmd: Command, flags: string, replacement: string): Command {
  return cmd.addOption(
    new Option(flags).hideHelp().argParser(() => {
      throw new InvalidArgumentError(`${flags.split(" ")[0]} was renamed: use ${replacement}`);
    }),
  );
}

function strip<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
