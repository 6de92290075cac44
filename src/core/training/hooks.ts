/**
 * The trainer's contract with its host (the `train` task, transductive self-training, a test): the
 * hooks it calls and the result it returns.
 */
import type { PhaseProgress } from '../progress.js';
import type { RunEvent, RunStatus } from '../runs/events.js';

/** What the trainer needs from its host (the worker, or a test). */
export interface TrainerHooks {
  emit(event: RunEvent): void;
  /** Polled between steps; true ends training after the current step with status `stopped`. */
  shouldStop(): boolean;
  /** Writes the current weights as checkpoint `which`. */
  saveCheckpoint(which: 'best' | 'last'): Promise<void>;
  /** In-place augmentation of a gathered batch [n, ...shape], or undefined when off; not applied in a stage with `augment: false`. */
  augment?: (x: Float32Array, n: number) => void;
  /** Progress of the frozen layers' pass over the training and validation examples before a stage (at most every 250 ms). */
  progress?: (p: PhaseProgress) => void;
}

/** What `Trainer.train` returns. */
export interface TrainResult {
  status: Extract<RunStatus, 'completed' | 'stopped' | 'diverged'>;
  epochsDone: number;
  bestEpoch?: number;
  best?: { valLoss?: number; valAccuracy?: number };
  final?: { trainLoss: number; trainAccuracy: number; valLoss?: number; valAccuracy?: number };
  /** Which checkpoints were written. */
  checkpoints: { best: boolean; last: boolean };
  /** Epoch (0-based) of the `last` checkpoint on disk, when one was written. */
  lastEpochSaved?: number;
  error?: string;
}
