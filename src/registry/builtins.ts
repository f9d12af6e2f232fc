// Built-in registrations, run when alignsam-gym (or src/registry) is imported. Each env is one
// self-contained block. Light envs pass their class; heavy ones should pass a factory that
// `require`s its module inside, so that importing the package does not load it.
import { register } from "./registration";

// ---- CartPole-v1 (Gymnasium parity: 500-step limit, solved at a mean return of 475) ----
import { CartPoleEnv } from "../envs/cartpole";

register({
  id: "CartPole-v1",
  entryPoint: CartPoleEnv,
  maxEpisodeSteps: 500,
  rewardThreshold: 475,
});

// ---- SamSegEnv-v0 (AlignSAM, CVPR 2024): needs nothing from outside. Defaults: the generated
// synthetic COCO dataset (cached after the first reset) and the weight-free GeodesicSegmenter;
// every other default is the reference's. make("SamSegEnv-v0", { dataset, segmenter, ... })
// overrides. The env truncates its own episodes at maxSteps (5), so no TimeLimit here.
import type { SamSegEnvOptions } from "../envs/sam-seg/options";

register({
  id: "SamSegEnv-v0",
  entryPoint: (kwargs: SamSegEnvOptions) => {
    // Loaded on first make(), not when the registry is imported.
    const { SamSegEnv } = require("../envs/sam-seg") as typeof import("../envs/sam-seg");
    return new SamSegEnv(kwargs);
  },
});
