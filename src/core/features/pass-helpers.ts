/**
 * Other cores for a frozen pass. A run's preparation (the frozen prefix over every training and
 * validation example) is one long inference pass; on the wasm backend one process computes on one
 * thread. The training child process offers helpers (`src/worker/feature-threads.ts`: worker
 * threads, each with its own tfjs engine and wasm instance) that run a copy of the frozen prefix on
 * batches the trainer hands them, while the trainer's own thread computes other batches.
 * Core code sees only these interfaces.
 */
import * as os from 'node:os';
import type * as tf from '@tensorflow/tfjs';

/** Features of a batch: `data` [n, ...shape] row-major, `shape` that of one example. */
export interface FeatureBatch {
  data: Float32Array;
  shape: number[];
}

/** One helper running a loaded frozen prefix. */
export interface RemotePass {
  /**
   * Features of `x` ([n, ...exampleShape] row-major; its buffer may be transferred, do not reuse it).
   * @throws Error when the helper failed or exited.
   */
  compute(x: Float32Array, n: number): Promise<FeatureBatch>;
}

/** Helpers started for one prefix; close them when the pass is done. */
export interface PassHelperGroup {
  readonly passes: RemotePass[];
  /** Ends every helper (idempotent). */
  close(): Promise<void>;
}

/** What the training process offers. */
export interface FrozenPassHelpers {
  /** Helpers {@link start} starts (0: none; then the trainer's thread does everything). */
  readonly count: number;
  /** Why the thread count is not the one asked for (a bad {@link PREP_THREADS_ENV}), for the run's log. */
  readonly problem?: string;
  /**
   * Starts the helpers with a copy of `prefix` (its topology and weight values); resolves once each
   * has loaded it. `prefix` maps one example of `exampleShape` (batched) to the frozen features.
   * @throws Error when a helper cannot start or cannot load the model (the caller then computes alone).
   */
  start(prefix: tf.LayersModel, exampleShape: readonly number[]): Promise<PassHelperGroup>;
}

/** Environment variable: threads for a run's frozen pass, the caller's included (1: no helpers). */
export const PREP_THREADS_ENV = 'TRANSFER_LAB_PREP_THREADS';

/**
 * Threads a run's preparation may use: `env[PREP_THREADS_ENV]` when it is a positive integer, else
 * `os.availableParallelism()`.
 */
export function preparationThreads(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env[PREP_THREADS_ENV]);
  return Number.isInteger(v) && v >= 1 ? v : os.availableParallelism();
}

/**
 * Why `env[PREP_THREADS_ENV]`, when set, is not used: e.g. `TRANSFER_LAB_PREP_THREADS="0" is not a
 * positive integer: the frozen pass uses 2 threads (the machine's cores)`; undefined when unset or valid.
 */
export function preparationThreadsProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env[PREP_THREADS_ENV];
  if (raw === undefined || raw === '') return undefined;
  const v = Number(raw);
  if (Number.isInteger(v) && v >= 1) return undefined;
  return `${PREP_THREADS_ENV}=${JSON.stringify(raw)} is not a positive integer: the frozen pass uses ${os.availableParallelism()} threads (the machine's cores)`;
}
