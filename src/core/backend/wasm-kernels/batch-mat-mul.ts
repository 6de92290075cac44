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
 * from non-transposed operands, whichever of these two moves fewer elements ({@link matMulForm}):
 *   op(A)·op(B) = A'·B'              (A', B' = op(A), op(B) materialised), or
 *   op(A)·op(B) = (op(B)ᵀ · op(A)ᵀ)ᵀ  (op(X)ᵀ is X itself when X was to be transposed; e.g.
 *                                     dx = dy·Wᵀ of a dense layer packs dy, not W).
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
    return tf.tidy(() => {
      const product =
        matMulForm(m, k, n, transposeA, transposeB) === 'direct'
          ? tf.matMul(transposeA ? tf.transpose(a2) : a2, transposeB ? tf.transpose(b2) : b2)
          : tf.transpose(tf.matMul(transposeB ? b2 : tf.transpose(b2), transposeA ? a2 : tf.transpose(a2)));
      return product.reshape(outShape);
    });
  };
}

/** Cost of XNNPACK packing the right-hand operand of a product, per element, in element copies. */
const PACK_COST = 3;

/**
 * Which form {@link batchMatMulOverride} uses for op(A)·op(B), op(A) [m, k], op(B) [k, n]: the one
 * with fewer element moves, counting each transpose as one copy per element and XNNPACK's packing
 * of the right-hand operand (on every call: weights change every step) as {@link PACK_COST}:
 *   direct:  (transposeA ? m·k : 0) + (transposeB ? k·n : 0) + PACK_COST·k·n
 *   swapped: (transposeB ? 0 : k·n) + (transposeA ? 0 : m·k) + PACK_COST·m·k + m·n (result transposed)
 * Measured (CPU time, fresh tensors every call, 1 thread): a dense layer's dx = dy[64,128]·W[1600,128]ᵀ
 * 3.6 → 1.4 ms swapped; dy[32,1000]·W[1280,1000]ᵀ 15.0 → 4.3 ms; its dW = x[64,1600]ᵀ·dy[64,128]
 * stays direct (1.3 vs 2.3 ms); the weight of 3 picks the faster form on each of 8 such shapes.
 * @returns 'direct' or 'swapped'.
 */
export function matMulForm(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): 'direct' | 'swapped' {
  const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + PACK_COST * k * n;
  const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + PACK_COST * m * k + m * n;
  return direct <= swapped ? 'direct' : 'swapped';
}
