/**
 * Sum and Mean speed overrides for the wasm backend: tfjs-backend-wasm 4.22 reduces only innermost
 * axes, so a reduction over leading axes (batch-norm statistics and gradients, conv bias gradients:
 * [B, H, W, C] → [C]) first transposes the whole tensor. An average pool whose single window spans
 * the reduced rows reads the tensor once with XNNPACK instead (10-40× faster on such shapes).
 * (A product with a row of ones is as fast only when the same tensor is reduced twice: XNNPACK
 * re-packs a new matmul operand on every call, and in training every operand is new.)
 * Reference: https://www.tensorflow.org/api_docs/python/tf/math/reduce_sum and
 * https://www.tensorflow.org/api_docs/python/tf/math/reduce_mean
 */
import * as tf from '@tensorflow/tfjs';
import { requireOriginal } from './kernel-install.js';

/** Below this many reduced rows the original kernel is as fast; keep it. */
const MIN_ROWS = 32;

/**
 * Builds an override for `Sum` or `Mean`. When x is a float32 Tensor and the reduced axes are
 * exactly the leading axes 0..k-1 (k < rank) spanning N ≥ {@link MIN_ROWS} rows of D kept values:
 *   mean(x) = avgPool(x as [1, N, 1, D], window [N, 1])      sum(x) = N · mean(x)
 * reshaped to the kept dims (with 1s in front when keepDims). Same values up to float32 rounding
 * of the summation order (relative error ~1e-6, like any reordering). Everything else goes to the
 * original kernel.
 *
 * @param kernelName `Sum` or `Mean`.
 * @param original the backend's kernel of that name.
 * @returns the overriding kernel function.
 * @throws Error (at install time) if there is no original kernel.
 */
export function leadingAxesReduceOverride(kernelName: typeof tf.Sum | typeof tf.Mean, original: tf.KernelFunc | undefined): tf.KernelFunc {
  const fallback = requireOriginal(kernelName, original);
  return (args) => {
    const { x } = args.inputs;
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    if (!(x instanceof tf.Tensor) || x.dtype !== 'float32' || x.size === 0) return fallback(args);
    const shape: number[] = x.shape;
    const axes = tf.util.parseAxisParam(axis, shape).sort((p, q) => p - q);
    const k = axes.length;
    if (k === 0 || k >= x.rank || axes.some((a, i) => a !== i)) return fallback(args);
    const n = shape.slice(0, k).reduce((p, d) => p * d, 1);
    if (n < MIN_ROWS) return fallback(args);
    const kept = shape.slice(k);
    const d = kept.reduce((p, v) => p * v, 1);
    const outShape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
    return tf.tidy(() => {
      const mean = tf.avgPool(x.reshape<tf.Tensor4D>([1, n, 1, d]), [n, 1], 1, 'valid');
      return (kernelName === tf.Sum ? tf.mul(mean, n) : mean).reshape(outShape);
    });
  };
}
