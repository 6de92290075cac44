/**
 * MaxPoolGrad for the wasm backend, replacing the tfjs-backend-wasm 4.22 kernel, which starts its
 * running max at the smallest positive float: windows whose values are all ≤ 0 lose their gradient
 * and ties go to the last maximum. The kernel is one loop over the backend's heap
 * ({@link maxPoolGradDirect}); {@link maxPoolGrad}, a composition of tfjs ops with the same result,
 * serves tensors whose backend has no heap.
 * Reference: https://www.tensorflow.org/api_docs/python/tf/raw_ops/MaxPoolGrad
 */
import * as tf from '@tensorflow/tfjs';
import { fromPhaseMajor, padOrCrop, toPhaseMajor } from './spatial.js';
import { tensorInput } from './kernel-install.js';
import { allocFloat32, hasHeap, type WasmHeapBackend } from './heap.js';

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
    const rank = tf.tensor2d(
      taps.map((_, i) => k - i),
      [k, 1],
    );
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
      const summed = perPhase.map((list): tf.Tensor4D => (list.length === 0 ? tf.zeros([b, hq, wq, c]) : list.length === 1 ? list[0] : tf.addN(list)));
      phaseGrads = tf.concat(summed, 0);
    }
    const dxp = fromPhaseMajor(phaseGrads, sh, sw);
    return padOrCrop(dxp, -top, top + h - hq * sh, -left, left + w - wq * sw);
  });
}

/**
 * {@link maxPoolGrad} as one pass over the wasm heap: for every window and channel, the first
 * maximum in row-major order (a value strictly greater than all before it, starting from
 * -Infinity, as the tfjs cpu backend and TF do) receives that window's dy; overlapping windows add
 * up. Padding never receives gradient; nor does a window with no value above -Infinity (all
 * -Infinity or NaN). Time: one read of x per tap of every window, one read of dy, one write of dx.
 *
 * @param backend the wasm backend holding the tensors.
 * @param dy [B, oh, ow, C] float32; x [B, H, W, C] float32 (NHWC).
 * @param filterSize, strides, pad, dimRoundingMode as given to tf.maxPool (dilation 1).
 * @returns dx [B, H, W, C] float32, allocated on the heap.
 * @throws Error if dy's shape is not the pooled shape of x.
 */
export function maxPoolGradDirect(
  backend: WasmHeapBackend,
  dy: tf.TensorInfo,
  x: tf.TensorInfo,
  filterSize: Pair,
  strides: Pair,
  pad: Padding,
  dimRoundingMode?: RoundingMode,
): tf.TensorInfo {
  const xShape = x.shape as [number, number, number, number];
  const info = tf.backend_util.computePool2DInfo(xShape, filterSize, strides, 1, pad, dimRoundingMode);
  const [b, h, w, c] = xShape;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const expected = [b, oh, ow, c];
  if (dy.shape.length !== 4 || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`MaxPoolGrad: dy has shape [${dy.shape.join(', ')}], expected [${expected.join(', ')}]`);
  }
  const { out, outView: dx, views } = allocFloat32(backend, [...xShape], [x, dy]);
  const xv = views[0]!;
  const dyv = views[1]!;
  const rowStride = w * c;
  if (fh === 2 && fw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && 2 * oh <= h && 2 * ow <= w) {
    // The common 2×2 pool: windows tile x without overlap, so every position is written once.
    if (2 * oh < h || 2 * ow < w) dx.fill(0); // rows/columns no window reads
    let o = 0;
    for (let n = 0; n < b; n++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let k = n * h * rowStride + 2 * i * rowStride + 2 * j * c;
          for (let ch = 0; ch < c; ch++, k++, o++) {
            const v0 = xv[k]!;
            const v1 = xv[k + c]!;
            const v2 = xv[k + rowStride]!;
            const v3 = xv[k + rowStride + c]!;
            let best = -Infinity;
            let at = -1;
            if (v0 > best) {
              best = v0;
              at = 0;
            }
            if (v1 > best) {
              best = v1;
              at = 1;
            }
            if (v2 > best) {
              best = v2;
              at = 2;
            }
            if (v3 > best) at = 3;
            const g = dyv[o]!;
            dx[k] = at === 0 ? g : 0;
            dx[k + c] = at === 1 ? g : 0;
            dx[k + rowStride] = at === 2 ? g : 0;
            dx[k + rowStride + c] = at === 3 ? g : 0;
          }
        }
      }
    }
    return out;
  }
  dx.fill(0);
  for (let n = 0; n < b; n++) {
    const xBatch = n * h * rowStride;
    for (let i = 0; i < oh; i++) {
      const r0 = Math.max(0, i * sh - top);
      const r1 = Math.min(h, i * sh - top + fh);
      for (let j = 0; j < ow; j++) {
        const c0 = Math.max(0, j * sw - left);
        const c1 = Math.min(w, j * sw - left + fw);
        const dyBase = ((n * oh + i) * ow + j) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let r = r0; r < r1; r++) {
            let k = xBatch + r * rowStride + c0 * c + ch;
            for (let q = c0; q < c1; q++, k += c) {
              const v = xv[k]!;
              if (v > best) {
                best = v;
                at = k;
              }
            }
          }
          if (at >= 0) dx[at]! += dyv[dyBase + ch]!;
        }
      }
    }
  }
  return out;
}

/** Kernel function for `MaxPoolGrad` (inputs dy, input, output; attrs {@link tf.MaxPoolGradAttrs}). */
export const maxPoolGradKernel: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  const { dy, input } = inputs;
  if (hasHeap(backend) && dy?.dtype === 'float32' && input?.dtype === 'float32') {
    return maxPoolGradDirect(backend, dy, input, a.filterSize, a.strides, a.pad, a.dimRoundingMode);
  }
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
