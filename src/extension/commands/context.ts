/** What command handlers need from the extension: its services, passed once at registration. */
import type * as vscode from 'vscode';
import type { ExperimentDiagnostics } from '../diagnostics/experimentDiagnostics.js';
import type { RunManager } from '../runs/runManager.js';
import type { ExperimentsTree } from '../tree/experimentsTree.js';

/** Services shared by the command handlers. */
export interface CommandContext {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  runs: RunManager;
  tree: ExperimentsTree;
  diagnostics: ExperimentDiagnostics;
}
