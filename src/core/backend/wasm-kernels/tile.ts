/**
 * Tile speed override for the wasm backend: tfjs-backend-wasm 4.22's Tile is an element-by-element
 * loop. Tiles that are broadcasts (every tiled axis has size 1), as in tf.broadcastTo and the
 * batch-norm gradient, become one broadcasting multiply by ones.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/tile
 */
import * as tf from '@tensorflow/tfjs';
import { requireOriginal } from './kernel-install.js';

/**
 * Wraps the original Tile kernel. When x is a float32 or int32 Tensor and for every axis either
 * reps[i] = 1 or x.shape[i] = 1 (and some rep > 1), tile(x, reps) = ones(r) · x with both operands
 * broadcast, where r[i] = reps[i] if x.shape[i] = 1, else 1. Exact, since 1·v = v for every value
 * including -0, ±Infinity and NaN. Everything else goes to the original.
 *
 * Kernel input: x of any rank R; attrs.reps: R positive integers; output shape x.shape[i]·reps[i].
 *
 * @param original the backend's Tile kernel.
 * @returns the overriding kernel function.
 * @throws Error (at install time) if there is no original kernel.
 */
export function tileOverride(original: tf.KernelFunc | undefined): tf.KernelFunc {
  const fallback = requireOriginal(tf.Tile, original);
  return (args) => {
    const { x } = args.inputs;
    const { reps } = args.attrs as unknown as tf.TileAttrs;
    const isBroadcast =
      x instanceof tf.Tensor &&
      (x.dtype === 'float32' || x.dtype === 'int32') &&
      reps.length === x.rank &&
      reps.some((r) => r > 1) &&
      reps.every((r, i) => r === 1 || x.shape[i] === 1);
    if (!isBroadcast) return fallback(args);
    // ones only along the tiled axes; the multiply broadcasts both operands to the full shape.
    const shape: number[] = x.shape;
    const onesShape = shape.map((d, i) => (d === 1 ? reps[i] : 1));
    return tf.tidy(() => tf.mul(tf.ones(onesShape, x.dtype), x));
  };
}
