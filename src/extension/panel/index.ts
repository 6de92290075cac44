/**
 * Entry point of the experiment panel (webview; issue 4, built separately). Until it lands, "Open
 * Experiment Panel" opens what the panel will show: the experiment file, or a run's summary.
 * The panel implementation replaces this function's body; callers (the command, tree clicks) stay.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

/** What to show: an experiment file, optionally focused on one of its runs. */
export interface PanelTarget {
  experiment?: vscode.Uri;
  runDir?: string;
}

/** Opens (or reveals) the panel for an experiment / run. */
export async function openExperimentPanel(_extensionUri: vscode.Uri, target: PanelTarget): Promise<void> {
  if (target.runDir) {
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(target.runDir, 'summary.json')), { preview: true });
  } else if (target.experiment) {
    await vscode.window.showTextDocument(target.experiment);
  }
}
