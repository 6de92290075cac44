/**
 * Records the end of a run whose worker could not: a crash, or a forced stop. Rewrites the run's
 * `summary.json` atomically (temp file, then rename) with the final status, end time and reason.
 * Transitional until `src/core/runs/store.ts` lands with its own summary writer.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { RunStatus, RunSummary } from '../../core/runs/events.js';
import { readRunSummary } from './runRecords.js';

/** Marks the run `status` with `error`; returns the new summary, or undefined when there was none to update. */
export async function finishInterruptedRun(runDir: string, status: RunStatus, error: string): Promise<RunSummary | undefined> {
  const old = await readRunSummary(runDir);
  if (!old || old.status !== 'running') return old;
  const endedAt = new Date();
  const summary: RunSummary = {
    ...old,
    status,
    error,
    pid: undefined,
    endedAt: endedAt.toISOString(),
    seconds: Math.max(old.seconds, (endedAt.getTime() - Date.parse(old.startedAt)) / 1000 || 0),
  };
  const file = path.join(runDir, 'summary.json');
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(summary, null, 2) + '\n');
  await fs.rename(tmp, file);
  return summary;
}
