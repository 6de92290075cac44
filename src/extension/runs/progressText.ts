/**
 * The words every surface uses for a run in progress — the Experiments view's row, the run's
 * status-bar item and the panel header read the same {@link ActiveRun} through these functions, so
 * they cannot disagree on the epoch. Epochs count from 1 while one trains ("epoch 1/10" during the
 * first epoch, as the CLI's progress bar), the step is the optimizer step of the run (from 1).
 */
import * as path from 'node:path';
import { phaseText } from '../../core/progress.js';
import type { ActiveRun } from './runManager.js';

/** How an analysis run is named. */
const TASK_LABEL: Record<ActiveRun['task'], string> = { train: '', advise: 'advice', layerSweep: 'layer sweep', gaborMatch: 'Gabor match' };

/** The run's name: its experiment, plus the analysis task (`digits-5-9 layer sweep`). */
export function runName(r: ActiveRun): string {
  const name = r.experiment ?? path.basename(r.experimentFile, '.transfer.json');
  return r.task !== 'train' ? `${name} ${TASK_LABEL[r.task]}` : name;
}

/**
 * Where the run is: `stopping…`, its preparation (`decoding photos 120/398 (train) · ETA 35 s`,
 * `frozen features 64/320 (train)`, see `core/progress.ts`), the base's download
 * (`downloading the base 1.2/3.4 MB`, a `url` base), `starting`, or `epoch e/E · step s/S` (the
 * epoch in progress, or the last one once all are done; the step total when the summary knows the
 * steps per epoch).
 * @param r the run; `r.step` is the number of optimizer steps done (0 before the first).
 */
export function progressText(r: ActiveRun): string {
  if (r.state === 'stopping') return 'stopping…';
  if (r.phase) return phaseText(r.phase);
  if (r.state === 'starting' && r.download) {
    const d = r.download;
    return `downloading the base ${(d.received / 1e6).toFixed(1)}${d.total ? `/${(d.total / 1e6).toFixed(1)}` : ''} MB`;
  }
  if (r.state === 'starting') return 'starting';
  const planned = r.summary?.epochsPlanned;
  if (!planned) return r.step ? `step ${r.step}` : 'running';
  const epoch = Math.min(planned, r.epochsDone + 1);
  const perEpoch = r.summary?.stepsPerEpoch;
  const steps = r.step ? ` · step ${r.step}${perEpoch ? `/${perEpoch * planned}` : ''}` : '';
  return `epoch ${epoch}/${planned}${steps}`;
}
