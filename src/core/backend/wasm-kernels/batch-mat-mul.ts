/**
 * BatchMatMul speed override for the wasm backend: tfjs-backend-wasm 4.22 sends transposed operands
 * to a scalar loop, while non-transposed float32 operands take XNNPACK's fast path. Every gradient
 * of a dense layer or matmul uses a transposed operand.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/linalg/matmul
 */
import * as tf from '@tensorflow/tfjs';
import { requireOriginal } from './kernel-install.js';

/** Permutation swapping the last two axes of a rank-`rank` tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * Wraps the original BatchMatMul kernel. When `transposeA` or `transposeB` is set and both
 * operands are float32 Tensors, the transposed operand is materialised (a copy) and the original
 * kernel runs with both flags off: matmul(a, b, tA, tB) = matmul(tA ? aᵀ : a, tB ? bᵀ : b).
 * Everything else goes to the original unchanged.
 *
 * Kernel inputs: a [..., M, K] (or [..., K, M] if transposeA), b [..., K, N] (or [..., N, K] if
 * transposeB), batch dims broadcast; output [..., M, N].
 *
 * @param original the backend's BatchMatMul kernel.
 * @returns the overriding kernel function.
 * @throws Error (at install time) if there is no original kernel; at run time, whatever the
 *   original throws (e.g. non-float32 operands, mismatched inner dimensions).
 */
export function batchMatMulOverride(original: tf.KernelFunc | undefined): tf.KernelFunc {
  const fallback = requireOriginal(tf.BatchMatMul, original);
  return (args) => {
    const { a, b } = args.inputs;
    const attrs = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (
      (!attrs.transposeA && !attrs.transposeB) ||
      !(a instanceof tf.Tensor) ||
      !(b instanceof tf.Tensor) ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32'
    ) {
      return fallback(args);
    }
    const a2 = attrs.transposeA ? tf.transpose(a, swapLastTwo(a.rank)) : a;
    const b2 = attrs.transposeB ? tf.transpose(b, swapLastTwo(b.rank)) : b;
    try {
      return fallback({
        ...args,
        inputs: { a: a2, b: b2 },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      if (a2 !== a) a2.dispose();
      if (b2 !== b) b2.dispose();
    }
  };
}
