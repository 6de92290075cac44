/**
 * The host↔worker contract: every message the extension host or the CLI sends to the training child
 * process, and every message the child sends back. Both sides import only this module, so the
 * contract is readable in one place. Large results (checkpoints, embeddings) go to files in the run
 * folder, never over IPC.
 */
import type { BackendInfo, RunEvent, RunSummary } from '../core/runs/events.js';
import type { RunTask } from '../core/runs/artifacts.js';
import type { BackendPreference } from '../core/backend/index.js';

export type { BackendPreference };
import type { DownloadProgress } from '../core/models/download.js';
import type { PhaseProgress } from '../core/progress.js';

/** Settings of the `advise` task (thresholds of the verdicts, an explicit source experiment). */
export interface AdviseTaskOptions {
  thresholds?: { smallPerClass?: number; differentDomainAccuracy?: number; maxSpecificityGap?: number };
  /** Absolute path of the source experiment file (default: the experiment of a `run` base). */
  sourceExperiment?: string;
}

/** Parent → worker. */
export type HostToWorker =
  | {
      type: 'start';
      /** Absolute path of the `*.transfer.json` file. */
      experimentFile: string;
      /** Absolute runs root (default `<workspace>/.transfer-lab/runs`). */
      runsDir: string;
      backend: BackendPreference;
      /** What to run (default `train`): see `core/tasks/run-task.ts`. */
      task?: RunTask;
      /** Settings of the `advise` task. */
      taskOptions?: AdviseTaskOptions;
      /** Replaces the experiment's `training.seed` for this run (another label draw / initialisation). */
      seed?: number;
    }
  /** Finish the current step, write a checkpoint and a summary with status `stopped`, exit. */
  | { type: 'stop' };

/** The `start` message: what to run and where. */
export type StartMessage = Extract<HostToWorker, { type: 'start' }>;

/** The settings of a run as the host gives them to a worker (the `start` message without its type). */
export type WorkerRunSettings = Omit<StartMessage, 'type'>;

/** Worker → parent. */
export type WorkerToHost =
  | { type: 'ready'; pid: number }
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'runStarted'; runId: string; runDir: string; experiment: string }
  | { type: 'event'; runId: string; event: RunEvent }
  /** Progress of a base model's download (a `url` base), before the run folder exists; throttled to 4 a second. */
  /** Progress of the preparation (decoding photos, frozen features), before the first step of a stage; at most 4 a second per phase. */
  | { type: 'phase'; progress: PhaseProgress }
  | { type: 'download'; progress: DownloadProgress }
  | { type: 'summary'; runId: string; summary: RunSummary }
  /** The run ended (any status); the worker exits after sending it. */
  | { type: 'done'; runId: string; summary: RunSummary }
  /** A failure before a run folder exists (bad experiment file, backend failure). `exitCode` 2 = bad input. */
  | { type: 'fatal'; message: string; exitCode: 1 | 2 };

export function isWorkerToHost(m: unknown): m is WorkerToHost {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
