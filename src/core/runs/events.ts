/**
 * Events a run emits. The worker sends them to its parent over IPC and the run store appends each to
 * `metrics.jsonl` (one JSON object a line), so live views and history replay read the same records.
 */
import type { ArtifactName, RunTask } from './artifacts.js';

export type RunStatus = 'running' | 'completed' | 'stopped' | 'failed' | 'diverged' | 'interrupted';

/** Which TensorFlow.js backend ran, and why it was chosen. */
export interface BackendInfo {
  /** tfjs backend name: `tensorflow` (tfjs-node), `wasm`, or `cpu`. */
  name: string;
  /** Human-readable reason, e.g. "@tensorflow/tfjs-node not installed: fell back to wasm". */
  reason: string;
  /** wasm threads in use (1 in Node unless forced). */
  threads?: number;
}

/** Emitted once per optimizer step. */
export interface StepEvent {
  kind: 'step';
  /** Global step index, 0-based, over the whole run. */
  step: number;
  epoch: number;
  stage: number;
  /** Mean training loss of the batch. */
  loss: number;
  /** Learning rate applied at this step, per layer group name (`head` always present). */
  lr: Record<string, number>;
}

/** Emitted after each epoch's validation. Times in seconds. */
export interface EpochEvent {
  kind: 'epoch';
  /** 0-based epoch over the whole run. */
  epoch: number;
  stage: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Wall time of the epoch, seconds. */
  seconds: number;
  /** Training examples processed per second in this epoch. */
  samplesPerSecond: number;
  /** Live tfjs tensors after the epoch (should stay flat). */
  numTensors: number;
  /**
   * Set when a stop ended the epoch before its last step: the steps it trained of its steps per epoch.
   * A partial epoch is never chosen as the best epoch and does not count in `epochsDone`.
   */
  partial?: { steps: number; of: number };
}

/** Emitted when a stage begins. */
export interface StageEvent {
  kind: 'stage';
  stage: number;
  name: string;
  epochs: number;
  /** Names of base layers frozen in this stage. */
  frozen: string[];
  /** Names of base layers trained in this stage. */
  trainable: string[];
}

export interface LogEvent {
  kind: 'log';
  level: 'info' | 'warn' | 'error';
  message: string;
  /**
   * `preparation`: a summary of what the run's preparation read from the cache or computed (photos,
   * frozen features, threads, seconds), which the CLI shows in the terminal beside warnings.
   */
  topic?: 'preparation';
}

/** Final evaluation on the test split. */
export interface TestEvent {
  kind: 'test';
  loss: number;
  accuracy: number;
  /** Which checkpoint was evaluated. */
  checkpoint: 'best' | 'last';
  examples: number;
}

/** A result file was written to the run folder (its shape: `artifacts.ts`). */
export interface ArtifactEvent {
  kind: 'artifact';
  name: ArtifactName;
  /** File name relative to the run folder. */
  file: string;
}

/** One candidate layer of a layer sweep was scored (the panel can chart them as they come). */
export interface SweepEvent {
  kind: 'sweep';
  layer: string;
  /** Base layer index, −1 for the raw input. */
  index: number;
  features: number;
  trainAccuracy: number;
  valAccuracy?: number;
  testAccuracy?: number;
}

/** One step of a transductive run: target accuracy after it (labels held back, reporting only). */
export interface AdaptEvent {
  kind: 'adapt';
  phase: 'source' | 'adaBN' | 'selfTraining';
  round?: number;
  targetAccuracy?: number;
  sourceValAccuracy?: number;
  pseudoLabels?: number;
  pseudoLabelAccuracy?: number;
}

export type RunEvent = StepEvent | EpochEvent | StageEvent | LogEvent | TestEvent | ArtifactEvent | SweepEvent | AdaptEvent;

/** A headline number of a run (shown by the CLI table and tooltips). */
export interface RunResult {
  name: string;
  value: number;
  /** `fraction`: shown as a percentage. */
  unit?: 'fraction';
}

/** Files a run's data loader skipped, grouped by reason (see `skippedSummary`). */
export interface SkippedSummary {
  /** Files skipped in all. */
  count: number;
  /** One entry per distinct reason, most frequent first: how many files, and the first few of them (absolute paths). */
  reasons: { reason: string; count: number; files: string[] }[];
}

/** `summary.json`: written atomically at start, after each epoch and at the end. */
export interface RunSummary {
  runId: string;
  experiment: string;
  experimentFile: string;
  status: RunStatus;
  /** Process id of the worker while running. */
  pid?: number;
  /** `training.seed` of the run (a `--seed` replaces the file's): which draw of split, labels and initialisation. Absent in older runs. */
  seed?: number;
  startedAt: string;
  endedAt?: string;
  /** Wall time so far / in total, seconds. */
  seconds: number;
  backend?: BackendInfo;
  strategy: string;
  epochsPlanned: number;
  /** Optimizer steps per epoch (ceil(train examples / batch size)). */
  stepsPerEpoch?: number;
  epochsDone: number;
  bestEpoch?: number;
  best?: { valLoss?: number; valAccuracy?: number };
  final?: { trainLoss: number; trainAccuracy: number; valLoss?: number; valAccuracy?: number };
  test?: { loss: number; accuracy: number; checkpoint: 'best' | 'last'; examples: number };
  /** Counts of training/validation/test examples. */
  examples?: { train: number; validation: number; test: number };
  /** Input files left out of the run (unreadable or corrupt images): how many, and why (absent: none). */
  skipped?: SkippedSummary;
  /** Present when status is failed or diverged. */
  error?: string;
  /** CPU time (user + system) of the training process at the end of the run, seconds: steadier than wall time on a busy machine. */
  cpuSeconds?: number;
  /** Memory of the training process at the end of the run, bytes (see `backend/memory.ts`). */
  memory?: {
    /** Peak resident set size of the worker process. */
    rssPeakBytes: number;
    /** Size (= peak) of the wasm backend's heap; wasm32 caps it at 4 GiB. Absent on other backends. */
    wasmHeapBytes?: number;
  };
  /** What the run did (absent: `train`). */
  task?: RunTask;
  /** `transfer.kind` of a `train` run (absent: `inductive`). */
  transferKind?: string;
  /** Result files in the run folder, by name (see `artifacts.ts`). */
  artifacts?: Partial<Record<ArtifactName, string>>;
  /** Headline numbers of the analysis kinds and tasks, in the order to show them. */
  results?: RunResult[];
}
