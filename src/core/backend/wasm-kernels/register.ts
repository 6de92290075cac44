/**
 * Installs Transfer Lab's training kernels on the tfjs wasm backend: the gradients tfjs-backend-wasm
 * 4.22 lacks, correct replacements for two of its buggy kernels, and speed overrides for kernels
 * that training leans on. Call after '@tensorflow/tfjs-backend-wasm' is imported (it registers the
 * originals that the overrides fall back to); before or after the backend is initialised.
 */
import * as tf from '@tensorflow/tfjs';
import { batchMatMulOverride } from './batch-mat-mul.js';
import { batchNormOverride } from './batch-norm.js';
import { registerClipByValueGradient } from './clip-grad.js';
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel } from './conv2d-backprop.js';
import { depthwiseConv2dBackpropFilterKernel, depthwiseConv2dBackpropInputKernel } from './depthwise-backprop.js';
import { identityOverride, sameDtypeCastOverride } from './identity.js';
import { installKernel, type KernelFactory } from './kernel-install.js';
import { maxPoolGradKernel } from './max-pool-grad.js';
import { oneHotKernel } from './one-hot.js';
import { leadingAxesReduceOverride } from './reduce.js';
import { tileOverride } from './tile.js';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum.js';

/** Why a kernel is installed. */
export type KernelRole = 'missing' | 'bugfix' | 'speed';

/** One kernel Transfer Lab installs on the wasm backend. */
export interface TrainingKernel {
  /** tfjs kernel name, e.g. `Conv2DBackpropFilter`. */
  name: string;
  role: KernelRole;
  make: KernelFactory;
}

const replace =
  (kernelFunc: tf.KernelFunc): KernelFactory =>
  () =>
    kernelFunc;

/** Every kernel {@link registerWasmTrainingKernels} installs, in installation order. */
export const WASM_TRAINING_KERNELS: readonly TrainingKernel[] = [
  { name: tf.Conv2DBackpropFilter, role: 'missing', make: replace(conv2dBackpropFilterKernel) },
  { name: tf.DepthwiseConv2dNativeBackpropFilter, role: 'missing', make: replace(depthwiseConv2dBackpropFilterKernel) },
  { name: tf.DepthwiseConv2dNativeBackpropInput, role: 'missing', make: replace(depthwiseConv2dBackpropInputKernel) },
  { name: tf.UnsortedSegmentSum, role: 'missing', make: replace(unsortedSegmentSumKernel) },
  { name: tf.OneHot, role: 'bugfix', make: replace(oneHotKernel) },
  { name: tf.MaxPoolGrad, role: 'bugfix', make: replace(maxPoolGradKernel) },
  { name: tf.Conv2DBackpropInput, role: 'speed', make: replace(conv2dBackpropInputKernel) },
  { name: tf.BatchMatMul, role: 'speed', make: batchMatMulOverride },
  { name: tf.FusedBatchNorm, role: 'speed', make: batchNormOverride },
  { name: tf.Tile, role: 'speed', make: tileOverride },
  { name: tf.Sum, role: 'speed', make: (original) => leadingAxesReduceOverride(tf.Sum, original) },
  { name: tf.Mean, role: 'speed', make: (original) => leadingAxesReduceOverride(tf.Mean, original) },
  { name: tf.Identity, role: 'speed', make: identityOverride },
  { name: tf.Cast, role: 'speed', make: sameDtypeCastOverride },
];

/**
 * Registers {@link WASM_TRAINING_KERNELS} for the `wasm` backend, and the wasm gradient of
 * ClipByValue (`clip-grad.ts`; other backends keep tfjs-core's). Idempotent: kernels already
 * installed by Transfer Lab are left as they are.
 *
 * @returns names of the kernels installed by this call (empty on a repeated call).
 * @throws Error if '@tensorflow/tfjs-backend-wasm' has not been imported (no original kernel to
 *   override).
 */
export function registerWasmTrainingKernels(): string[] {
  const installed: string[] = [];
  for (const kernel of WASM_TRAINING_KERNELS) {
    if (installKernel(kernel.name, 'wasm', kernel.make)) installed.push(kernel.name);
  }
  registerClipByValueGradient();
  return installed;
}
