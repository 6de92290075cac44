/**
 * What `activate` returns: handles for the extension-host tests (and other extensions) to observe
 * runs and the tree. Not a stable public API.
 */
import type { AnalysesView, ComparisonView, ExperimentDetail, LayerRow, RunsView, WebviewToHost } from '../protocol/webview.js';
import type { PredictionsMessage } from '../protocol/predictions.js';
import type { PredictionsPageState } from './predictions/predictionsPanel.js';
import type { ExperimentDiagnostics } from './diagnostics/experimentDiagnostics.js';
import type { RunManager } from './runs/runManager.js';
import type { ExperimentsTree } from './tree/experimentsTree.js';

/** The extension's exports. */
export interface TransferLabApi {
  runs: RunManager;
  tree: ExperimentsTree;
  diagnostics: ExperimentDiagnostics;
  /** What the analysis views of an experiment's open panel show (undefined: no panel open for that file). */
  panelAnalyses(file: string): AnalysesView | undefined;
  /** The run the Training view of an experiment's open panel shows (null: none; undefined: no panel open for that file). */
  panelShownRun(file: string): string | null | undefined;
  /** The run table of an experiment's open panel, as last computed from the store (undefined: no panel open for that file). */
  panelRuns(file: string): RunsView | undefined;
  /** The comparison an experiment's open panel shows (null: none; undefined: no panel open for that file). */
  panelComparison(file: string): ComparisonView | null | undefined;
  /** What the header of an experiment's open panel says about the kind of transfer (undefined: no panel or no valid text yet). */
  panelTransfer(file: string): Promise<Pick<ExperimentDetail, 'kind' | 'method' | 'strategy'> | undefined> | undefined;
  /** Texts of the runs' status-bar items, one per run in progress, oldest first (drawn from the runs' state at the call). */
  statusBarTexts(): string[];
  /** The layer table of an experiment's open panel, once checked (and a text base's coverage read); undefined: no panel or no valid text. */
  panelLayers(file: string): Promise<LayerRow[] | undefined> | undefined;
  /** Hands an experiment's open panel a message as if its page had sent it (false: no panel open for that file). */
  panelReceive(file: string, message: WebviewToHost): Promise<boolean>;
  /** The open "Classify with Run…" result pages (result, HTML, resource roots), oldest first. */
  predictionsPages(): PredictionsPageState[];
  /** Hands the result page of a run a message as if the page had sent it (a click on a row). */
  predictionsReceive(runDir: string, message: PredictionsMessage): Promise<void>;
  /** Wall time of `activate`, milliseconds. */
  activationMs: number;
}
