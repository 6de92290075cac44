/**
 * MaxPoolGrad for the wasm backend, replacing the tfjs-backend-wasm 4.22 kernel, which starts its
 * running max at the smallest positive float: windows whose values are all ≤ 0 lose their gradient
 * and ties go to the last maximum.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/raw_ops/MaxPoolGrad
 */
import * as tf from '@tensorflow/tfjs';
import { mergePhases, padOrCrop, splitPhases } from './spatial.js';
import { tensorInput } from './kernel-install.js';

type Pair = [number, number] | number;
type Padding = tf.MaxPoolGradAttrs['pad'];
type RoundingMode = tf.MaxPoolGradAttrs['dimRoundingMode'];

/**
 * Gradient of tf.maxPool with respect to its input: each window's dy goes to the first maximum of
 * the window in row-major order (TF and tfjs-cpu semantics); overlapping windows add up. Padding
 * positions never receive gradient; a window whose maximum is -Infinity gets none.
 *
 * Composition (no scatter): y = maxPool(x) is recomputed from x. x is padded with -Infinity and
 * split into its stride phases (x[:, rh::sh, rw::sw]); window tap (kh, kw) of every window is then
 * a contiguous slice of phase (kh mod sh, kw mod sw) shifted by (⌊kh/sh⌋, ⌊kw/sw⌋). Walking the taps
 * in row-major order, tap k takes dy where it equals y and no earlier tap did; its share is shifted
 * back into its phase, the phases are summed and interleaved, and the padding is cropped.
 *
 * @param dy gradient of the pooled output, [B, oh, ow, C], float32.
 * @param x input of the forward maxPool, [B, H, W, C] (NHWC), float32.
 * @param filterSize, strides, pad, dimRoundingMode as given to tf.maxPool (dilation 1).
 * @returns dx, [B, H, W, C].
 * @throws Error if dy's shape is not the pooled shape of x.
 */
export function maxPoolGrad(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  filterSize: Pair,
  strides: Pair,
  pad: Padding,
  dimRoundingMode?: RoundingMode,
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
  return tf.tidy(() => {
    // Phase grid: hq rows per phase cover every tap of every window.
    const hq = oh + Math.floor((fh - 1) / sh);
    const wq = ow + Math.floor((fw - 1) / sw);
    const xp = padOrCrop(x, top, hq * sh - h - top, left, wq * sw - w - left, -Infinity);
    const xPhases = splitPhases(xp, sh, sw);
    const y = tf.maxPool(x, [fh, fw], [sh, sw], pad, dimRoundingMode);
    const zeros = tf.zerosLike(dy);
    const g = tf.where(tf.greater(y, -Infinity), dy, zeros);

    const shares: tf.Tensor4D[][] = xPhases.map(() => []);
    let free: tf.Tensor | null = null; // windows whose maximum no earlier tap has claimed
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        const phase = (kh % sh) * sw + (kw % sw);
        const ah = Math.floor(kh / sh);
        const aw = Math.floor(kw / sw);
        const tap = tf.slice(xPhases[phase], [0, ah, aw, 0], [b, oh, ow, c]);
        const isMax = tf.equal(tap, y);
        const claims: tf.Tensor = free === null ? isMax : tf.logicalAnd(isMax, free);
        const last = kh === fh - 1 && kw === fw - 1;
        if (!last) free = free === null ? tf.logicalNot(claims) : tf.logicalAnd(free, tf.logicalNot(claims));
        const share = tf.where(claims, g, zeros);
        shares[phase].push(padOrCrop(share, ah, hq - oh - ah, aw, wq - ow - aw));
      }
    }
    const phaseGrads = shares.map((list): tf.Tensor4D => {
      if (list.length === 0) return tf.zeros([b, hq, wq, c]);
      return list.length === 1 ? list[0] : tf.addN(list);
    });
    const dxp = mergePhases(phaseGrads, sh, sw);
    return padOrCrop(dxp, -top, top + h - hq * sh, -left, left + w - wq * sw);
  });
}

/** Kernel function for `MaxPoolGrad` (inputs dy, input, output; attrs {@link tf.MaxPoolGradAttrs}). */
export const maxPoolGradKernel: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  return maxPoolGrad(
    tensorInput<tf.Tensor4D>(inputs, 'dy', tf.MaxPoolGrad),
    tensorInput<tf.Tensor4D>(inputs, 'input', tf.MaxPoolGrad),
    a.filterSize,
    a.strides,
    a.pad,
    a.dimRoundingMode,
  );
};
