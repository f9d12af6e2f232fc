// Node.js side of SamSegEnv: installs the default (file-cached synthetic) dataset and the
// 'human' render mode's PNG writer. Imported for its effect by envs/sam-seg/index.ts.
import { setSamSegNodeHooks } from "./node-hooks";
import { defaultSamSegDataset } from "./default-dataset";
import { HumanFrameWriter } from "./human-frames";

setSamSegNodeHooks({
  defaultDataset: (options) => defaultSamSegDataset(options),
  humanFrameSink: (dir) => new HumanFrameWriter(dir),
});
