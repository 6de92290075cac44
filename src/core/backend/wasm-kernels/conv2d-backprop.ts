/**
 * Gradients of a 2-D convolution (tf.conv2d) for the wasm backend, composed from its fast XNNPACK
 * Conv2D / BatchMatMul kernels:
 *   - Conv2DBackpropFilter: missing from tfjs-backend-wasm 4.22;
 *   - Conv2DBackpropInput: replaces the native wasm kernel, which is ~10x slower.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/raw_ops/Conv2DBackpropFilter and
 * https://www.tensorflow.org/api_docs/python/tf/raw_ops/Conv2DBackpropInput
 */
import * as tf from '@tensorflow/tfjs';
import { padOrCrop, zeroUpsampleFramed } from './spatial.js';
import { tensorInput } from './kernel-install.js';
import { allocFloat32, hasHeap, type WasmHeapBackend } from './heap.js';

type Strides = [number, number] | number;
type Padding = tf.Conv2DBackpropFilterAttrs['pad'];
type DataFormat = 'NHWC' | 'NCHW';
type RoundingMode = tf.Conv2DBackpropFilterAttrs['dimRoundingMode'];
type Shape4D = [number, number, number, number];

const NCHW_TO_NHWC = [0, 2, 3, 1];
const NHWC_TO_NCHW = [0, 3, 1, 2];

function assertShape(what: string, actual: readonly number[], expected: readonly number[], kernel: string): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw new Error(`${kernel}: ${what} has shape [${actual.join(', ')}], expected [${expected.join(', ')}]`);
  }
}

/**
 * Gradient of conv2d with respect to its filter.
 *
 * dW[kh, kw, c, o] = Σ_{b,i,j} x[b, i*sh + kh - top, j*sw + kw - left, c] · dy[b, i, j, o]
 *
 * Composition: the sum over (b, i, j) is itself a convolution. With x padded/cropped to the rows
 * the windows read and transposed to [C, H', W', B], and dy transposed to [oh, ow, B, O] as the
 * filter, a valid conv2d with dilation = forward stride gives [C, fh, fw, O]; transpose back.
 * A 1×1 filter is a plain matmul: taps[N, C]ᵀ · dy[N, O] with N = B·oh·ow.
 *
 * @param x input of the forward conv, [B, H, W, C] (NHWC) or [B, C, H, W] (NCHW), float32.
 * @param dy gradient of the forward output, [B, oh, ow, O] (NHWC) or [B, O, oh, ow] (NCHW).
 * @param filterShape [fh, fw, C, O] (the same for both data formats, as in tfjs).
 * @param strides, pad, dataFormat, dimRoundingMode as given to tf.conv2d (dilation 1: tfjs has no
 *   conv2d gradient for dilation > 1).
 * @returns dW, [fh, fw, C, O].
 * @throws Error if dy's shape is not the forward output shape implied by x, filterShape, strides, pad.
 */
export function conv2dBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: Shape4D,
  strides: Strides,
  pad: Padding,
  dataFormat: DataFormat = 'NHWC',
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  return tf.tidy(() => {
    if (dataFormat === 'NCHW') {
      return conv2dBackpropFilter(tf.transpose(x, NCHW_TO_NHWC), tf.transpose(dy, NCHW_TO_NHWC), filterShape, strides, pad, 'NHWC', dimRoundingMode);
    }
    const kernel = 'Conv2DBackpropFilter';
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
    const [b, h, w, c] = x.shape;
    const [fh, fw, , o] = filterShape;
    const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
    const { top, left } = info.padInfo;
    assertShape('x channels', [c], [filterShape[2]], kernel);
    assertShape('dy', dy.shape, [b, oh, ow, o], kernel);
    // Rows/columns of (padded) x that the windows read.
    const needH = fh + (oh - 1) * sh;
    const needW = fw + (ow - 1) * sw;
    const xp = padOrCrop(x, top, needH - h - top, left, needW - w - left);

    if (fh === 1 && fw === 1) {
      const taps = sh === 1 && sw === 1 ? xp : tf.stridedSlice(xp, [0, 0, 0, 0], [b, needH, needW, c], [1, sh, sw, 1]);
      const n = b * oh * ow;
      // On wasm our BatchMatMul override picks the cheaper non-transposed form of this product.
      return tf.matMul(taps.reshape([n, c]), dy.reshape([n, o]), true, false).reshape(filterShape);
    }
    const xT = tf.transpose(xp, [3, 1, 2, 0]); // [C, needH, needW, B]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, B, O]
    const dwT = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', [sh, sw]); // [C, fh, fw, O]
    return tf.transpose(dwT, [1, 2, 0, 3]);
  });
}

/**
 * Transposed im2col of a convolution's input, written on the wasm heap in one pass:
 * pT[(kh·fw + kw)·C + c, (b·oh + i)·ow + j] = x[b, i·sh + kh − top, j·sw + kw − left, c], 0 where
 * that position is padding. Row order is the filter's [fh, fw, C] order, so that
 * dW = pT · dy as [fh·fw·C, N] · [N, O] is the filter gradient in [fh, fw, C, O] layout.
 *
 * @param x [B, H, W, C] float32 on `backend`.
 * @returns a float32 Tensor [fh·fw·C, B·oh·ow] (the caller disposes it).
 */
export function im2colTransposed(
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  fh: number,
  fw: number,
  sh: number,
  sw: number,
  top: number,
  left: number,
  oh: number,
  ow: number,
): tf.Tensor2D {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const n = b * oh * ow;
  const { out, outView: p, views } = allocFloat32(backend, [fh * fw * c, n], [x]);
  const xv = views[0]!;
  let o = 0;
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      for (let ch = 0; ch < c; ch++) {
        for (let bi = 0; bi < b; bi++) {
          const xb = bi * h * w * c + ch;
          for (let i = 0; i < oh; i++) {
            const r = i * sh + kh - top;
            if (r < 0 || r >= h) {
              p.fill(0, o, o + ow);
              o += ow;
              continue;
            }
            const xr = xb + r * w * c;
            for (let j = 0; j < ow; j++, o++) {
              const q = j * sw + kw - left;
              p[o] = q >= 0 && q < w ? xv[xr + q * c]! : 0;
            }
          }
        }
      }
    }
  }
  return tf.engine().makeTensorFromTensorInfo(out, backend as unknown as tf.KernelBackend) as tf.Tensor2D;
}

/**
 * Conv2DBackpropFilter as one matrix product, for NHWC float32 tensors on the wasm heap:
 * dW = im2colᵀ(x) · dy, [fh·fw·C, N] · [N, O] with N = B·oh·ow ({@link im2colTransposed}), on
 * XNNPACK's GEMM. Same result as {@link conv2dBackpropFilter}.
 *
 * @param x [B, H, W, C]; dy [B, oh, ow, O]; filterShape [fh, fw, C, O]; strides, pad,
 *   dimRoundingMode as given to tf.conv2d (dilation 1).
 * @returns dW [fh, fw, C, O].
 * @throws Error if dy's shape is not the forward output shape.
 */
export function conv2dBackpropFilterIm2col(
  backend: WasmHeapBackend,
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: Shape4D,
  strides: Strides,
  pad: Padding,
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  const kernel = 'Conv2DBackpropFilter';
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
  const [b, , , c] = x.shape;
  const [fh, fw, , o] = filterShape;
  const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  assertShape('x channels', [c], [filterShape[2]], kernel);
  assertShape('dy', dy.shape, [b, oh, ow, o], kernel);
  return tf.tidy(() => {
    const pT = im2colTransposed(backend, x, fh, fw, sh, sw, info.padInfo.top, info.padInfo.left, oh, ow);
    return tf.matMul(pT, dy.reshape([b * oh * ow, o])).reshape(filterShape);
  });
}

/**
 * Whether {@link conv2dBackpropFilterIm2col} is the faster filter gradient: for a strided
 * convolution with few input channels (the convolution form then runs a dilated, dy-sized kernel
 * that XNNPACK handles at a few GFLOP/s), with the im2col matrix (fh·fw·C × N floats) within 64 M
 * floats. Measured (CPU time, 1 thread, fresh tensors every call so that XNNPACK re-packs its
 * weights as in training), convolution form → im2col form: stride 2, x[32,96,96,3] f[3,3,3,16]
 * (the MobileNet-style stem) 24 → 17.5 ms, x[32,96,96,1] f[3,3,1,16] 20.3 → 9.6 ms,
 * x[64,28,28,1] f[3,3,1,32] 5.4 → 3.2 ms; stride 1 is a draw or a loss (x[64,28,28,3] 14.9 → 16.9
 * ms; MNIST conv1 x[64,28,28,1] 9.1 → 10.2 ms inside a training step), so it keeps the convolution.
 *
 * @param xShape [B, H, W, C]; filterShape [fh, fw, C, O]; strides as given to tf.conv2d;
 *   oh, ow the output size.
 */
export function preferIm2col(xShape: readonly number[], filterShape: readonly number[], strides: Strides, oh: number, ow: number): boolean {
  const [b, , , c] = xShape as Shape4D;
  const [fh, fw] = filterShape as Shape4D;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  const floats = fh * fw * c * b * oh * ow;
  return (sh > 1 || sw > 1) && c <= IM2COL_MAX_CHANNELS && floats <= 64 * 2 ** 20;
}

/** Input channels up to which {@link preferIm2col} picks the im2col filter gradient. */
export const IM2COL_MAX_CHANNELS = 4;

/**
 * Gradient of conv2d with respect to its input (also tf.conv2dTranspose's forward pass).
 *
 * dx[b, h, w, c] = Σ_{kh,kw,o; i*sh + kh - top = h; j*sw + kw - left = w} dy[b, i, j, o] · W[kh, kw, c, o]
 *
 * Composition: zero-upsample dy by the stride, pad by (fh-1-top, fw-1-left) before and whatever
 * makes the output H×W after (negative = crop), then a stride-1 valid conv2d with the filter
 * flipped spatially and its in/out channels swapped.
 *
 * @param dy gradient of the forward output, [B, oh, ow, O] (NHWC) or [B, O, oh, ow] (NCHW), float32.
 * @param filter forward filter, [fh, fw, C, O].
 * @param inputShape shape of the forward input x, in `dataFormat` layout.
 * @param strides, pad, dataFormat, dimRoundingMode as given to tf.conv2d (dilation 1).
 * @returns dx with shape `inputShape`.
 * @throws Error if dy's shape is not the forward output shape implied by inputShape, filter, strides, pad.
 */
export function conv2dBackpropInput(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: Shape4D,
  strides: Strides,
  pad: Padding,
  dataFormat: DataFormat = 'NHWC',
  dimRoundingMode?: RoundingMode,
): tf.Tensor4D {
  return tf.tidy(() => {
    if (dataFormat === 'NCHW') {
      const [b, c, h, w] = inputShape;
      const dx = conv2dBackpropInput(tf.transpose(dy, NCHW_TO_NHWC), filter, [b, h, w, c], strides, pad, 'NHWC', dimRoundingMode);
      return tf.transpose(dx, NHWC_TO_NCHW);
    }
    const kernel = 'Conv2DBackpropInput';
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode);
    const [b, h, w, c] = inputShape;
    const [fh, fw, , o] = filter.shape;
    const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
    const { top, left } = info.padInfo;
    assertShape('filter in-channels', [filter.shape[2]], [c], kernel);
    assertShape('dy', dy.shape, [b, oh, ow, o], kernel);
    // Upsampled dy [B, uh, uw, O] framed so that a valid conv gives H×W.
    const uh = (oh - 1) * sh + 1;
    const uw = (ow - 1) * sw + 1;
    const framed = zeroUpsampleFramed(dy, sh, sw, fh - 1 - top, h - uh + top, fw - 1 - left, w - uw + left);
    const backend = tf.backend();
    const flipped = hasHeap(backend) && filter.dtype === 'float32' ? flipFilter(backend, filter) : tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    return tf.conv2d(framed, flipped, 1, 'valid');
  });
}

/**
 * The filter of the input gradient's convolution: flipped spatially, in/out channels swapped,
 * out[kh, kw, o, c] = filter[fh−1−kh, fw−1−kw, c, o], in one pass over the heap (the wasm Reverse
 * kernel took ~0.8 ms for a 3×3×32×64 filter).
 *
 * @param filter [fh, fw, C, O] float32 on `backend`.
 * @returns [fh, fw, O, C].
 */
export function flipFilter(backend: WasmHeapBackend, filter: tf.Tensor4D): tf.Tensor4D {
  const [fh, fw, c, o] = filter.shape;
  const { out, outView, views } = allocFloat32(backend, [fh, fw, o, c], [filter]);
  const f = views[0]!;
  let at = 0;
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      const tap = ((fh - 1 - kh) * fw + (fw - 1 - kw)) * c * o;
      for (let oi = 0; oi < o; oi++) {
        for (let ci = 0; ci < c; ci++) outView[at++] = f[tap + ci * o + oi]!;
      }
    }
  }
  return tf.engine().makeTensorFromTensorInfo(out, backend as unknown as tf.KernelBackend) as tf.Tensor4D;
}

/** Kernel function for `Conv2DBackpropFilter` (inputs x, dy; attrs {@link tf.Conv2DBackpropFilterAttrs}). */
export const conv2dBackpropFilterKernel: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const x = tensorInput<tf.Tensor4D>(inputs, 'x', tf.Conv2DBackpropFilter);
  const dy = tensorInput<tf.Tensor4D>(inputs, 'dy', tf.Conv2DBackpropFilter);
  if (hasHeap(backend) && (a.dataFormat ?? 'NHWC') === 'NHWC' && x.dtype === 'float32' && dy.dtype === 'float32' && dy.rank === 4) {
    if (preferIm2col(x.shape, a.filterShape, a.strides, dy.shape[1], dy.shape[2])) {
      return conv2dBackpropFilterIm2col(backend, x, dy, a.filterShape, a.strides, a.pad, a.dimRoundingMode);
    }
  }
  return conv2dBackpropFilter(
    tensorInput<tf.Tensor4D>(inputs, 'x', tf.Conv2DBackpropFilter),
    tensorInput<tf.Tensor4D>(inputs, 'dy', tf.Conv2DBackpropFilter),
    a.filterShape,
    a.strides,
    a.pad,
    a.dataFormat,
    a.dimRoundingMode,
  );
};

/** Kernel function for `Conv2DBackpropInput` (inputs dy, filter; attrs {@link tf.Conv2DBackpropInputAttrs}). */
export const conv2dBackpropInputKernel: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  return conv2dBackpropInput(
    tensorInput<tf.Tensor4D>(inputs, 'dy', tf.Conv2DBackpropInput),
    tensorInput<tf.Tensor4D>(inputs, 'filter', tf.Conv2DBackpropInput),
    a.inputShape,
    a.strides,
    a.pad,
    a.dataFormat,
    a.dimRoundingMode,
  );
};
