/**
 * Gradients of a depthwise 2-D convolution (tf.depthwiseConv2d) for the wasm backend, which has
 * neither kernel in tfjs-backend-wasm 4.22. Both are composed from its fast DepthwiseConv2dNative.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/raw_ops/DepthwiseConv2dNativeBackpropFilter
 * and https://www.tensorflow.org/api_docs/python/tf/raw_ops/DepthwiseConv2dNativeBackpropInput
 */
import * as tf from '@tensorflow/tfjs';
import { padOrCrop, toPhaseMajor, zeroUpsampleFramed } from './spatial.js';
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
  const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, dilations, pad, dimRoundingMode, true);
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
 * Composition, one tap at a time (K = fh·fw small products instead of one depthwise conv with a
 * dy-sized kernel, which XNNPACK runs ~3× slower): x is padded/cropped to the rows the windows read
 * and split into its stride phases (x[:, rh::sh, rw::sw]); tap (kh, kw) reads phase
 * (kh·dh mod sh, kw·dw mod sw) shifted by (⌊kh·dh/sh⌋, ⌊kw·dw/sw⌋), so padding dy by that shift
 * aligns it with the phase, and dW[kh, kw] = Σ_{b,p,q} phase · shifted dy (a sum over leading axes).
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
  const info = depthwiseInfo('DepthwiseConv2dNativeBackpropFilter', x.shape, filterShape, strides, dilations, pad, dimRoundingMode, dy.shape);
  const [b, h, w, c] = x.shape;
  const [fh, fw, , m] = filterShape;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  // Phase grid: hq rows per phase reach the last tap of the last window.
  const hq = oh + Math.floor(((fh - 1) * dh) / sh);
  const wq = ow + Math.floor(((fw - 1) * dw) / sw);
  return tf.tidy(() => {
    const xp = padOrCrop(x, top, hq * sh - h - top, left, wq * sw - w - left);
    const phases = sh * sw === 1 ? [xp] : tf.split(toPhaseMajor(xp, sh, sw), sh * sw, 0);
    const taps: tf.Tensor[] = [];
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        const [ah, aw] = [Math.floor((kh * dh) / sh), Math.floor((kw * dw) / sw)];
        const phase = phases[((kh * dh) % sh) * sw + ((kw * dw) % sw)]!;
        // One tap at a time: its dy-sized temporaries are freed before the next tap's.
        taps.push(
          tf.tidy(() => {
            const shifted = tf.pad(dy, [
              [0, 0],
              [ah, hq - oh - ah],
              [aw, wq - ow - aw],
              [0, 0],
            ]);
            const product = m === 1 ? tf.mul(phase, shifted) : tf.mul(phase.reshape([b, hq, wq, c, 1]), shifted.reshape([b, hq, wq, c, m]));
            return tf.sum(product, [0, 1, 2]);
          }),
        );
      }
    }
    return tf.stack(taps).reshape(filterShape);
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
  const info = depthwiseInfo('DepthwiseConv2dNativeBackpropInput', inputShape, filter.shape, strides, dilations, pad, dimRoundingMode, dy.shape);
  const [b, h, w, c] = inputShape;
  const [fh, fw, , m] = filter.shape;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  return tf.tidy(() => {
    // Upsampled dy [B, uh, uw, C·M] framed so that a valid depthwise conv gives H×W.
    const uh = (dy.shape[1] - 1) * sh + 1;
    const uw = (dy.shape[2] - 1) * sw + 1;
    const framed = zeroUpsampleFramed(dy, sh, sw, (fh - 1) * dh - top, h - uh + top, (fw - 1) * dw - left, w - uw + left);
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
