/**
 * The pooling layer of bag-of-embeddings text encoders, registered with tfjs serialization so that
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
