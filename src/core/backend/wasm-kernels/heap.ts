/**
 * Direct access to the wasm backend's heap for kernels written as plain JavaScript loops: the
 * backend keeps every tensor in its WebAssembly memory, so a kernel can read its inputs and write
 * its output there with no copy — what the backend's own JS kernels (Cast, Concat…) do. Used where a
 * single loop beats a composition of many tfjs ops, each of which would sweep the whole tensor.
 */
import type * as tf from '@tensorflow/tfjs';

/** The part of tfjs-backend-wasm's `BackendWasm` (4.22) that direct kernels use. */
export interface WasmHeapBackend {
  /** Allocates an output tensor on the heap (contents undefined). */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A typed-array view of a tensor's heap memory (float32 → Float32Array). */
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** True when `backend` exposes the heap API (the wasm backend does; others fall back to compositions). */
export function hasHeap(backend: unknown): backend is WasmHeapBackend {
  const b = backend as Partial<WasmHeapBackend> | undefined;
  return typeof b?.makeOutput === 'function' && typeof b?.typedArrayFromHeap === 'function';
}

/**
 * Allocates a float32 output of `shape` and returns it with views of it and of `inputs`, taken
 * after the allocation (an allocation can grow the heap, which detaches views taken before it).
 * Views must not be kept across another allocation.
 *
 * @returns the output's TensorInfo, a view of the output (contents undefined: write every element)
 *   and views of the inputs, in order.
 */
export function allocFloat32(
  backend: WasmHeapBackend,
  shape: number[],
  inputs: tf.TensorInfo[],
): { out: tf.TensorInfo; outView: Float32Array; views: Float32Array[] } {
  const out = backend.makeOutput(shape, 'float32');
  const outView = backend.typedArrayFromHeap(out) as Float32Array;
  const views = inputs.map((t) => backend.typedArrayFromHeap(t) as Float32Array);
  return { out, outView, views };
}
