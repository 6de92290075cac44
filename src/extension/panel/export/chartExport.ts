/**
 * Saves a chart export from the panel: asks where with VS Code's save dialog (starting in `folder`, the
 * shown run's folder or the experiment's), writes the file, and offers to open it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WebviewToHostMessages } from '../../../protocol/webview.js';
import { exportBytes } from './exportFile.js';

/**
 * Asks where to save the export and writes it there.
 * @returns the file written, or undefined when the dialog was cancelled.
 * @throws Error from {@link exportBytes} for a malformed export, or the file system's error.
 */
export async function saveChartExport(m: WebviewToHostMessages['exportChart'], folder: vscode.Uri): Promise<vscode.Uri | undefined> {
  const bytes = exportBytes(m);
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, m.name),
    filters: m.format === 'png' ? { 'PNG image': ['png'] } : { 'CSV (comma-separated values)': ['csv'] },
    title: `Save ${m.name}`,
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(`Transfer Lab: saved ${path.basename(target.fsPath)}.`, 'Open').then((choice) => {
    if (choice === 'Open') void vscode.commands.executeCommand('vscode.open', target);
  });
  return target;
}
