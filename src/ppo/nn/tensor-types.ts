// The tensor types that exported signatures of src/ppo use: tfjs's own classes here, so that the
// code in src/ and the tests see real tfjs types. The build replaces this file's declaration
// (lib/ppo/nn/tensor-types.d.ts) with tensor-types.published.d.ts, which maps the same names to
// our own interfaces (tensor-handles.ts), so the published .d.ts never import @tensorflow/tfjs.
// Keep the two files' export lists identical.
import type * as tf from "@tensorflow/tfjs";

/** A tensor of any rank. */
export type Tensor = tf.Tensor;
/** A rank-1 tensor. */
export type Tensor1D = tf.Tensor1D;
/** A rank-2 tensor. */
export type Tensor2D = tf.Tensor2D;
/** A rank-3 tensor. */
export type Tensor3D = tf.Tensor3D;
/** A rank-4 tensor. */
export type Tensor4D = tf.Tensor4D;
/** A trainable tensor. */
export type Variable = tf.Variable;
