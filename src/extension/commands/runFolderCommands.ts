/** Transfer Lab: Open Run Folder and Open Run Summary. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runTarget } from './targets.js';

/** Reveals the run folder: in the Explorer when it is inside the workspace, else in the OS file manager. */
export async function openRunFolder(arg?: unknown): Promise<vscode.Uri | undefined> {
  const run = await runTarget(arg, 'Pick a run to open its folder');
  if (!run) return undefined;
  const uri = vscode.Uri.file(run.runDir);
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.commands.executeCommand('revealFileInOS', uri);
  return uri;
}

/** Opens the run's `summary.json` in an editor. */
export async function openRunSummary(arg?: unknown): Promise<vscode.TextEditor | undefined> {
  const run = await runTarget(arg, 'Pick a run to open its summary');
  if (!run) return undefined;
  return vscode.window.showTextDocument(vscode.Uri.file(path.join(run.runDir, 'summary.json')), { preview: true });
}
