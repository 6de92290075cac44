/**
 * One Adam step of one variable as a single loop over the wasm heap. Written with tfjs ops the
 * update is 14 elementwise kernels (each a sweep of the variable plus a scalar upload); on the MNIST
 * CNN that was ~4 ms of a ~95 ms training step. Same rule as `training/optimizers.ts`.
 * Reference: Kingma & Ba 2015, https://arxiv.org/abs/1412.6980
 */
import * as tf from '@tensorflow/tfjs';
import { hasHeap, type WasmHeapBackend } from './heap.js';

/** Hyper-parameters of one Adam step. */
export interface AdamStep {
  /** Learning rate η of this step. */
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Steps taken by this variable, this one included (≥ 1): bias correction 1 − β^t. */
  t: number;
}

/**
 * m ← β1 m + (1−β1) g;  u ← β2 u + (1−β2) g²;  w ← w − η (m / (1−β1^t)) / (√(u / (1−β2^t)) + ε),
 * elementwise, in float64, stored as float32.
 *
 * @param w current weights, g gradient, m and u the moment slots (absent on the first step: zeros);
 *   all float32 of one shape, on the wasm backend.
 * @returns new Tensors { w, m, u } of that shape (tracked by the engine like any op's output).
 */
export function adamStepOnHeap(
  backend: WasmHeapBackend,
  w: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor | undefined,
  u: tf.Tensor | undefined,
  h: AdamStep,
): { w: tf.Tensor; m: tf.Tensor; u: tf.Tensor } {
  const shape = w.shape.slice();
  const wOut = backend.makeOutput(shape, 'float32');
  const mOut = backend.makeOutput(shape, 'float32');
  const uOut = backend.makeOutput(shape, 'float32');
  // Views only after the last allocation (an allocation may grow the heap and detach them).
  const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const [wv, gv, w2, m2, u2] = [view(w), view(g), view(wOut), view(mOut), view(uOut)];
  const mv = m ? view(m) : undefined;
  const uv = u ? view(u) : undefined;
  const { lr, beta1, beta2, epsilon } = h;
  // η·m̂ / (√û + ε) = (η / (1−β1^t)) · m / (√u · (1/√(1−β2^t)) + ε): one sqrt, one division.
  const step = lr / (1 - Math.pow(beta1, h.t));
  const unbias = 1 / Math.sqrt(1 - Math.pow(beta2, h.t));
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  const n = wv.length;
  if (mv && uv) {
    for (let i = 0; i < n; i++) {
      const gi = gv[i]!;
      const mi = beta1 * mv[i]! + a1 * gi;
      const ui = beta2 * uv[i]! + a2 * gi * gi;
      m2[i] = mi;
      u2[i] = ui;
      w2[i] = wv[i]! - (step * mi) / (Math.sqrt(ui) * unbias + epsilon);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const gi = gv[i]!;
      const mi = a1 * gi;
      const ui = a2 * gi * gi;
      m2[i] = mi;
      u2[i] = ui;
      w2[i] = wv[i]! - (step * mi) / (Math.sqrt(ui) * unbias + epsilon);
    }
  }
  const make = (t: tf.TensorInfo) => tf.engine().makeTensorFromTensorInfo(t, backend as unknown as tf.KernelBackend);
  return { w: make(wOut), m: make(mOut), u: make(uOut) };
}

/**
 * The backend to run {@link adamStepOnHeap} on, when the current backend holds tensors on a heap
 * and every given tensor is float32; undefined otherwise (use the tfjs-op form).
 */
export function adamHeapBackend(...tensors: (tf.Tensor | undefined)[]): WasmHeapBackend | undefined {
  const backend = tf.backend();
  if (!hasHeap(backend) || tf.getBackend() !== 'wasm') return undefined;
  return tensors.every((t) => t === undefined || t.dtype === 'float32') ? backend : undefined;
}
