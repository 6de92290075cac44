/**
 * The frame of an analysis run (a layer sweep, a Gabor match, strategy advice, an unsupervised
 * clustering): a {@link RunRecorder} opened and started, the analysis run on it, a thrown error
 * recorded as a `failed` run, the record finished. The analysis itself is a function of the recorder.
 */
import type { ResolvedExperiment } from '../experiment/types.js';
import type { RunTask } from '../runs/artifacts.js';
import type { BackendInfo, RunSummary } from '../runs/events.js';
import { RunRecorder, type RunCallbacks } from './recorder.js';

/**
 * Opens a run folder for `exp`, runs `analysis`, and writes the final summary: `completed`, or
 * `stopped` when a stop was requested, or `failed` with the error's message (the stack goes to the
 * log) when `analysis` throws. Never throws after the folder exists.
 * @param strategy shown as the run's strategy (e.g. `layerSweep`, `unsupervised`).
 * @throws Node fs errors only when the run folder cannot be created.
 */
export async function runAnalysis(
  exp: ResolvedExperiment,
  runsDir: string,
  backend: BackendInfo,
  cb: RunCallbacks,
  task: RunTask,
  strategy: string,
  analysis: (rec: RunRecorder) => Promise<void>,
): Promise<RunSummary> {
  const rec = RunRecorder.open(exp, runsDir, backend, cb, {
    strategy,
    epochsPlanned: 0,
    summary: { task, ...(task === 'train' ? { transferKind: exp.transfer.kind } : {}) },
  });
  rec.start();
  try {
    await analysis(rec);
    rec.summary.status = rec.shouldStop() ? 'stopped' : 'completed';
  } catch (e) {
    rec.fail(e);
  }
  return rec.finish();
}
