/**
 * MaxPoolGrad for the wasm backend, replacing the tfjs-backend-wasm 4.22 kernel, which starts its
 * running max at the smallest positive float: windows whose values are all ≤ 0 lose their gradient
 * and ties go to the last maximum.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/raw_ops/MaxPoolGrad
 */
import * as tf from '@tensorflow/tfjs';
import { fromPhaseMajor, padOrCrop, toPhaseMajor } from './spatial.js';
import { tensorInput } from './kernel-install.js';

type Pair = [number, number] | number;
type Padding = tf.MaxPoolGradAttrs['pad'];
type RoundingMode = tf.MaxPoolGradAttrs['dimRoundingMode'];

/** Most negative finite float32. */
const LOWEST_FLOAT32 = -3.4028234663852886e38;

/**
 * Gradient of tf.maxPool with respect to its input: each window's dy goes to the first maximum of
 * the window in row-major order (TF and tfjs-cpu semantics); overlapping windows add up. Padding
 * never receives gradient, nor does a window whose values are all -Infinity. (A window holding
 * +Infinity or NaN gives NaN gradients to its positions.)
 *
 * Composition, without comparisons or scatters (both slow on wasm), for K = fh·fw taps and
 * M = B·oh·ow·C window-channels:
 *   1. y = maxPool(x) (the forward output, or recomputed); x is padded with -Infinity to whole stride phases and laid out
 *      phase-major, so tap (kh, kw) of every window is phase (kh mod sh, kw mod sw) shifted by
 *      (⌊kh/sh⌋, ⌊kw/sw⌋): T [K, M]. When the pool size equals the stride the phases are the taps.
 *   2. rank_k = K - k for tap k in row-major order. key = relu(K·floor(T - y) + rank) is rank_k where
 *      tap k equals the window maximum and 0 elsewhere (floor(T - y) is 0 or ≤ -1, exactly).
 *   3. best = max over k of key (a max-pool over the tap axis) is the rank of the first maximum, and
 *      relu(key - (best - 1)) is 1 for that tap only; times dy it is each tap's share.
 *   4. Shares go back to their phases (shifted, summed where windows overlap), the phases are
 *      interleaved and the padding is cropped.
 *
 * @param dy gradient of the pooled output, [B, oh, ow, C], float32.
 * @param x input of the forward maxPool, [B, H, W, C] (NHWC), float32.
 * @param filterSize, strides, pad, dimRoundingMode as given to tf.maxPool (dilation 1).
 * @param output the forward output maxPool(x) when the caller has it (the kernel's `output`
 *   input); recomputed otherwise.
 * @returns dx, [B, H, W, C].
 * @throws Error if dy's shape (or output's) is not the pooled shape of x.
 */
export function maxPoolGrad(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  filterSize: Pair,
  strides: Pair,
  pad: Padding,
  dimRoundingMode?: RoundingMode,
  output?: tf.Tensor4D,
): tf.Tensor4D {
  const info = tf.backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad, dimRoundingMode);
  const [b, h, w, c] = x.shape;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const { outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const expected = [b, oh, ow, c];
  if (dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`MaxPoolGrad: dy has shape [${dy.shape.join(', ')}], expected [${expected.join(', ')}]`);
  }
  if (output && output.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`MaxPoolGrad: output has shape [${output.shape.join(', ')}], expected [${expected.join(', ')}]`);
  }
  const k = fh * fw;
  const m = b * oh * ow * c;
  // Phase grid: hq rows per phase reach every tap of every window.
  const hq = oh + Math.floor((fh - 1) / sh);
  const wq = ow + Math.floor((fw - 1) / sw);
  const tapsArePhases = fh === sh && fw === sw;
  const taps: Array<{ phase: number; dh: number; dw: number }> = [];
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      taps.push({ phase: (kh % sh) * sw + (kw % sw), dh: Math.floor(kh / sh), dw: Math.floor(kw / sw) });
    }
  }
  return tf.tidy(() => {
    const xp = padOrCrop(x, top, hq * sh - h - top, left, wq * sw - w - left, -Infinity);
    const phases = toPhaseMajor(xp, sh, sw); // [sh·sw·B, hq, wq, C]
    const tapValues = tapsArePhases
      ? phases.reshape([k, m])
      : tf.stack(taps.map((t) => tf.slice(phases, [t.phase * b, t.dh, t.dw, 0], [b, oh, ow, c]).reshape([m])));
    // A window of -Infinity only: y clamps to the lowest float so that no tap matches it.
    const y = tf.clipByValue(output ?? tf.maxPool(x, [fh, fw], [sh, sw], pad, dimRoundingMode), LOWEST_FLOAT32, Infinity);
    const rank = tf.tensor2d(taps.map((_, i) => k - i), [k, 1]);
    const key = tf.relu(tf.add(tf.mul(tf.floor(tf.sub(tapValues, y.reshape([1, m]))), k), rank));
    const best = tf.maxPool(key.reshape<tf.Tensor4D>([1, k, 1, m]), [k, 1], [k, 1], 'valid').reshape([1, m]);
    const claim = tf.relu(tf.sub(key, tf.relu(tf.sub(best, 1))));
    const shares = tf.mul(claim, dy.reshape([1, m])); // [K, M]

    let phaseGrads: tf.Tensor4D;
    if (tapsArePhases) {
      phaseGrads = shares.reshape<tf.Tensor4D>([k * b, hq, wq, c]);
    } else {
      const perPhase: tf.Tensor4D[][] = Array.from({ length: sh * sw }, () => []);
      tf.unstack(shares, 0).forEach((share, i) => {
        const { phase, dh, dw } = taps[i];
        perPhase[phase].push(padOrCrop(share.reshape<tf.Tensor4D>([b, oh, ow, c]), dh, hq - oh - dh, dw, wq - ow - dw));
      });
      const summed = perPhase.map((list): tf.Tensor4D =>
        list.length === 0 ? tf.zeros([b, hq, wq, c]) : list.length === 1 ? list[0] : tf.addN(list),
      );
      phaseGrads = tf.concat(summed, 0);
    }
    const dxp = fromPhaseMajor(phaseGrads, sh, sw);
    return padOrCrop(dxp, -top, top + h - hq * sh, -left, left + w - wq * sw);
  });
}

/** Kernel function for `MaxPoolGrad` (inputs dy, input, output; attrs {@link tf.MaxPoolGradAttrs}). */
export const maxPoolGradKernel: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  // The forward output saves recomputing the pool (tfjs passes it; it is the pool of `input`).
  const output = inputs.output instanceof tf.Tensor ? (inputs.output as tf.Tensor4D) : undefined;
  return maxPoolGrad(
    tensorInput<tf.Tensor4D>(inputs, 'dy', tf.MaxPoolGrad),
    tensorInput<tf.Tensor4D>(inputs, 'input', tf.MaxPoolGrad),
    a.filterSize,
    a.strides,
    a.pad,
    a.dimRoundingMode,
    output,
  );
};
