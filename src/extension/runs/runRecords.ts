/**
 * The run store as the tree and the run commands see it: the runs of an experiment with their
 * summaries, read through `src/core/runs/store.ts` (the record the worker writes).
 */
import * as path from 'node:path';
import type { RunStatus, RunSummary } from '../../core/runs/events.js';
import { readRunMetaSafe, type RunMeta } from '../../core/runs/meta.js';
import { listRuns, readSummary } from '../../core/runs/store.js';

/** One run as the extension shows it. */
export interface RunRecord {
  runId: string;
  /** Absolute run folder. */
  runDir: string;
  /** Experiment folder name under the runs root. */
  experiment: string;
  /** `summary.json` (a `running` one whose worker is gone reads as `interrupted`); undefined while a run is being created. */
  summary?: RunSummary;
  /** Status to display. */
  status: RunStatus;
  /** Name, tags and notes from `meta.json` (`{}` when absent or unreadable). */
  meta: RunMeta;
  /** Why `meta.json` could not be read (names the file), when it could not. */
  metaError?: string;
}

/** `meta` and `metaError` of a run folder. */
function metaOf(runDir: string): Pick<RunRecord, 'meta' | 'metaError'> {
  const { meta, error } = readRunMetaSafe(runDir);
  return error ? { meta, metaError: error } : { meta };
}

/** Loads one run folder. */
export function readRunRecord(runDir: string): RunRecord {
  const summary = readSummary(runDir);
  return {
    runId: summary?.runId ?? path.basename(runDir),
    runDir,
    experiment: path.basename(path.dirname(runDir)),
    summary,
    status: summary?.status ?? 'running',
    ...metaOf(runDir),
  };
}

/** Runs of one experiment (by experiment name), newest first. Empty when none. */
export function listExperimentRuns(runsRoot: string, experiment: string): RunRecord[] {
  return listRuns(runsRoot, experiment).map((r) => ({
    runId: r.runId,
    runDir: r.dir,
    experiment: r.experiment,
    summary: r.summary,
    status: r.summary.status,
    ...metaOf(r.dir),
  }));
}

/** True for a run that trains (`summary.task` `train` or absent): the runs the Training view follows; the others are analyses. */
export function isTrainingRun(r: Pick<RunRecord, 'summary'>): boolean {
  const task = r.summary?.task;
  return task === undefined || task === 'train';
}
