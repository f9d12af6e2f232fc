// Datasets described as plain data, so that they survive JSON (CLI --env-kwargs, checkpoints,
// AsyncVectorEnv worker recipes) and are rebuilt where they are used.
import { InvalidArgumentError } from "../core/errors";
import type { Dataset } from "./dataset";
import { CocoDataset, type CocoDatasetOptions } from "./coco-dataset";
import { MaskFolderDataset, type MaskFolderDatasetOptions } from "./mask-folder-dataset";
import { SyntheticCocoDataset, type SyntheticCocoDatasetOptions } from "./synthetic/ensure-synthetic-coco";

/** A COCO-format export: an annotation file and the folder its `file_name`s are relative to. */
export interface CocoDatasetSpec extends Pick<
  CocoDatasetOptions,
  "maxInstances" | "minAreaFraction" | "maxResampleAttempts" | "validateFiles" | "skipMissingImages" | "imageCacheBytes"
> {
  kind: "coco";
  annotationFile: string;
  imagesDir: string;
  /** Category names to sample (each needs a usable instance); default: all with one. */
  categories?: string[];
}

/** A {@link MaskFolderDataset} folder. */
export interface MaskFolderDatasetSpec extends MaskFolderDatasetOptions {
  kind: "maskfolder";
}

/** The generated synthetic-shapes dataset (SamSegEnv-v0's default). */
export interface SyntheticDatasetSpec extends SyntheticCocoDatasetOptions {
  kind: "synthetic";
}

/**
 * A dataset as plain data: `SamSegEnv`'s `dataset` option accepts it (and so do `make`,
 * `--env-kwargs` and checkpoints), and {@link createDataset} builds it.
 *
 * @example
 * ```ts
 * const spec: DatasetSpec = { kind: "coco", annotationFile: "voc/annotations.json", imagesDir: "voc" };
 * const env = make("SamSegEnv-v0", { dataset: spec });
 * ```
 */
export type DatasetSpec = CocoDatasetSpec | MaskFolderDatasetSpec | SyntheticDatasetSpec;

/** The kinds of {@link DatasetSpec}. */
export const DATASET_SPEC_KINDS: readonly string[] = Object.freeze(["coco", "maskfolder", "synthetic"]);

/** Whether `v` is a plain object with a `kind` string (a {@link DatasetSpec} candidate; {@link createDataset} checks it). */
export function isDatasetSpec(v: unknown): v is DatasetSpec {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { kind?: unknown }).kind === "string";
}

/**
 * Build the dataset a spec describes (lazily loaded: nothing is read before the first sample).
 * @throws InvalidArgumentError naming an unknown kind or a missing path.
 */
export function createDataset(spec: DatasetSpec): Dataset {
  if (!isDatasetSpec(spec)) {
    throw new InvalidArgumentError(`a dataset spec must be an object with a "kind", got ${JSON.stringify(spec)}`);
  }
  const { kind, ...rest } = spec as DatasetSpec & Record<string, unknown>;
  if (kind === "coco") {
    const s = rest as Omit<CocoDatasetSpec, "kind">;
    for (const k of ["annotationFile", "imagesDir"] as const) {
      if (typeof s[k] !== "string" || s[k] === "") {
        throw new InvalidArgumentError(`dataset spec {kind: "coco"} needs ${k} (a path), got ${JSON.stringify(s[k])}`);
      }
    }
    return new CocoDataset(s);
  }
  if (kind === "maskfolder") return new MaskFolderDataset(rest as MaskFolderDatasetOptions);
  if (kind === "synthetic") return new SyntheticCocoDataset(rest as SyntheticCocoDatasetOptions);
  const kinds = DATASET_SPEC_KINDS.join(", ");
  throw new InvalidArgumentError(`unknown dataset kind ${JSON.stringify(kind)}; expected one of ${kinds}`);
}

/** A short description of a spec for logs and errors, e.g. `coco voc/annotations.json (images voc)`. */
export function describeDatasetSpec(spec: DatasetSpec): string {
  if (spec.kind === "coco") return `coco ${spec.annotationFile} (images ${spec.imagesDir})`;
  if (spec.kind === "maskfolder") return `maskfolder ${spec.root}`;
  return `synthetic ${JSON.stringify({ ...spec, kind: undefined })}`;
}
