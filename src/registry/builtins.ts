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
