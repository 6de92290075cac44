/**
 * Memory figures of the training process for the run record: the process's peak resident set and,
 * on the wasm backend, the size of the WebAssembly heap. The wasm heap only grows (it is never
 * returned to the system), so its current size is its peak; wasm32 caps it at 4 GiB, and a run that
 * needs more aborts inside the backend ("RuntimeError: Aborted()").
 */
import * as tf from '@tensorflow/tfjs';

/** Memory of the current process, bytes. */
export interface MemoryUsage {
  /** Peak resident set size of this process so far (`process.resourceUsage().maxRSS`), bytes. */
  rssPeakBytes: number;
  /** Size of the wasm backend's heap (= its peak), bytes; absent on other backends. */
  wasmHeapBytes?: number;
  /** Bytes held by live tfjs tensors now (`tf.memory().numBytes`). */
  tensorBytes: number;
}

/** The wasm heap limit of wasm32, bytes (4 GiB). */
export const WASM_HEAP_LIMIT_BYTES = 4 * 1024 ** 3;

/**
 * Size of the wasm backend's heap in bytes, or undefined when the current backend is not wasm.
 * Reads the emscripten module's `HEAPU8` view, which the module re-creates whenever the heap grows.
 */
export function wasmHeapBytes(): number | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return wasm?.HEAPU8?.buffer.byteLength;
}

/** The process's memory figures now (see {@link MemoryUsage}). */
export function memoryUsage(): MemoryUsage {
  const heap = wasmHeapBytes();
  return {
    rssPeakBytes: process.resourceUsage().maxRSS * 1024,
    ...(heap !== undefined ? { wasmHeapBytes: heap } : {}),
    tensorBytes: tf.memory().numBytes,
  };
}
