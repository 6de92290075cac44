/**
 * Undo and redo pressed in an experiment panel, carried out on the experiment's text document: the
 * panel's edits are edits of that document, so its undo stack is the one to step through. VS Code
 * would otherwise run `undo` inside the webview (where it does nothing). The `undo` / `redo` commands
 * act on the focused editor, so the document's editor takes focus for the command and the panel gets
 * it back afterwards.
 */
import * as vscode from 'vscode';

/** What the panel asked for. */
export type HistoryAction = 'undo' | 'redo';

/**
 * Undoes or redoes the last change of the experiment document at `uri`, then gives the focus back to
 * `panel`. The document is saved afterwards when it had no unsaved changes before (as after a panel
 * edit), so the file on disk keeps matching the panel.
 */
export async function stepDocumentHistory(uri: vscode.Uri, action: HistoryAction, panel: vscode.WebviewPanel): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const wasDirty = doc.isDirty;
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const column = shown?.viewColumn ?? (panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
  await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: false });
  await vscode.commands.executeCommand(action);
  if (!wasDirty && doc.isDirty) await doc.save();
  panel.reveal(panel.viewColumn, false);
}
