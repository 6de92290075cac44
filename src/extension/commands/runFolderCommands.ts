/** Transfer Lab: Open Run Folder and Open Run Summary. */
import * as vscode from 'vscode';
import { runTarget } from './targets.js';
import { summaryUri } from '../runs/runSummaryDocument.js';

/** Reveals the run folder: in the Explorer when it is inside the workspace, else in the OS file manager. */
export async function openRunFolder(arg?: unknown): Promise<vscode.Uri | undefined> {
  const run = await runTarget(arg, 'Pick a run to open its folder');
  if (!run) return undefined;
  const uri = vscode.Uri.file(run.runDir);
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.commands.executeCommand('revealFileInOS', uri);
  return uri;
}

/**
 * Opens the run's readable summary (epochs from 1, seconds rounded, what the model got wrong) in the
 * Markdown preview; its first line links the raw `summary.json`. Without the Markdown preview (the
 * built-in extension disabled), the Markdown opens as text.
 * @returns the readable summary's document
 */
export async function openRunSummary(arg?: unknown): Promise<vscode.TextDocument | undefined> {
  const run = await runTarget(arg, 'Pick a run to open its summary');
  if (!run) return undefined;
  const uri = summaryUri(run.runDir);
  const doc = await vscode.workspace.openTextDocument(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(doc, { preview: true });
  }
  return doc;
}
