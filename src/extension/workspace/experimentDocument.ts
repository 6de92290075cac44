/**
 * The experiment file as the extension reads and changes it (the panel, the analysis commands): the text of its document (the editor
 * buffer when it is open, which may be ahead of the disk), one `WorkspaceEdit` per panel action (so one
 * undo step), and revealing a JSON pointer in the editor.
 */
import * as vscode from 'vscode';
import { applyPointerEdits, type PointerEdit } from '../../core/experiment/edits.js';
import { JsonLocator } from '../../core/experiment/locate.js';
import { detectFormatting, minimalReplacement } from '../../core/experiment/json-text.js';

/** The document of the experiment file (loaded from disk when no editor has it). */
export function experimentDocument(uri: vscode.Uri): Thenable<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(uri);
}

/**
 * Replaces the document's text `before` with `after` through one `WorkspaceEdit` of the smallest
 * changed range (comments and layout elsewhere untouched; Undo in the editor reverts it). A document
 * that had no unsaved changes is saved afterwards, so the file on disk — which runs, the tree and the
 * CLI read — matches what the panel shows; one with unsaved changes is left for the user to save.
 * @returns false when VS Code refused the edit, or the text changed meanwhile.
 */
export async function replaceText(doc: vscode.TextDocument, before: string, after: string): Promise<boolean> {
  if (doc.getText() !== before) return false;
  const r = minimalReplacement(before, after);
  if (!r) return true;
  const wasDirty = doc.isDirty;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(r.offset), doc.positionAt(r.offset + r.length)), r.text);
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  if (!wasDirty) await doc.save();
  return true;
}

/**
 * Applies JSON-pointer edits (the advisor's, the layer sweep's) to the experiment file as one
 * `WorkspaceEdit` ({@link replaceText}): jsonc-parser's `modify` in the file's own indentation, so
 * comments and layout elsewhere are kept and Undo reverts the whole change.
 * @returns false when VS Code refused the edit or the text changed meanwhile; true also when nothing changed.
 */
export async function applyJsonEdits(uri: vscode.Uri, edits: readonly PointerEdit[]): Promise<boolean> {
  const doc = await experimentDocument(uri);
  const before = doc.getText();
  const { unit: _unit, ...formatting } = detectFormatting(before);
  return replaceText(doc, before, applyPointerEdits(before, edits, formatting));
}

/** Shows the document beside the panel, with the value at `pointer` selected (the whole file when absent). */
export async function revealPointer(doc: vscode.TextDocument, pointer?: string): Promise<void> {
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString());
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus: false });
  if (pointer === undefined) return;
  const at = new JsonLocator(doc.getText()).locate(pointer);
  const range = new vscode.Range(doc.positionAt(at.offset), doc.positionAt(at.offset + at.length));
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
