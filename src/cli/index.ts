// The alignsam-gym command line (bin: lib/cli/main.js). Commands load tfjs lazily.
export { createProgram } from "./main";
