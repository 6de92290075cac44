/**
 * A faster gradient of ClipByValue (tf.clipByValue; tfjs-layers' ReLU with `maxValue`, i.e. the
 * ReLU6 of MobileNets) on the wasm backend. tfjs-core's gradient is
 * `where(logicalAnd(x ≥ min, x ≤ max), dy, 0)`: on wasm the comparisons against a scalar, the
 * logical and and the select run as scalar loops over bool tensors, ~15× slower than an XNNPACK
 * elementwise op — about a quarter of a MobileNet-style training step. The same gradient from
 * elementwise float ops only:
 *
 *   mask = clip(1 − step(|x − clip(x, min, max)|), 0, 1);   dx = dy · mask
 *
 * |x − clip(x)| is exactly 0 inside [min, max] and > 0 outside (a float difference is zero only for
 * equal operands); step gives 1 for > 0. For NaN x the wasm clip returns `min`, step propagates the
 * NaN and the final clip turns it into 0 — the same 0 tfjs-core gives. So dx equals tfjs-core's
 * value for every x when min and max are finite (a zero may come out as −0; a non-finite dy under
 * a zero mask gives NaN instead of 0 — both only after the loss itself is no longer finite).
 * Infinite bounds, other dtypes and other backends keep tfjs-core's gradient.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/clip_by_value
 */
import * as tf from '@tensorflow/tfjs';

/** Global marker (same symbol in every copy of this module): our gradient is installed. */
const INSTALLED = Symbol.for('transfer-lab.wasm-clip-by-value-gradient');

type MarkedGradConfig = tf.GradConfig & { [INSTALLED]?: true };

/**
 * dx of clipByValue from elementwise float ops (see the module comment).
 * @param dy gradient of the output, same shape as `x`, float32.
 * @param x the forward input, float32.
 * @param min, max the finite clip bounds.
 * @returns dx, shape of `x`.
 */
export function clipByValueGrad(dy: tf.Tensor, x: tf.Tensor, min: number, max: number): tf.Tensor {
  return tf.tidy(() => {
    const outside = tf.step(tf.abs(tf.sub(x, tf.clipByValue(x, min, max))));
    const mask = tf.clipByValue(tf.sub(1, outside), 0, 1);
    return tf.mul(dy, mask);
  });
}

/**
 * Registers the wasm gradient of ClipByValue, keeping tfjs-core's gradient for every case it does
 * not handle (gradients are registered per kernel, for all backends). Idempotent.
 * @returns true when installed by this call, false when it already was.
 * @throws Error if tfjs-core has no gradient for ClipByValue to fall back to.
 */
export function registerClipByValueGradient(): boolean {
  const original = tf.getGradient(tf.ClipByValue) as MarkedGradConfig | undefined;
  if (original?.[INSTALLED]) return false;
  if (!original) throw new Error('ClipByValue: tfjs-core registers no gradient to fall back to');
  const config: MarkedGradConfig = {
    kernelName: tf.ClipByValue,
    inputsToSave: original.inputsToSave ?? ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const { clipValueMin: min, clipValueMax: max } = attrs as unknown as tf.ClipByValueAttrs;
      if (tf.getBackend() !== 'wasm' || !x || x.dtype !== 'float32' || !Number.isFinite(min) || !Number.isFinite(max) || Array.isArray(dy)) {
        return original.gradFunc(dy, saved, attrs);
      }
      return { x: () => clipByValueGrad(dy, x, min, max) };
    },
  };
  config[INSTALLED] = true;
  tf.registerGradient(config);
  return true;
}
