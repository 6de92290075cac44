/**
 * FusedBatchNorm (tf.batchNorm: every BatchNormalization layer, in inference and in training) for
 * the wasm backend, as one multiply and one add of XNNPACK's broadcasting elementwise kernels.
 * tfjs-backend-wasm 4.22's own kernel is one scalar C++ loop that wraps four indices and divides per
 * element (`FusedBatchNorm.cc`, tensorflow/tfjs): 72 CPU ms for a [16, 112, 112, 96] activation
 * where an XNNPACK multiply or add takes ~7 ms. It was ~40 % of a MobileNet-style inference batch.
 *
 * The per-channel factors are folded first, as TensorFlow's fused batch norm and PyTorch's
 * inference path do:
 *   a = scale / sqrt(variance + ε),  b = offset − mean · a,  out = x · a + b
 * instead of the original's offset + (x − mean) · scale / sqrt(variance + ε). Mathematically equal;
 * in float32 the two differ by a few units in the last place of the larger of |x·a| and |mean·a|
 * (checked against the original and the cpu backend in `test/unit/backend/batch-norm.test.ts`).
 * A missing scale is 1, a missing offset 0.
 *
 * Fast path: float32 x of rank ≥ 1 whose mean, variance, scale and offset are each rank 1 with x's
 * last dimension (channels-last, what tfjs-layers passes) — there the original's cyclic indexing is
 * broadcasting along the last axis. Anything else goes to the original.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/nn/batch_normalization
 */
import * as tf from '@tensorflow/tfjs';
import { requireOriginal } from './kernel-install.js';

/**
 * Wraps the original FusedBatchNorm kernel (see the module comment).
 * Kernel inputs: x [..., C] float32; mean, variance [C]; optional offset, scale [C];
 * attrs.varianceEpsilon. Output: x's shape.
 * @param original the backend's FusedBatchNorm kernel.
 * @returns the overriding kernel function.
 * @throws Error (at install time) if there is no original kernel.
 */
export function batchNormOverride(original: tf.KernelFunc | undefined): tf.KernelFunc {
  const fallback = requireOriginal(tf.FusedBatchNorm, original);
  return (args) => {
    const { x, mean, variance, offset, scale } = args.inputs;
    const { varianceEpsilon } = args.attrs as unknown as tf.FusedBatchNormAttrs;
    if (!(x instanceof tf.Tensor) || x.dtype !== 'float32' || x.rank < 1) return fallback(args);
    const channels = x.shape[x.rank - 1]!;
    const params = [mean, variance, offset, scale];
    const perChannel = (t: unknown) => t instanceof tf.Tensor && t.dtype === 'float32' && t.rank === 1 && t.shape[0] === channels;
    if (!perChannel(mean) || !perChannel(variance) || params.some((t) => t !== undefined && !perChannel(t))) return fallback(args);
    return tf.tidy(() => {
      const norm = tf.sqrt(tf.add(variance as tf.Tensor1D, tf.scalar(varianceEpsilon, 'float32')));
      const a = scale !== undefined ? tf.div(scale as tf.Tensor1D, norm) : tf.reciprocal(norm);
      const shift = tf.mul(mean as tf.Tensor1D, a);
      const b = offset !== undefined ? tf.sub(offset as tf.Tensor1D, shift) : tf.neg(shift);
      return tf.add(tf.mul(x, a), b);
    });
  };
}
