/**
 * The pooling layer of bag-of-embeddings text encoders and the pre-padding of recurrent ones, registered with tfjs serialization so that
 * checkpoints holding it load again (`loadModelFile` imports this module).
 *
 * `MaskedPooling1D` pools token vectors [batch, tokens, dim] over tokens, leaving out padding: a
 * position whose vector is exactly zero (the `embedding` row 0, see `text/encode.ts`) is padding.
 * Keras' `GlobalAveragePooling1D` with `mask_zero=True` computes the same mean; tfjs layers lose the
 * mask through our flat op graph, so the mask is recomputed from the vectors. The mask is a constant
 * for the gradient (no gradient flows through the comparison).
 */
import * as tf from '@tensorflow/tfjs';

/** `mean` or `max` over the non-padding positions, or both concatenated (`meanMax`: [mean, max]). */
export type PoolMode = 'mean' | 'max' | 'meanMax';

/** 1 where the token vector is not all zero, else 0: [batch, tokens, 1]; no gradient. */
const tokenMask = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.cast(tf.notEqual(tf.sum(tf.abs(x), -1, true), 0), 'float32'),
  gradFunc: () => tf.zerosLike(x),
})) as unknown as Parameters<typeof tf.customGrad>[0]);

/**
 * Masked global pooling over the token axis.
 * Input [batch, tokens, dim]; output [batch, dim] (`mean`, `max`) or [batch, 2 · dim] (`meanMax`: the
 * mean in the first `dim` features, the maximum in the last `dim`, as the "concat pooling" of Howard &
 * Ruder 2018, ULMFiT). A document that is all padding pools to zeros.
 */
export class MaskedPooling1D extends tf.layers.Layer {
  static className = 'MaskedPooling1D';
  readonly mode: PoolMode;

  constructor(args: { mode?: PoolMode; name?: string; trainable?: boolean }) {
    super(args);
    this.mode = args.mode ?? 'mean';
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0]!, this.mode === 'meanMax' ? 2 * s[2]! : s[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const m = tokenMask(x) as tf.Tensor3D;
      const mean = () => tf.div(tf.sum(tf.mul(x, m), 1), tf.maximum(tf.sum(m, 1), 1)); // count [batch, 1]
      // max: padding positions pushed to −1e9, then an all-padding document gives 0
      const max = () => tf.mul(tf.max(tf.add(tf.mul(x, m), tf.mul(tf.sub(m, 1), 1e9)), 1), tf.minimum(tf.sum(m, 1), 1));
      if (this.mode === 'mean') return mean();
      if (this.mode === 'max') return max();
      return tf.concat([mean(), max()], 1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode };
  }
}

tf.serialization.registerClass(MaskedPooling1D);

/**
 * Moves each document to the end of the token window, padding first: [t0 … tn−1, 0 … 0] becomes
 * [0 … 0, t0 … tn−1] (Keras' `pad_sequences` default, `padding='pre'`), so that a recurrent layer's
 * last state follows the last token instead of a run of padding. Padding is found as in
 * {@link MaskedPooling1D} (all-zero vectors). Input and output [batch, tokens, dim]. The gradient is
 * the inverse permutation of the upstream gradient with padding positions zeroed, so the padding row
 * of a trained embedding stays zero.
 */
export class PrePad1D extends tf.layers.Layer {
  static className = 'PrePad1D';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    return prePad(x);
  }
}

/** Row-wise rotation of [batch, tokens, dim] by each row's token count (see {@link PrePad1D}). */
const prePad = tf.customGrad(((x: tf.Tensor3D, save: (t: tf.Tensor[]) => void) => {
  const [batch, length, dim] = x.shape;
  const mask = tf.cast(tf.notEqual(tf.sum(tf.abs(x), -1), 0), 'int32'); // [batch, tokens]
  const n = tf.sum(mask, 1, true); // [batch, 1]
  const k = tf.range(0, length, 1, 'int32').reshape([1, length]);
  // flat row indices into [batch · tokens, dim] (tfjs-wasm's gather with batchDims = 1 returns wrong rows)
  const row = tf.mul(tf.range(0, batch, 1, 'int32').reshape([batch, 1]), length);
  const flat = (i: tf.Tensor) => tf.cast(tf.reshape(tf.add(row, tf.mod(i, length)), [-1]), 'int32');
  const forward = flat(tf.add(k, n)); // out[k] = x[(k + n) mod L]
  const backward = flat(tf.add(tf.sub(k, n), length)); // x[j] = out[(j − n) mod L]
  const permute = (t: tf.Tensor, idx: tf.Tensor) => tf.reshape(tf.gather(tf.reshape(t, [batch * length, dim]), idx), [batch, length, dim]);
  save([backward, mask]);
  return {
    value: permute(x, forward),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(permute(dy, saved[0]!), tf.expandDims(tf.cast(saved[1]!, 'float32'), -1)),
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]);

tf.serialization.registerClass(PrePad1D);
