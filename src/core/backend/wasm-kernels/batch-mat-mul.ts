/**
 * BatchMatMul speed override for the wasm backend: tfjs-backend-wasm 4.22 sends transposed operands
 * to a scalar loop, while non-transposed float32 operands without a batch take XNNPACK's fast path.
 * Every gradient of a dense layer or matmul uses a transposed operand.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/linalg/matmul
 */
import * as tf from '@tensorflow/tfjs';
import { requireOriginal } from './kernel-install.js';

/**
 * Wraps the original BatchMatMul kernel. When `transposeA` or `transposeB` is set, both operands
 * are float32 Tensors and there is no batch (every batch dimension is 1), the product is formed
 * from non-transposed operands:
 *   op(A)·op(B) = A'·B'              (A', B' = op(A), op(B) materialised), or, when that copies
 *   op(A)·op(B) = (op(B)ᵀ · op(A)ᵀ)ᵀ  over 4× more elements (op(X)ᵀ is X itself when X was to be
 *                                     transposed; e.g. dx = dy·Wᵀ of a wide classification head).
 * Copies counted: the transposes, and the right-hand operand, which XNNPACK re-packs on every
 * call. (Measured on MNIST/MobileNet-sized products, the direct form wins unless the gap is large.)
 * Everything else (no transpose flag, batched products, other dtypes) goes to the original kernel.
 *
 * Kernel inputs: a [..., M, K] (or [..., K, M] if transposeA), b [..., K, N] (or [..., N, K] if
 * transposeB); output [..., M, N].
 *
 * @param original the backend's BatchMatMul kernel.
 * @returns the overriding kernel function.
 * @throws Error (at install time) if there is no original kernel; at run time, whatever the
 *   original throws (e.g. mismatched inner dimensions).
 */
export function batchMatMulOverride(original: tf.KernelFunc | undefined): tf.KernelFunc {
  const fallback = requireOriginal(tf.BatchMatMul, original);
  return (args) => {
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (
      (!transposeA && !transposeB) ||
      !(a instanceof tf.Tensor) ||
      !(b instanceof tf.Tensor) ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      (a.shape as number[]).slice(0, -2).some((d) => d !== 1) ||
      (b.shape as number[]).slice(0, -2).some((d) => d !== 1)
    ) {
      return fallback(args);
    }
    const a2 = a.reshape<tf.Tensor2D>(a.shape.slice(-2));
    const b2 = b.reshape<tf.Tensor2D>(b.shape.slice(-2));
    const [m, k] = transposeA ? [a2.shape[1], a2.shape[0]] : a2.shape;
    const n = transposeB ? b2.shape[0] : b2.shape[1];
    if (b2.shape[transposeB ? 1 : 0] !== k) {
      tf.dispose([a2, b2]);
      return fallback(args); // let the original report the shape error
    }
    const outShape = [...(a.rank > b.rank ? a.shape : b.shape).slice(0, -2), m, n];
    // Elements copied: transposes, plus the right-hand operand that XNNPACK packs.
    const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + k * n;
    const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + m * k + m * n;
    return tf.tidy(() => {
      const product =
        direct <= 4 * swapped
          ? tf.matMul(transposeA ? tf.transpose(a2) : a2, transposeB ? tf.transpose(b2) : b2)
          : tf.transpose(tf.matMul(transposeB ? b2 : tf.transpose(b2), transposeA ? a2 : tf.transpose(a2)));
      return product.reshape(outShape);
    });
  };
}
