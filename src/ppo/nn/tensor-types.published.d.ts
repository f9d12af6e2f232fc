// Published declaration of tensor-types.ts (copied over lib/ppo/nn/tensor-types.d.ts by
// scripts/build.mjs): the same names, mapped to our own tensor interfaces instead of tfjs's
// classes. Keep the export list identical to tensor-types.ts.
import type {
  TensorHandle,
  Tensor1DHandle,
  Tensor2DHandle,
  Tensor3DHandle,
  Tensor4DHandle,
  VariableHandle,
} from "./tensor-handles";

/** A tensor of any rank (a `tf.Tensor` at run time). */
export type Tensor = TensorHandle;
/** A rank-1 tensor (a `tf.Tensor1D` at run time). */
export type Tensor1D = Tensor1DHandle;
/** A rank-2 tensor (a `tf.Tensor2D` at run time). */
export type Tensor2D = Tensor2DHandle;
/** A rank-3 tensor (a `tf.Tensor3D` at run time). */
export type Tensor3D = Tensor3DHandle;
/** A rank-4 tensor (a `tf.Tensor4D` at run time). */
export type Tensor4D = Tensor4DHandle;
/** A trainable tensor (a `tf.Variable` at run time). */
export type Variable = VariableHandle;
