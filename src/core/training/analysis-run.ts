/**
 * The run record of an analysis (a layer sweep, a Gabor match, strategy advice, an unsupervised
 * clustering): the same run folder, `summary.json`, `metrics.jsonl` and callbacks as a training run,
 * plus result files (`runs/artifacts.ts`). The analysis itself is a function of this context; this
 * module only opens the record, reports a thrown error as a `failed` run, and closes it.
 */
import * as path from 'node:path';
import type { ResolvedExperiment } from '../experiment/types.js';
import { ARTIFACT_FILES, type ArtifactName, type RunTask } from '../runs/artifacts.js';
import type { BackendInfo, RunEvent, RunResult, RunSummary } from '../runs/events.js';
import { createRun, writeJsonAtomic, type RunHandle } from '../runs/store.js';
import type { RunCallbacks } from './run.js';

/** What an analysis gets. */
export interface AnalysisContext {
  exp: ResolvedExperiment;
  run: RunHandle;
  /** Live summary; the analysis may set `examples`, `results`; `finish` writes it. */
  summary: RunSummary;
  /** Appends to metrics.jsonl (logs also to worker.log) and forwards to the callbacks. */
  emit(e: RunEvent): void;
  /** Writes a result file atomically, records it in the summary and emits an `artifact` event. */
  writeArtifact(name: ArtifactName, value: unknown): string;
  /** Adds a headline number to the summary. */
  result(name: string, value: number, unit?: RunResult['unit']): void;
  /** Rewrites `summary.json` (progress). */
  writeSummary(): void;
  shouldStop(): boolean;
}

/**
 * Opens a run folder for `exp`, runs `analysis`, and writes the final summary: `completed`, or
 * `stopped` when a stop was requested, or `failed` with the error's message (the stack goes to the
 * log) when `analysis` throws. Never throws after the folder exists.
 * @param strategy shown as the run's strategy (e.g. `layerSweep`, `unsupervised`).
 */
export async function runAnalysis(
  exp: ResolvedExperiment,
  runsDir: string,
  backend: BackendInfo,
  cb: RunCallbacks,
  task: RunTask,
  strategy: string,
  analysis: (ctx: AnalysisContext) => Promise<void>,
): Promise<RunSummary> {
  const run = createRun(runsDir, exp);
  const t0 = performance.now();
  const summary: RunSummary = {
    ...initialSummary(run, exp, backend, strategy, 0),
    task,
    ...(task === 'train' ? { transferKind: exp.transfer.kind } : {}),
  };
  const writeSummary = () => {
    summary.seconds = (performance.now() - t0) / 1000;
    run.writeSummary(summary);
    cb.summary?.(run.id, summary);
  };
  const emit = (e: RunEvent) => {
    run.append(e);
    if (e.kind === 'log') run.log(`[${e.level}] ${e.message}`);
    cb.event?.(run.id, e);
  };
  const ctx: AnalysisContext = {
    exp,
    run,
    summary,
    emit,
    writeArtifact(name, value) {
      const file = ARTIFACT_FILES[name];
      writeJsonAtomic(path.join(run.dir, file), value);
      summary.artifacts = { ...summary.artifacts, [name]: file };
      emit({ kind: 'artifact', name, file });
      writeSummary();
      return file;
    },
    result(name, value, unit) {
      (summary.results ??= []).push({ name, value, ...(unit ? { unit } : {}) });
    },
    writeSummary,
    shouldStop: () => cb.shouldStop?.() ?? false,
  };
  writeSummary();
  cb.started?.(run.id, run.dir, exp);
  emit({ kind: 'log', level: 'info', message: `backend ${backend.name}: ${backend.reason}` });
  try {
    await analysis(ctx);
    summary.status = ctx.shouldStop() ? 'stopped' : 'completed';
  } catch (e) {
    summary.status = 'failed';
    summary.error = (e as Error).message;
    emit({ kind: 'log', level: 'error', message: (e as Error).stack ?? String(e) });
  }
  summary.endedAt = new Date().toISOString();
  delete summary.pid;
  writeSummary();
  run.close();
  return summary;
}

/**
 * The `summary.json` of a run that has just started: status `running`, this process's pid, no epochs
 * done. Shared by training runs (`run.ts`) and analysis runs so both records have the same shape.
 */
export function initialSummary(run: RunHandle, exp: ResolvedExperiment, backend: BackendInfo, strategy: string, epochsPlanned: number): RunSummary {
  return {
    runId: run.id,
    experiment: exp.name,
    experimentFile: exp.file,
    status: 'running',
    pid: process.pid,
    startedAt: new Date().toISOString(),
    seconds: 0,
    backend,
    strategy,
    seed: exp.training.seed,
    epochsPlanned,
    epochsDone: 0,
  };
}
