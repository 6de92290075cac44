/**
 * What every task entry point is given: the experiment file, the runs root, the backend preference
 * and an optional seed; the `advise` task's settings. The worker builds these from the protocol's
 * `start` message; tests and benches pass them directly.
 */
import type { AdvisorThresholds } from '../advisor/rules.js';
import type { BackendPreference } from '../backend/index.js';
import type { FrozenPassHelpers } from '../features/pass-helpers.js';

/** Where and how to run an experiment file. */
export interface RunOptions {
  experimentFile: string;
  runsDir: string;
  backend: BackendPreference;
  /** Replaces the experiment's `training.seed` (recorded in the run's `config.json`). */
  seed?: number;
  /** Other cores for the frozen pass of a training run's preparation (default none). */
  helpers?: FrozenPassHelpers;
}

/** Options of the `advise` task. */
export interface TaskOptions {
  thresholds?: Partial<AdvisorThresholds>;
  sourceExperiment?: string;
}
