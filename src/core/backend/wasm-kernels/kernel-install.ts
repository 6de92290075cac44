/**
 * Installing kernels into the tfjs kernel registry: adding a missing kernel, replacing a buggy one,
 * or wrapping an existing one with a fast path that falls back to the original. Every function
 * installed here carries a marker, so installing twice (or from two bundled copies of this module)
 * is a no-op.
 */
import * as tf from '@tensorflow/tfjs';

/** Global marker: `Symbol.for` gives the same symbol to every copy of this module in the process. */
const INSTALLED_BY_TRANSFER_LAB = Symbol.for('transfer-lab.wasm-training-kernel');

type MarkedKernelFunc = tf.KernelFunc & { [INSTALLED_BY_TRANSFER_LAB]?: true };

/**
 * Builds the kernel function to install. `original` is the kernel function registered before
 * (undefined when the backend has none); overrides call it outside the case they speed up.
 */
export type KernelFactory = (original: tf.KernelFunc | undefined) => tf.KernelFunc;

/** True when the kernel registered for `kernelName` on `backendName` was installed by Transfer Lab. */
export function isInstalledByUs(kernelName: string, backendName: string): boolean {
  const config = tf.getKernel(kernelName, backendName) as tf.KernelConfig | undefined;
  return (config?.kernelFunc as MarkedKernelFunc | undefined)?.[INSTALLED_BY_TRANSFER_LAB] === true;
}

/**
 * Registers `make(original)` as the kernel `kernelName` of backend `backendName`, replacing the
 * current registration if any. The original's `setupFunc`/`disposeFunc` are kept, so the original
 * still works as a fallback if the backend is re-initialised.
 *
 * @returns `true` if the kernel was installed, `false` if ours was already installed.
 * @throws whatever `make` throws (e.g. an override whose original kernel is missing).
 */
export function installKernel(kernelName: string, backendName: string, make: KernelFactory): boolean {
  if (isInstalledByUs(kernelName, backendName)) return false;
  const existing = tf.getKernel(kernelName, backendName) as tf.KernelConfig | undefined;
  const kernelFunc = make(existing?.kernelFunc) as MarkedKernelFunc;
  kernelFunc[INSTALLED_BY_TRANSFER_LAB] = true;
  if (existing) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({
    kernelName,
    backendName,
    kernelFunc,
    setupFunc: existing?.setupFunc,
    disposeFunc: existing?.disposeFunc,
  });
  return true;
}

/**
 * Returns kernel input `name` as a Tensor. The engine passes the Tensors that ops were called with;
 * a bare TensorInfo means the kernel was called directly by other backend code, which our
 * compositions (built from tf ops) cannot serve.
 *
 * @throws Error if the input is missing or is not a Tensor.
 */
export function tensorInput<T extends tf.Tensor>(inputs: tf.NamedTensorInfoMap, name: string, kernelName: string): T {
  const value = inputs[name];
  if (!(value instanceof tf.Tensor)) {
    throw new Error(
      `${kernelName}: input '${name}' must be a tf.Tensor (run the kernel through tf ops or ` +
        `tf.engine().runKernel), got ${value === undefined ? 'nothing' : 'a bare TensorInfo'}`,
    );
  }
  return value as T;
}

/** Throws unless `original` exists; overrides need it for the cases they do not handle. */
export function requireOriginal(kernelName: string, original: tf.KernelFunc | undefined): tf.KernelFunc {
  if (original === undefined) {
    throw new Error(`${kernelName}: no kernel to override is registered for this backend`);
  }
  return original;
}
