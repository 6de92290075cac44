/**
 * Transfer Lab: Compare Runs… — opens the experiment panel's comparison of two or more runs (a tree
 * multi-selection, run folders, or a multi-select pick; runs of different experiments may be compared):
 * validation accuracy and loss per epoch overlaid, the settings that differ, and a chosen setting
 * against best validation accuracy. The panel of the first picked run's experiment (whose file still
 * exists) hosts it.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ComparisonView } from '../../protocol/webview.js';
import { experimentPanels, openExperimentPanel } from '../panel/index.js';
import { pickRuns, runsFromArgs, type RunTarget } from './targets.js';

/** The experiment file whose panel shows the comparison: the first run's whose file still exists. */
export function hostExperiment(runs: readonly RunTarget[]): vscode.Uri | undefined {
  for (const r of runs) {
    if (r.experimentEntry && fs.existsSync(r.experimentEntry.uri.fsPath)) return r.experimentEntry.uri;
    const file = r.summary?.experimentFile;
    if (file && fs.existsSync(file)) return vscode.Uri.file(file);
  }
  return undefined;
}

/** Compares two or more runs in the experiment panel; returns what the comparison shows (undefined when cancelled). */
export async function compareRuns(arg?: unknown, selection?: unknown): Promise<ComparisonView | undefined> {
  let runs = await runsFromArgs(arg, selection);
  if (runs.length < 2)
    runs =
      (await pickRuns(
        'Pick two or more runs to compare (of any experiment)',
        runs.map((r) => r.runDir),
      )) ?? [];
  if (runs.length < 2) {
    if (runs.length === 1) void vscode.window.showInformationMessage('Pick at least two runs to compare.');
    return undefined;
  }
  const experiment = hostExperiment(runs);
  if (!experiment) {
    void vscode.window.showWarningMessage('Transfer Lab: the experiment files of these runs are gone; open one of them to compare its runs.');
    return undefined;
  }
  await openExperimentPanel({ experiment });
  const panel = experimentPanels()?.get(experiment.fsPath);
  if (!panel) return undefined;
  panel.showComparison(runs.map((r) => r.runDir));
  return panel.comparison() ?? undefined;
}
