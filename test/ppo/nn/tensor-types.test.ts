// The published declarations of alignsam-gym/ppo describe tensors by our own interfaces
// (src/ppo/nn/tensor-handles.ts); src/ sees tfjs's classes (tensor-types.ts) and the build swaps
// in tensor-types.published.d.ts. Checked here: both files export the same names, every src
// (tfjs) type is assignable to its published counterpart (compile time, `npm run typecheck`),
// and real tfjs tensors and variables have every member the interfaces promise, with those
// semantics (run time). The packed-package view is checked by test/packaging/pack.test.ts.
import t from "tap";
import * as tf from "@tensorflow/tfjs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { selectBackend } from "../../../src/ppo/nn/backend";
import type * as Src from "../../../src/ppo/nn/tensor-types";
import type * as Pub from "../../../src/ppo/nn/tensor-types.published";
import type { TensorHandle, VariableHandle, ExplicitPadding } from "../../../src/ppo/nn/tensor-handles";

// Compile-time: a tfjs value of each src type is accepted where the published type is expected.
type Assignable<From, To> = [From] extends [To] ? true : false;
const assignable: Record<string, true> = {
  Tensor: true as Assignable<Src.Tensor, Pub.Tensor>,
  Tensor1D: true as Assignable<Src.Tensor1D, Pub.Tensor1D>,
  Tensor2D: true as Assignable<Src.Tensor2D, Pub.Tensor2D>,
  Tensor3D: true as Assignable<Src.Tensor3D, Pub.Tensor3D>,
  Tensor4D: true as Assignable<Src.Tensor4D, Pub.Tensor4D>,
  Variable: true as Assignable<Src.Variable, Pub.Variable>,
};
const padding: Assignable<ExplicitPadding, tf.backend_util.ExplicitPadding> = true;

const nn = join(__dirname, "..", "..", "..", "src", "ppo", "nn");
function exportedTypes(file: string): string[] {
  return [...readFileSync(join(nn, file), "utf8").matchAll(/^export type (\w+)/gm)].map((m) => m[1]!).sort();
}

t.test("tensor-types.ts and its published declaration export the same names", async (t) => {
  const src = exportedTypes("tensor-types.ts");
  t.same(src, ["Tensor", "Tensor1D", "Tensor2D", "Tensor3D", "Tensor4D", "Variable"]);
  t.same(exportedTypes("tensor-types.published.d.ts"), src);
  t.same(Object.keys(assignable).sort(), src, "each name has a compile-time assignability check");
  t.equal(padding, true);
});

t.test("tfjs tensors and variables behave as TensorHandle / VariableHandle say", async (t) => {
  await selectBackend("cpu");
  const x: TensorHandle<[number, number]> = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  t.same(x.shape, [2, 3]);
  t.equal(x.dtype, "float32");
  t.equal(x.size, 6);
  t.equal(x.rank, 2);
  t.same(Array.from(x.dataSync()), [1, 2, 3, 4, 5, 6], "dataSync: row-major values");
  t.ok(x.dataSync() instanceof Float32Array);
  t.same(Array.from(await x.data()), [1, 2, 3, 4, 5, 6], "data: the same, asynchronously");
  t.ok(tf.tensor1d([1, 2], "int32").dataSync() instanceof Int32Array, "int32 tensors give an Int32Array");
  t.equal(x.isDisposed, false);
  x.dispose();
  t.equal(x.isDisposed, true, "dispose frees it");
  t.throws(() => x.dataSync(), "a disposed tensor cannot be read");

  const v: VariableHandle<[number]> = tf.variable(tf.tensor1d([1, 2]), true, "tensor-types-test");
  t.equal(v.name, "tensor-types-test");
  t.equal(v.trainable, true);
  v.assign(tf.tensor1d([3, 4]));
  t.same(Array.from(v.dataSync()), [3, 4], "assign replaces the value");
  t.throws(() => v.assign(tf.tensor1d([1, 2, 3]) as unknown as TensorHandle<[number]>), "assign keeps the shape");
  v.dispose();
});
