// The install instructions of onnxruntime-node, in a module of its own: it imports no
// onnxruntime-node types, so the published .d.ts files reachable from the main entry never
// require onnxruntime-node (a consumer's tsc with skipLibCheck false works without it).

/** How to install the optional peer dependency (also printed by the error). */
export const ONNXRUNTIME_INSTALL_HINT =
  "Install it with `ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node` (or add the line " +
  "`onnxruntime-node-install=skip` to your project's .npmrc first): the skip avoids a post-install " +
  "download of CUDA files; the CPU binaries ship inside the package.";

/** How to get onnxruntime-node's GPU execution providers (printed when one cannot be loaded). */
export const ONNXRUNTIME_GPU_HINT =
  "GPU execution providers need onnxruntime-node's GPU binaries, which the npm package does not bundle: on Linux x64 " +
  "reinstall it with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm install onnxruntime-node` " +
  "(CUDA 12 and cuDNN 9 on the host; " +
  "TensorRT also needs TensorRT 10's libraries on LD_LIBRARY_PATH), or use the cpu provider.";
