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

/** The step in progress: keys pressed quickly one after the other are carried out in order, never interleaved. */
let queue: Promise<void> = Promise.resolve();

/**
 * Undoes or redoes the last change of the experiment document at `uri`, then gives the focus back to
 * `panel`. Like Undo in the editor, it leaves the document with unsaved changes (the panel shows the
 * document's text, saved or not).
 */
export function stepDocumentHistory(uri: vscode.Uri, action: HistoryAction, panel: vscode.WebviewPanel): Promise<void> {
  queue = queue.then(() => step(uri, action, panel)).catch(() => undefined);
  return queue;
}

async function step(uri: vscode.Uri, action: HistoryAction, panel: vscode.WebviewPanel): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const column = shown?.viewColumn ?? (panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
  await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: false });
  await vscode.commands.executeCommand(action);
  panel.reveal(panel.viewColumn, false);
}
