// What the demo needs of "@tensorflow/tfjs" (the Vite config aliases the union package to this
// module): the core ops, the tensor methods and the cpu backend; the wasm backend is registered by
// selectBrowserBackend. The union package's WebGL backend, layers, converter and data are never
// used by alignsam-gym and would weigh about half of the page's JavaScript.
import "@tensorflow/tfjs-backend-cpu";
// Tensor methods (x.reshape(...), ...), which the union package registers and alignsam-gym uses.
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
export * from "@tensorflow/tfjs-core";
