/**
 * Identity (tf.clone), and Cast to the dtype a tensor already has, for the wasm backend without a
 * copy. tfjs-backend-wasm 4.22 copies the
 * buffer, and the engine clones every tensor it saves for the backward pass, so during training
 * each saved activation existed twice in the wasm heap and was copied once per step (on the
 * MobileNet-style net at batch 32: ~400 copies a step and hundreds of MB of heap). tfjs tensors are
 * immutable (a Variable's `assign` swaps its buffer, it never writes into one), so the clone can
 * share the buffer, reference-counted — what the cpu backend's Identity and the wasm backend's own
 * Reshape already do. Values, shape and dtype are those of the input, bit for bit. The same holds
 * for a Cast to the input's own dtype, which the ReLU gradient (dy · cast(step(x), 'float32')) does
 * on every activation it differentiates.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/identity
 */
import * as tf from '@tensorflow/tfjs';
import { requireOriginal } from './kernel-install.js';

/** What this override needs from the wasm backend: its reference counting. */
interface RefCounting {
  incRef(dataId: tf.DataId): void;
}

/**
 * Wraps the original Identity kernel: numeric and bool tensors share the input's buffer (its
 * reference count goes up by one); string tensors go to the original.
 * @param original the backend's Identity kernel.
 * @returns the overriding kernel function.
 * @throws Error (at install time) if there is no original kernel.
 */
export function identityOverride(original: tf.KernelFunc | undefined): tf.KernelFunc {
  const fallback = requireOriginal(tf.Identity, original);
  return (args) => {
    const { x } = args.inputs;
    if (!x || x.dtype === 'string') return fallback(args);
    (args.backend as unknown as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/**
 * Wraps the original Cast kernel: a cast of a numeric or bool tensor to its own dtype shares the
 * input's buffer (reference count up by one). A cast of numbers to bool is x ≠ 0 (NaN → true), as
 * on cpu: the original wraps them modulo 256 (-2 → 254 → true, 0.5 → 0 → false). Every other
 * conversion goes to the original.
 * @param original the backend's Cast kernel.
 * @returns the overriding kernel function.
 * @throws Error (at install time) if there is no original kernel.
 */
export function sameDtypeCastOverride(original: tf.KernelFunc | undefined): tf.KernelFunc {
  const fallback = requireOriginal(tf.Cast, original);
  return (args) => {
    const { x } = args.inputs;
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    if (dtype === 'bool' && x instanceof tf.Tensor && (x.dtype === 'float32' || x.dtype === 'int32')) {
      return tf.tidy(() => tf.notEqual(x, tf.scalar(0, x.dtype)));
    }
    if (!x || x.dtype === 'string' || x.dtype !== dtype) return fallback(args);
    (args.backend as unknown as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
