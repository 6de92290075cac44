/**
 * Spatial re-arrangements of NHWC tensors shared by the gradient compositions: pad-or-crop,
 * zero-upsampling (the adjoint of a strided read) and the split/merge of stride phases. Built only
 * from kernels the wasm backend runs fast (rank-4 Pad/Slice, Reshape, Transpose, Stack).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Pads (positive amounts) or crops (negative amounts) the H and W axes of `x` [B, H, W, C].
 * Padding uses `value`. Returns `x` itself when all amounts are 0.
 *
 * Result shape: [B, H + top + bottom, W + left + right, C].
 * @throws Error if a crop would leave an axis with negative size.
 */
export function padOrCrop(
  x: tf.Tensor4D,
  top: number,
  bottom: number,
  left: number,
  right: number,
  value = 0,
): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const outH = h + top + bottom;
  const outW = w + left + right;
  if (outH < 0 || outW < 0) {
    throw new Error(`padOrCrop: cannot crop [${h}, ${w}] by (${top}, ${bottom}, ${left}, ${right})`);
  }
  let y = x;
  if (top > 0 || bottom > 0 || left > 0 || right > 0) {
    y = tf.pad(
      y,
      [
        [0, 0],
        [Math.max(0, top), Math.max(0, bottom)],
        [Math.max(0, left), Math.max(0, right)],
        [0, 0],
      ],
      value,
    );
  }
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    y = tf.slice(y, [0, Math.max(0, -top), Math.max(0, -left), 0], [b, outH, outW, c]);
  }
  return y;
}

/**
 * Inserts `sh - 1` zero rows between rows and `sw - 1` zero columns between columns of
 * `x` [B, H, W, C]: out[b, i*sh, j*sw, c] = x[b, i, j, c], zero elsewhere.
 * This is the adjoint of reading every sh-th row / sw-th column (a strided convolution's output grid).
 *
 * Result shape: [B, (H-1)*sh + 1, (W-1)*sw + 1, C]. Returns `x` itself when sh = sw = 1.
 */
export function zeroUpsample(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return x;
  const [b, h, w, c] = x.shape;
  const spread = tf
    .pad(x.reshape([b, h, 1, w, 1, c]), [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ])
    .reshape([b, h * sh, w * sw, c]) as tf.Tensor4D;
  return tf.slice(spread, [0, 0, 0, 0], [b, (h - 1) * sh + 1, (w - 1) * sw + 1, c]);
}

/**
 * Splits `x` [B, Hq*sh, Wq*sw, C] into its sh*sw stride phases: phase `rh*sw + rw` is
 * x[:, rh::sh, rw::sw, :] with shape [B, Hq, Wq, C]. Inverse of {@link mergePhases}.
 *
 * @throws Error if H or W is not a multiple of the stride.
 */
export function splitPhases(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D[] {
  const [b, h, w, c] = x.shape;
  if (h % sh !== 0 || w % sw !== 0) {
    throw new Error(`splitPhases: [${h}, ${w}] is not a multiple of the stride [${sh}, ${sw}]`);
  }
  if (sh === 1 && sw === 1) return [x];
  const hq = h / sh;
  const wq = w / sw;
  const phaseMajor = tf
    .transpose(x.reshape([b, hq, sh, wq, sw, c]), [2, 4, 0, 1, 3, 5])
    .reshape([sh * sw, b, hq, wq, c]);
  return tf.unstack(phaseMajor, 0) as tf.Tensor4D[];
}

/**
 * Interleaves sh*sw phase tensors, each [B, Hq, Wq, C], into one [B, Hq*sh, Wq*sw, C] tensor:
 * out[:, i*sh + rh, j*sw + rw, :] = phases[rh*sw + rw][:, i, j, :]. Inverse of {@link splitPhases}.
 *
 * @throws Error if the number of phases is not sh*sw.
 */
export function mergePhases(phases: tf.Tensor4D[], sh: number, sw: number): tf.Tensor4D {
  if (phases.length !== sh * sw) {
    throw new Error(`mergePhases: expected ${sh * sw} phases, got ${phases.length}`);
  }
  if (phases.length === 1) return phases[0];
  const [b, hq, wq, c] = phases[0].shape;
  return tf
    .transpose(tf.stack(phases, 0).reshape([sh, sw, b, hq, wq, c]), [2, 3, 0, 4, 1, 5])
    .reshape([b, hq * sh, wq * sw, c]) as tf.Tensor4D;
}
