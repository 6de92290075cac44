/**
 * Gradients of a depthwise 2-D convolution (tf.depthwiseConv2d) for the wasm backend, which has
 * neither kernel in tfjs-backend-wasm 4.22. Both are composed from its fast DepthwiseConv2dNative.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/raw_ops/DepthwiseConv2dNativeBackpropFilter
 * and https://www.tensorflow.org/api_docs/python/tf/raw_ops/DepthwiseConv2dNativeBackpropInput
 */
import * as tf from '@tensorflow/tfjs';
import { padOrCrop, zeroUpsample } from './spatial.js';
import { tensorInput } from './kernel-install.js';

type Pair = [number, number] | number;
type Padding = tf.DepthwiseConv2dNativeBackpropFilterAttrs['pad'];
type RoundingMode = tf.DepthwiseConv2dNativeBackpropFilterAttrs['dimRoundingMode'];
type Shape4D = [number, number, number, number];

function depthwiseInfo(
  kernel: string,
  inputShape: Shape4D,
  filterShape: Shape4D,
  strides: Pair,
  dilations: Pair,
  pad: Padding,
  dimRoundingMode: RoundingMode,
  dyShape: readonly number[],
): tf.backend_util.Conv2DInfo {
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  if ((info.strideHeight > 1 || info.strideWidth > 1) && (info.dilationHeight > 1 || info.dilationWidth > 1)) {
    throw new Error(`${kernel}: strides and dilations cannot both be greater than 1`);
  }
  if (inputShape[3] !== filterShape[2]) {
    throw new Error(`${kernel}: input has ${inputShape[3]} channels but the filter expects ${filterShape[2]}`);
  }
  const expected = [inputShape[0], info.outHeight, info.outWidth, filterShape[2] * filterShape[3]];
  if (dyShape.length !== 4 || dyShape.some((d, i) => d !== expected[i])) {
    throw new Error(`${kernel}: dy has shape [${dyShape.join(', ')}], expected [${expected.join(', ')}]`);
  }
  return info;
}

/**
 * Gradient of depthwiseConv2d with respect to its filter.
 *
 * dW[kh, kw, c, m] = Σ_{b,i,j} x[b, i*sh + kh*dh - top, j*sw + kw*dw - left, c] · dy[b, i, j, c*M + m]
 *
 * Composition: treat each (batch, channel) pair as one channel of a single image. With x
 * padded/cropped to the rows the windows read and laid out as [1, H', W', B·C], and dy laid out as
 * the filter [oh, ow, B·C, M], one valid depthwise conv with dilation = forward stride gives
 * [1, (fh-1)·dh+1, (fw-1)·dw+1, B·C·M]; keep every dh-th/dw-th tap and sum over the batch.
 *
 * @param x forward input, [B, H, W, C] (NHWC), float32.
 * @param dy gradient of the forward output, [B, oh, ow, C·M].
 * @param filterShape [fh, fw, C, M] (M = channel multiplier).
 * @param strides, dilations, pad, dimRoundingMode as given to tf.depthwiseConv2d.
 * @returns dW, [fh, fw, C, M].
 * @throws Error if dy's shape does not match the forward output, if channels disagree, or if both
 *   strides and dilations are > 1 (TF does not define that case).
 */
export function depthwiseConv2dBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: Shape4D,
  strides: Pair,
  dilations: Pair,
  pad: Padding,
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  const info = depthwiseInfo(
    'DepthwiseConv2dNativeBackpropFilter',
    x.shape,
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    dy.shape,
  );
  const [b, h, w, c] = x.shape;
  const [fh, fw, , m] = filterShape;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  return tf.tidy(() => {
    const needH = (fh - 1) * dh + (oh - 1) * sh + 1;
    const needW = (fw - 1) * dw + (ow - 1) * sw + 1;
    const xp = padOrCrop(x, top, needH - h - top, left, needW - w - left);
    const image = tf.transpose(xp, [1, 2, 0, 3]).reshape([1, needH, needW, b * c]) as tf.Tensor4D;
    const dyFilter = tf
      .transpose(dy.reshape([b, oh, ow, c, m]), [1, 2, 0, 3, 4])
      .reshape([oh, ow, b * c, m]) as tf.Tensor4D;
    let taps = tf.depthwiseConv2d(image, dyFilter, 1, 'valid', 'NHWC', [sh, sw]);
    if (dh > 1 || dw > 1) {
      const [, th, tw, k] = taps.shape;
      taps = tf.stridedSlice(taps, [0, 0, 0, 0], [1, th, tw, k], [1, dh, dw, 1]) as tf.Tensor4D;
    }
    return tf.sum(taps.reshape([fh * fw, b, c * m]), 1).reshape(filterShape);
  });
}

/**
 * Gradient of depthwiseConv2d with respect to its input.
 *
 * dx[b, h, w, c] = Σ_{m,kh,kw; i*sh + kh*dh - top = h; j*sw + kw*dw - left = w} dy[b, i, j, c*M + m] · W[kh, kw, c, m]
 *
 * Composition: zero-upsample dy by the stride, pad by ((fh-1)·dh - top, (fw-1)·dw - left) before
 * and whatever makes the output H×W after, then a stride-1 valid depthwise conv (multiplier 1,
 * same dilation) with the spatially flipped filter as [fh, fw, C·M, 1]; sum over the multiplier.
 *
 * @param dy gradient of the forward output, [B, oh, ow, C·M], float32.
 * @param filter forward filter, [fh, fw, C, M].
 * @param inputShape shape of the forward input, [B, H, W, C].
 * @param strides, dilations, pad, dimRoundingMode as given to tf.depthwiseConv2d.
 * @returns dx, [B, H, W, C].
 * @throws Error as {@link depthwiseConv2dBackpropFilter}.
 */
export function depthwiseConv2dBackpropInput(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: Shape4D,
  strides: Pair,
  dilations: Pair,
  pad: Padding,
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  const info = depthwiseInfo(
    'DepthwiseConv2dNativeBackpropInput',
    inputShape,
    filter.shape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    dy.shape,
  );
  const [b, h, w, c] = inputShape;
  const [fh, fw, , m] = filter.shape;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  return tf.tidy(() => {
    const up = zeroUpsample(dy, sh, sw);
    const [, uh, uw] = up.shape;
    const framed = padOrCrop(up, (fh - 1) * dh - top, h - uh + top, (fw - 1) * dw - left, w - uw + left);
    const flipped = tf.reverse(filter, [0, 1]).reshape([fh, fw, c * m, 1]) as tf.Tensor4D;
    const dxPerMultiplier = tf.depthwiseConv2d(framed, flipped, 1, 'valid', 'NHWC', [dh, dw]);
    return m === 1 ? dxPerMultiplier : tf.sum<tf.Tensor4D>(dxPerMultiplier.reshape([b, h, w, c, m]), 4);
  });
}

/** Kernel function for `DepthwiseConv2dNativeBackpropFilter` (inputs x, dy). */
export const depthwiseConv2dBackpropFilterKernel: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const kernel = tf.DepthwiseConv2dNativeBackpropFilter;
  return depthwiseConv2dBackpropFilter(
    tensorInput<tf.Tensor4D>(inputs, 'x', kernel),
    tensorInput<tf.Tensor4D>(inputs, 'dy', kernel),
    a.filterShape,
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
  );
};

/** Kernel function for `DepthwiseConv2dNativeBackpropInput` (inputs dy, filter). */
export const depthwiseConv2dBackpropInputKernel: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const kernel = tf.DepthwiseConv2dNativeBackpropInput;
  return depthwiseConv2dBackpropInput(
    tensorInput<tf.Tensor4D>(inputs, 'dy', kernel),
    tensorInput<tf.Tensor4D>(inputs, 'filter', kernel),
    a.inputShape,
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
  );
};
