/**
 * The `gabor` base as a tfjs model: a fixed Gabor filter bank as the first convolution, rectified,
 * max-pooled and flattened, then a throwaway classifier (dropped like every base's last layer; the
 * experiment's head replaces it). Layer names: `gabor`, `gabor_relu`, `gabor_pool` (when pool > 1),
 * `flatten`, `logits` — see {@link gaborLayerNames}.
 */
import * as tf from '@tensorflow/tfjs';
import type { ResolvedGaborBase } from '../experiment/types.js';
import { GABOR_DEFAULT_INPUT, gaborBank } from './kernel.js';

export { GABOR_DEFAULT_INPUT };

/** Output classes of the throwaway classifier. */
const PLACEHOLDER_CLASSES = 10;

/**
 * Kernel tensor values of the bank for `channels` input channels, laid out as tfjs conv2d kernels
 * [size, size, channels, filters] row-major: each Gabor kernel divided by `channels` on every channel
 * (a grey-level filter on the channel mean).
 * @returns the values and the number of filters.
 */
export function gaborConvKernel(base: ResolvedGaborBase, channels: number): { values: Float32Array; filters: number } {
  const bank = gaborBank(base);
  const f = bank.length;
  const size = base.size;
  const values = new Float32Array(size * size * channels * f);
  for (let r = 0; r < size; r++) {
    for (let q = 0; q < size; q++) {
      for (let c = 0; c < channels; c++) {
        for (let j = 0; j < f; j++) values[((r * size + q) * channels + c) * f + j] = bank[j]!.kernel[r * size + q]! / channels;
      }
    }
  }
  return { values, filters: f };
}

/**
 * Builds the `gabor` base: conv `gabor` (size×size, `same` padding, no bias, the bank as weights) →
 * `gabor_relu` → `gabor_pool` (max, window = stride = `pool`, when pool > 1) → `flatten` → `logits`
 * (dense, 10 units, seeded; dropped by `buildNetwork`).
 * @param inputShape [h, w, c]; default {@link GABOR_DEFAULT_INPUT}.
 * @returns model [batch, h, w, c] → [batch, 10].
 */
export function buildGaborBase(base: ResolvedGaborBase, seed: number, inputShape: [number, number, number] = GABOR_DEFAULT_INPUT): tf.LayersModel {
  const { values, filters } = gaborConvKernel(base, inputShape[2]);
  const input = tf.input({ shape: inputShape, name: 'input' });
  const conv = tf.layers.conv2d({ name: 'gabor', filters, kernelSize: base.size, padding: 'same', useBias: false });
  let x = conv.apply(input) as tf.SymbolicTensor;
  conv.setWeights([tf.tensor4d(values, [base.size, base.size, inputShape[2], filters])]);
  x = tf.layers.reLU({ name: 'gabor_relu' }).apply(x) as tf.SymbolicTensor;
  if (base.pool > 1) x = tf.layers.maxPooling2d({ name: 'gabor_pool', poolSize: base.pool, strides: base.pool }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ name: 'logits', units: PLACEHOLDER_CLASSES, kernelInitializer: tf.initializers.glorotUniform({ seed }) })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'gabor' });
}
