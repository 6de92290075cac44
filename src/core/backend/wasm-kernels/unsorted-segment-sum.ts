/**
 * UnsortedSegmentSum for the wasm backend (missing from tfjs-backend-wasm 4.22). tfjs uses it for the
 * gradient of tf.gather (embeddings, any gather-based head). Composed from the wasm ScatterNd kernel,
 * which accumulates duplicate indices.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/math/unsorted_segment_sum
 */
import * as tf from '@tensorflow/tfjs';
import { tensorInput } from './kernel-install.js';

/**
 * out[s, ...] = Σ_{i : ids[i] = s} x[i, ...] for s in [0, numSegments).
 *
 * Ids outside [0, numSegments) are dropped (TF drops negative ids; tfjs cpu also drops ids ≥
 * numSegments, where TF-CPU would raise). Composition: ids that are out of range are redirected to
 * a spare segment numSegments, x is flattened to [N, D], scatterND adds each row into
 * [numSegments + 1, D], and the spare segment is sliced off.
 *
 * @param x data, shape [...ids.shape, ...rest], float32 or int32.
 * @param segmentIds int32, shape equal to a prefix of x's shape.
 * @param numSegments number of output segments (≥ 0, integer).
 * @returns [numSegments, ...rest], x's dtype.
 * @throws Error if segmentIds' shape is not a prefix of x's shape, or numSegments is not a
 *   non-negative integer.
 */
export function unsortedSegmentSum(x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number): tf.Tensor {
  const kernel = 'UnsortedSegmentSum';
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`${kernel}: numSegments must be a non-negative integer, got ${numSegments}`);
  }
  const idsShape = segmentIds.shape;
  if (idsShape.length > x.rank || idsShape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`${kernel}: segmentIds shape [${idsShape.join(', ')}] must be a prefix of x shape [${x.shape.join(', ')}]`);
  }
  const rest = x.shape.slice(idsShape.length);
  const n = segmentIds.size;
  const d = rest.reduce((a, v) => a * v, 1);
  return tf.tidy(() => {
    if (n === 0 || d === 0 || numSegments === 0) return tf.zeros([numSegments, ...rest], x.dtype);
    const ids = segmentIds.reshape([n, 1]).toInt();
    const inRange = tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, numSegments));
    const safeIds = tf.where(inRange, ids, tf.fill([n, 1], numSegments, 'int32'));
    const sums = tf.scatterND(safeIds, x.reshape([n, d]), [numSegments + 1, d]);
    return tf.slice(sums, [0, 0], [numSegments, d]).reshape([numSegments, ...rest]);
  });
}

/** Kernel function for `UnsortedSegmentSum` (inputs x, segmentIds; attrs {numSegments}). */
export const unsortedSegmentSumKernel: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  return unsortedSegmentSum(tensorInput(inputs, 'x', tf.UnsortedSegmentSum), tensorInput(inputs, 'segmentIds', tf.UnsortedSegmentSum), a.numSegments);
};
