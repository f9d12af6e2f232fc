// Node.js side of SamSegEnv: installs the default (file-cached synthetic) dataset, the
// 'human' render mode's PNG writer, and the builders of dataset and segmenter specs. Imported for its effect by envs/sam-seg/index.ts.
import { setSamSegNodeHooks } from "./node-hooks";
import { defaultSamSegDataset } from "./default-dataset";
import { HumanFrameWriter } from "./human-frames";
import { createDataset } from "../../data/dataset-spec";
import { createSegmenterFromSpec } from "../../segmenters/segmenter-spec";

setSamSegNodeHooks({
  defaultDataset: (options) => defaultSamSegDataset(options),
  humanFrameSink: (dir) => new HumanFrameWriter(dir),
  datasetFromSpec: (spec) => createDataset(spec),
  segmenterFromSpec: (spec) => createSegmenterFromSpec(spec),
});
