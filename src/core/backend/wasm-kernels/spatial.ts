/**
 * Spatial re-arrangements of NHWC tensors shared by the gradient compositions: pad-or-crop,
 * zero-upsampling (the adjoint of a strided read) and the split/merge of stride phases. Built only
 * from kernels the wasm backend runs fast (rank-4 Pad/Slice, Reshape, rank ≤ 4 Transpose).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Pads (positive amounts) or crops (negative amounts) the H and W axes of `x` [B, H, W, C].
 * Padding uses `value`. Returns `x` itself when all amounts are 0.
 *
 * Result shape: [B, H + top + bottom, W + left + right, C].
 * @throws Error if a crop would leave an axis with negative size.
 */
export function padOrCrop(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number, value = 0): tf.Tensor4D {
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

/** `x` [B, H, W, C] with sh − 1 zero rows after every row and sw − 1 zero columns after every column: [B, H·sh, W·sw, C]. */
function spreadUntrimmed(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return tf
    .pad(x.reshape([b, h, 1, w, 1, c]), [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ])
    .reshape([b, h * sh, w * sw, c]) as tf.Tensor4D;
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
  return tf.slice(spreadUntrimmed(x, sh, sw), [0, 0, 0, 0], [b, (h - 1) * sh + 1, (w - 1) * sw + 1, c]);
}

/**
 * `padOrCrop(zeroUpsample(x, sh, sw), top, bottom, left, right)`, without the trimmed upsample: the
 * untrimmed spread [B, H·sh, W·sw, C] ends in sh − 1 zero rows and sw − 1 zero columns, which the
 * framing absorbs (fewer zeros padded after, or a crop that starts inside them). Same values; it
 * saves a full-size Slice (slow on wasm) and one full-size temporary — the gradients of a stride-2
 * convolution frame the upsampled dy this way.
 *
 * Result shape: [B, (H-1)*sh + 1 + top + bottom, (W-1)*sw + 1 + left + right, C].
 * @throws Error if a crop would leave an axis with negative size.
 */
export function zeroUpsampleFramed(x: tf.Tensor4D, sh: number, sw: number, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return padOrCrop(x, top, bottom, left, right);
  return padOrCrop(spreadUntrimmed(x, sh, sw), top, bottom - (sh - 1), left, right - (sw - 1));
}

/**
 * Rearranges `x` [B, Hq*sh, Wq*sw, C] so that its sh·sw stride phases are consecutive blocks of the
 * batch axis: block `rh*sw + rw` (rows rh·B … rh·B + B - 1 after multiplying out) holds
 * x[:, rh::sh, rw::sw, :]. Result shape [sh*sw*B, Hq, Wq, C]. Inverse of {@link fromPhaseMajor}.
 *
 * Two rank-3/rank-4 transposes (the wasm backend's rank-5+ transposes and strided slices are an
 * order of magnitude slower).
 * @throws Error if H or W is not a multiple of the stride.
 */
export function toPhaseMajor(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  if (h % sh !== 0 || w % sw !== 0) {
    throw new Error(`toPhaseMajor: [${h}, ${w}] is not a multiple of the stride [${sh}, ${sw}]`);
  }
  const hq = h / sh;
  const wq = w / sw;
  let rows: tf.Tensor = x.reshape([b * hq, sh, wq * sw * c]);
  if (sh > 1) rows = tf.transpose(rows, [1, 0, 2]); // [sh, B·Hq, Wq·sw·C]
  let cols: tf.Tensor = rows.reshape([sh, b * hq * wq, sw, c]);
  if (sw > 1) cols = tf.transpose(cols, [0, 2, 1, 3]); // [sh, sw, B·Hq·Wq, C]
  return cols.reshape([sh * sw * b, hq, wq, c]);
}

/**
 * Inverse of {@link toPhaseMajor}: interleaves the sh·sw phase blocks of `p` [sh*sw*B, Hq, Wq, C]
 * into one [B, Hq*sh, Wq*sw, C] tensor: out[:, i*sh + rh, j*sw + rw, :] = block (rh*sw + rw)[:, i, j, :].
 *
 * @throws Error if the batch axis is not a multiple of sh·sw.
 */
export function fromPhaseMajor(p: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  const [n, hq, wq, c] = p.shape;
  if (n % (sh * sw) !== 0) throw new Error(`fromPhaseMajor: batch ${n} is not a multiple of ${sh * sw} phases`);
  const b = n / (sh * sw);
  let cols: tf.Tensor = p.reshape([sh, sw, b * hq * wq, c]);
  if (sw > 1) cols = tf.transpose(cols, [0, 2, 1, 3]); // [sh, B·Hq·Wq, sw, C]
  let rows: tf.Tensor = cols.reshape([sh, b * hq, wq * sw * c]);
  if (sh > 1) rows = tf.transpose(rows, [1, 0, 2]); // [B·Hq, sh, Wq·sw·C]
  return rows.reshape([b, hq * sh, wq * sw, c]);
}
