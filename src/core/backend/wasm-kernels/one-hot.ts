/**
 * OneHot for the wasm backend, replacing the tfjs-backend-wasm 4.22 kernel, which ignores the dtype
 * (a float32 one-hot comes back as int32 bit patterns: 1 → 1.4e-45) and writes out of bounds for
 * indices outside [0, depth).
 * Reference: https://www.tensorflow.org/api_docs/python/tf/one_hot
 */
import * as tf from '@tensorflow/tfjs';
import { tensorInput } from './kernel-install.js';

/**
 * out[..., k] = onValue if indices[...] = k else offValue, for k in [0, depth).
 * Indices outside [0, depth) give a row of offValue, as in TF.
 *
 * Composition: equal(indices[..., None], range(depth)) selects between onValue and offValue.
 *
 * @param indices int32, any shape S.
 * @param depth number of classes (≥ 0, integer).
 * @param onValue, offValue values written (converted to `dtype`).
 * @param dtype output dtype.
 * @returns [...S, depth] of `dtype`.
 * @throws Error for a dtype other than float32, int32, bool, or a depth that is not a
 *   non-negative integer.
 */
export function oneHot(indices: tf.Tensor, depth: number, onValue: number, offValue: number, dtype: tf.DataType): tf.Tensor {
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
    throw new Error(`OneHot: dtype ${dtype} is not supported (float32, int32 or bool)`);
  }
  if (!Number.isInteger(depth) || depth < 0) {
    throw new Error(`OneHot: depth must be a non-negative integer, got ${depth}`);
  }
  const shape = [...indices.shape, depth];
  return tf.tidy(() => {
    const hit = tf.equal(tf.expandDims(indices.toInt(), -1), tf.range(0, depth, 1, 'int32'));
    const valueDtype = dtype === 'bool' ? 'float32' : dtype;
    const out = tf.where(hit, tf.fill(shape, onValue, valueDtype), tf.fill(shape, offValue, valueDtype));
    return dtype === 'bool' ? tf.notEqual(out, 0) : out;
  });
}

/** Kernel function for `OneHot` (input indices; attrs {@link tf.OneHotAttrs}). */
export const oneHotKernel: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.OneHotAttrs;
  return oneHot(tensorInput(inputs, 'indices', tf.OneHot), a.depth, a.onValue, a.offValue, a.dtype);
};
