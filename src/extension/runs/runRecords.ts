/**
 * Read access to the run store for the tree and the run commands: the runs of an experiment with
 * their summaries. Layout (ARCHITECTURE.md): `<runsRoot>/<experiment>/<run-id>/summary.json`.
 *
 * Transitional: reads the documented layout directly until `src/core/runs/store.ts` lands; then this
 * file delegates to the store (same signatures), so nothing else in the extension changes.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { RunStatus, RunSummary } from '../../core/runs/events.js';

/** One run as the extension shows it. */
export interface RunRecord {
  runId: string;
  /** Absolute run folder. */
  runDir: string;
  /** Experiment folder name under the runs root. */
  experiment: string;
  /** `summary.json`, or undefined when missing or unreadable (a run that is just starting). */
  summary?: RunSummary;
  /** Status to display: a `running` summary whose process is gone reads as `interrupted`. */
  status: RunStatus;
}

/** Reads and parses `summary.json` of a run folder; undefined when absent or not JSON. */
export async function readRunSummary(runDir: string): Promise<RunSummary | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  } catch {
    return undefined;
  }
}

/** True when a process with this pid exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Display status of a summary (see {@link RunRecord.status}). */
export function displayStatus(summary: RunSummary | undefined): RunStatus {
  if (!summary) return 'running';
  if (summary.status === 'running' && summary.pid !== undefined && !isProcessAlive(summary.pid)) return 'interrupted';
  return summary.status;
}

/** Loads one run folder. */
export async function readRunRecord(runDir: string): Promise<RunRecord> {
  const summary = await readRunSummary(runDir);
  return {
    runId: summary?.runId ?? path.basename(runDir),
    runDir,
    experiment: path.basename(path.dirname(runDir)),
    summary,
    status: displayStatus(summary),
  };
}

/** Runs of one experiment, newest first (run ids sort by start time). Empty when none. */
export async function listExperimentRuns(runsRoot: string, experiment: string): Promise<RunRecord[]> {
  const dir = path.join(runsRoot, experiment);
  let names: string[];
  try {
    names = (await fs.readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  const records = await Promise.all(names.map((n) => readRunRecord(path.join(dir, n))));
  return records.sort((a, b) => (b.summary?.startedAt ?? b.runId).localeCompare(a.summary?.startedAt ?? a.runId));
}
