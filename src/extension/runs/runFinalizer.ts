/**
 * Records the end of a run whose worker could not: a crash, or a forced stop. Rewrites the run's
 * `summary.json` (atomically, through the run store) with the final status, end time and reason.
 */
import type { RunStatus, RunSummary } from '../../core/runs/events.js';
import { readSummary, writeSummaryFile } from '../../core/runs/store.js';

/** Marks the run `status` with `error`; returns the new summary, or the old one when the run had already ended. */
export function finishInterruptedRun(runDir: string, status: RunStatus, error: string): RunSummary | undefined {
  const old = readSummary(runDir);
  // readSummary reports a `running` summary of a dead worker as `interrupted`.
  if (!old || (old.status !== 'running' && old.status !== 'interrupted')) return old;
  const endedAt = new Date();
  const summary: RunSummary = {
    ...old,
    status,
    error,
    pid: undefined,
    endedAt: endedAt.toISOString(),
    seconds: Math.max(old.seconds, (endedAt.getTime() - Date.parse(old.startedAt)) / 1000 || 0),
  };
  writeSummaryFile(runDir, summary);
  return summary;
}
