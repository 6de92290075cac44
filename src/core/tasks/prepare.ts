/**
 * The start-up every task shares: choose and initialise the backend (reported through the `backend`
 * callback), then load and check the experiment file with the run's seed.
 */
import { initBackend } from '../backend/index.js';
import { loadExperiment } from '../experiment/load.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import type { BackendInfo } from '../runs/events.js';
import type { RunOptions } from './options.js';
import type { RunCallbacks } from './recorder.js';

/**
 * The backend and the resolved experiment of a task.
 * @throws Error when the backend cannot be initialised; ExperimentError for a bad experiment file
 *   (exit code 2). No run folder exists yet.
 */
export async function prepareTask(opts: RunOptions, cb: RunCallbacks): Promise<{ backend: BackendInfo; exp: ResolvedExperiment }> {
  const backend = await initBackend(opts.backend);
  cb.backend?.(backend);
  const { experiment: exp } = await loadExperiment(opts.experimentFile, { runsDir: opts.runsDir, ...(opts.seed === undefined ? {} : { seed: opts.seed }) });
  return { backend, exp };
}
