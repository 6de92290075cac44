/**
 * The run store as the tree and the run commands see it: the runs of an experiment with their
 * summaries, read through `src/core/runs/store.ts` (the record the worker writes).
 */
import * as path from 'node:path';
import type { RunStatus, RunSummary } from '../../core/runs/events.js';
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
  }));
}
