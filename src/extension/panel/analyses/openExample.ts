/** Opens the file of a misclassified example the panel's gallery shows (`evaluation.json`'s `mistakes`). */
import * as vscode from 'vscode';
import type { EvaluationFile } from '../../../core/runs/artifacts.js';

/**
 * Opens `mistakes[index]`'s file in VS Code (images in its image preview). Does nothing for an example
 * without a file (MNIST, IDX) or an index out of range: the page only offers examples that have one.
 */
export async function openEvaluationExample(evaluation: EvaluationFile | undefined, index: number): Promise<void> {
  const file = evaluation?.mistakes[index]?.path;
  if (file) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), { preview: true, viewColumn: vscode.ViewColumn.Beside });
}
