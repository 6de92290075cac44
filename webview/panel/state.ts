/** What the page knows: the host's last full state and updates, plus view-only choices. */
import type { AnalysesView, ComparisonView, ExperimentView, RunsView } from '../../src/protocol/webview.js';
import { MetricsModel } from './metricsModel.js';
import { DEFAULT_SORT, type RunFilter, type RunSort } from './runTable.js';

/** The page state every view renders from. */
export interface PageState {
  experiment?: ExperimentView;
  runs?: RunsView;
  metrics: MetricsModel;
  comparison: ComparisonView | null;
  /** Results of the experiment's analysis runs. */
  analyses: AnalysesView;
  /** Stage whose freeze the layer table edits. */
  stage: number;
  /** Logarithmic rate axis. */
  logRate: boolean;
  /** Runs ticked for comparison. */
  compareTicks: Set<string>;
  /** Steps per epoch typed for the preview. */
  previewSteps?: number;
  /** Smoothing weight of the loss per step (0: off). */
  smoothing: number;
  /** Logarithmic loss axes in the training charts. */
  logLoss: boolean;
  /** Sort of the run tables. */
  runSort: RunSort;
  /** Filters of the run tables. */
  runFilter: RunFilter;
  /** Setting shown against best validation accuracy in the comparison (undefined: the first that differs). */
  compareSetting?: string;
}

/** A fresh page state. */
export function initialState(): PageState {
  return {
    metrics: new MetricsModel(),
    comparison: null,
    analyses: {},
    stage: 0,
    logRate: false,
    compareTicks: new Set(),
    smoothing: 0.6,
    logLoss: false,
    runSort: DEFAULT_SORT,
    runFilter: {},
  };
}
