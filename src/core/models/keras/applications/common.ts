/**
 * Small helpers shared by the Keras Applications builders: Keras' default BatchNormalization
 * settings and `imagenet_utils.correct_pad` (tf.keras `applications/imagenet_utils.py`).
 */
import * as tf from '@tensorflow/tfjs';

/** Options every builder takes. */
export interface ApplicationOptions {
  /** Keep the ImageNet classifier (`include_top=True`); default true. */
  includeTop?: boolean;
  /** Input [h, w, 3]; default the architecture's ImageNet size. */
  inputShape?: number[];
  /** Classes of the top; default 1000 (ImageNet). */
  classes?: number;
}

/** A Keras `BatchNormalization(axis=3, name=…)` with Keras' defaults (epsilon 1e-3, momentum 0.99) unless overridden. */
export function batchNorm(name: string, o: { epsilon?: number; momentum?: number; scale?: boolean } = {}): tf.layers.Layer {
  return tf.layers.batchNormalization({ axis: 3, epsilon: o.epsilon ?? 1e-3, momentum: o.momentum ?? 0.99, scale: o.scale ?? true, name });
}

/**
 * `imagenet_utils.correct_pad`: the zero padding ((top, bottom), (left, right)) before a strided
 * "valid" convolution of `kernel` so that it matches TensorFlow's "same" padding of the original
 * implementation: ((0, 1), (0, 1)) on an even size for a 3×3 kernel.
 * @param size [h, w] of the input to pad (null dimensions count as even, as Keras does with None).
 */
export function correctPad(size: (number | null)[], kernel: number): [[number, number], [number, number]] {
  const adjust = size.map((d) => (d == null ? 1 : 1 - (d % 2)));
  const correct = Math.floor(kernel / 2);
  return [
    [correct - adjust[0]!, correct],
    [correct - adjust[1]!, correct],
  ];
}

/** Applies `layer` to `x` and returns the symbolic output. */
export const call = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;
