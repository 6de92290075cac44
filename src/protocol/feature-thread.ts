/**
 * The contract between the training child process and its frozen-pass threads
 * (`src/worker/feature-threads.ts` ↔ `src/worker/feature-thread.ts`). A thread is given the frozen
 * prefix once, as tfjs model artifacts, and then input batches; it answers each batch with its
 * features. Buffers are transferred, not copied.
 */
import type { BackendPreference } from '../core/backend/index.js';

/** `workerData` of a thread: the backend to initialise (the process's own choice). */
export interface FeatureThreadData {
  backend: BackendPreference;
}

/** Process → thread. */
export type ToFeatureThread =
  /** The frozen prefix: `modelTopology` JSON, weight specs and their values (one buffer). */
  | { type: 'load'; modelTopology: unknown; weightSpecs: unknown[]; weightData: ArrayBuffer }
  /** Features of `n` examples `x` ([n, ...exampleShape] row-major). */
  | { type: 'compute'; id: number; x: Float32Array; n: number; exampleShape: number[] };

/** Thread → process. */
export type FromFeatureThread =
  | { type: 'loaded'; backend: string }
  | { type: 'features'; id: number; data: Float32Array; shape: number[] }
  /** A failure: of `load` (no id) or of one `compute`. The thread stays up after a compute failure. */
  | { type: 'error'; id?: number; message: string };
