// Node.js side of the explicit agent's priors: the CLIP-Surgery provider (onnxruntime-node),
// installed for its effect by the Node.js entries (src/ppo/index.ts); the browser entry leaves it out.
import { LazyClipSurgeryPrior } from "../priors/clip-surgery-provider";
import { setClipSurgeryFactory } from "./agents/prior-provider-config";

setClipSurgeryFactory((spec) => new LazyClipSurgeryPrior(spec));
