import type { Dataset } from "../../data/dataset";
import type { SyntheticCocoDatasetOptions } from "../../data/synthetic/ensure-synthetic-coco";
import type { RenderFrame } from "../../core/types";
import type { DatasetSpec } from "../../data/dataset-spec";
import type { PromptableSegmenter } from "../../segmenters/promptable-segmenter";
import type { SegmenterSpec } from "../../segmenters/segmenter-spec";
import { MissingDependencyError } from "../../core/errors";

/** Where SamSegEnv's 'human' render mode puts its frames (PNG files in Node.js). */
export interface HumanFrameSink {
  /** Where the frames go (a folder). */
  readonly dir: string;
  /** Store one frame; step 0 starts a new episode. Resolves to where it went. */
  write(frame: RenderFrame, step: number): Promise<string>;
}

/**
 * The parts of SamSegEnv that need Node.js (files): the default dataset (generated into a cache
 * folder) and the 'human' render mode's PNG writer. The Node.js entry installs them
 * (`envs/sam-seg/node-setup.ts`); the browser entry does not, so a browser bundle of SamSegEnv
 * holds no Node import, and there an env needs `options.dataset`.
 */
export interface SamSegNodeHooks {
  /** The dataset used when SamSegEnv gets none (see `defaultSamSegDataset`). */
  defaultDataset(options?: SyntheticCocoDatasetOptions): Dataset;
  /** A writer of 'human' render frames into `dir`. */
  humanFrameSink(dir: string): HumanFrameSink;
  /** The dataset a plain-data spec describes (`createDataset`: COCO, mask folder, synthetic read files). */
  datasetFromSpec(spec: DatasetSpec): Dataset;
  /** The segmenter a plain-data spec describes (`createSegmenterFromSpec`: model files are checked). */
  segmenterFromSpec(spec: SegmenterSpec): PromptableSegmenter;
}

let installed: SamSegNodeHooks | null = null;

/** Install the Node.js parts of SamSegEnv (done once by the Node.js entry). */
export function setSamSegNodeHooks(hooks: SamSegNodeHooks): void {
  installed = hooks;
}

/**
 * The installed Node.js parts of SamSegEnv.
 * @param feature what needs them, for the message.
 * @throws MissingDependencyError when they are not installed (a browser bundle).
 */
export function samSegNodeHooks(feature: string): SamSegNodeHooks {
  if (installed === null) {
    throw new MissingDependencyError(
      `SamSegEnv: ${feature} needs Node.js (import "alignsam-gym"); ` +
        `in a browser, pass a Dataset and a segmenter object (not specs) and use render mode "rgb_array"`,
    );
  }
  return installed;
}
